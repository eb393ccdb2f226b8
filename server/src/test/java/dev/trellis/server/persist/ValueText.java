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
        if (v instanceof dev.trellis.server.types.stream.RedisStream st) {
            var it = st.iterator(dev.trellis.server.types.stream.StreamId.MIN, dev.trellis.server.types.stream.StreamId.MAX, false);
            while (it.next()) {
                sb.append(it.id()).append('{');
                for (long f = it.numFields(); f > 0; f--) {
                    it.nextField();
                    sb.append(item(s(it.field()))).append('=').append(item(s(it.value()))).append(',');
                }
                sb.append('}');
            }
            sb.append("|last=").append(st.lastId()).append("|added=").append(st.entriesAdded())
                    .append("|maxdel=").append(st.maxDeletedId());
            if (st.groupCount() > 0) {
                for (var g : st.groups().values()) {
                    sb.append("|group ").append(s(g.name())).append('@').append(g.lastId).append('#').append(g.entriesRead)
                            .append(" pel=").append(g.pel.size());
                    for (var cons : g.consumers.values()) {
                        sb.append(' ').append(s(cons.name())).append(':').append(cons.pel.size());
                    }
                }
            }
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
            case "stream" -> {
                for (Object e : (List<Object>) c.call("XRANGE", key, "-", "+")) {
                    List<Object> entry = (List<Object>) e;
                    sb.append(s((byte[]) entry.get(0))).append('{');
                    List<Object> fv = (List<Object>) entry.get(1);
                    for (int i = 0; i < fv.size(); i += 2) {
                        sb.append(item(s((byte[]) fv.get(i)))).append('=').append(item(s((byte[]) fv.get(i + 1)))).append(',');
                    }
                    sb.append('}');
                }
                java.util.Map<String, Object> info = map((List<Object>) c.call("XINFO", "STREAM", key));
                sb.append("|last=").append(text(info.get("last-generated-id"))).append("|added=").append(info.get("entries-added"))
                        .append("|maxdel=").append(text(info.get("max-deleted-entry-id")));
                for (Object go : (List<Object>) c.call("XINFO", "GROUPS", key)) {
                    java.util.Map<String, Object> g = map((List<Object>) go);
                    String name = text(g.get("name"));
                    sb.append("|group ").append(name).append('@').append(text(g.get("last-delivered-id"))).append('#')
                            .append(g.get("entries-read") == null ? -1 : g.get("entries-read")).append(" pel=").append(g.get("pending"));
                    for (Object co : (List<Object>) c.call("XINFO", "CONSUMERS", key, name)) {
                        java.util.Map<String, Object> cons = map((List<Object>) co);
                        sb.append(' ').append(text(cons.get("name"))).append(':').append(cons.get("pending"));
                    }
                }
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

    private static java.util.Map<String, Object> map(List<Object> flat) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(text(flat.get(i)), flat.get(i + 1));
        }
        return m;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? s(b) : String.valueOf(o);
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
