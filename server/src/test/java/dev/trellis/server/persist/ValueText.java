package dev.trellis.server.persist;

import dev.trellis.server.types.hash.RedisHash;
import dev.trellis.server.types.list.RedisList;
import dev.trellis.server.types.zset.ZSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Canonical text of non-string values, the same whether read from a value object or through
 * commands, so two servers' datasets compare as strings. Types join as they land.
 */
final class ValueText {
    private ValueText() {
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String item(String x) {
        return x.length() + ":" + x;
    }

    static String of(Object v) {
        StringBuilder sb = new StringBuilder();
        if (v instanceof RedisList l) {
            for (RedisList.Cursor c = l.cursor(0, true); c.valid(); c.advance()) {
                sb.append(item(s(c.get()))).append(',');
            }
            return sb.toString();
        }
        if (v instanceof RedisHash h) {
            TreeMap<String, String> m = new TreeMap<>();
            for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
                m.put(s(c.field()), s(c.value()));
            }
            m.forEach((f, x) -> sb.append(item(f)).append('=').append(item(x)).append(','));
            return sb.toString();
        }
        if (v instanceof dev.trellis.server.types.set.RedisSet set) {
            java.util.TreeSet<String> m = new java.util.TreeSet<>();
            for (var c = set.cursor(); c.next(); ) {
                m.add(s(c.bytes()));
            }
            m.forEach(x -> sb.append(item(x)).append(','));
            return sb.toString();
        }
        if (v instanceof ZSet z) {
            z.forEach((m, score) -> sb.append(item(s(m))).append('=').append(score).append(','));
            return sb.toString();
        }
        throw new IllegalArgumentException("no canonical form for " + v.getClass().getName());
    }

    @SuppressWarnings("unchecked")
    static String viaCommands(BinaryClient c, String type, byte[] key) {
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case "list" -> {
                for (Object o : (List<Object>) c.call("LRANGE", key, 0, -1)) {
                    sb.append(item(s((byte[]) o))).append(',');
                }
            }
            case "hash" -> {
                List<Object> all = (List<Object>) c.call("HGETALL", key);
                TreeMap<String, String> m = new TreeMap<>();
                for (int i = 0; i < all.size(); i += 2) {
                    m.put(s((byte[]) all.get(i)), s((byte[]) all.get(i + 1)));
                }
                m.forEach((f, x) -> sb.append(item(f)).append('=').append(item(x)).append(','));
            }
            case "set" -> {
                java.util.TreeSet<String> m = new java.util.TreeSet<>();
                for (Object o : (List<Object>) c.call("SMEMBERS", key)) {
                    m.add(s((byte[]) o));
                }
                m.forEach(x -> sb.append(item(x)).append(','));
            }
            case "zset" -> {
                List<Object> all = (List<Object>) c.call("ZRANGE", key, 0, -1, "WITHSCORES");
                for (int i = 0; i < all.size(); i += 2) {
                    String score = s((byte[]) all.get(i + 1));
                    double d = score.equals("inf") ? Double.POSITIVE_INFINITY
                            : score.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(score);
                    sb.append(item(s((byte[]) all.get(i)))).append('=').append(d).append(',');
                }
            }
            default -> throw new IllegalArgumentException("no canonical form for type " + type);
        }
        return sb.toString();
    }

    /** "type|value" of one key read through commands. */
    static String read(BinaryClient c, byte[] key) {
        String type = (String) c.call("TYPE", key);
        return type + "|" + (type.equals("string") ? s((byte[]) c.call("GET", key)) : viaCommands(c, type, key));
    }

    static List<String> keys(BinaryClient c) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) c.call("KEYS", "*")) {
            out.add(s((byte[]) o));
        }
        return out;
    }
}
