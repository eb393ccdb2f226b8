package dev.trellis.server.persist;

import dev.trellis.server.Server;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A full dump of a dataset for comparisons: "db:key" to "type|value|expireAt", read from a
 * Trellis server in process (on its server thread) or from any server through commands.
 */
final class Datasets {
    private Datasets() {
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Runs {@code r} on the server thread and waits for it. */
    static <T> T onServer(Server s, java.util.function.Supplier<T> r) {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.execute(() -> {
            try {
                f.complete(r.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.join();
    }

    static Map<String, String> of(Server s) {
        return onServer(s, () -> {
            Map<String, String> out = new TreeMap<>();
            for (int i = 0; i < s.keyspace().databases(); i++) {
                Database db = s.keyspace().db(i);
                int id = i;
                db.dict().forEach(e -> out.put(id + ":" + str(e.key()), canonical(e)));
            }
            return out;
        });
    }

    static String canonical(KeyEntry e) {
        Object v = e.value();
        String type = dev.trellis.server.types.Values.typeName(v);
        String value = v instanceof byte[] b ? str(b) : ValueText.of(v);
        return type + "|" + value + "|" + e.expireAt();
    }

    /** Reads every key of every database through commands (KEYS, TYPE, PEXPIRETIME, type reads). */
    static Map<String, String> of(BinaryClient c, int databases) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < databases; i++) {
            c.call("SELECT", i);
            @SuppressWarnings("unchecked")
            List<Object> keys = (List<Object>) c.call("KEYS", "*");
            for (Object k : keys) {
                byte[] key = (byte[]) k;
                String type = (String) c.call("TYPE", key);
                String value = switch (type) {
                    case "string" -> str((byte[]) c.call("GET", key));
                    default -> ValueText.viaCommands(c, type, key);
                };
                long expireAt = (Long) c.call("PEXPIRETIME", key);
                out.put(i + ":" + str(key), type + "|" + value + "|" + expireAt);
            }
        }
        c.call("SELECT", 0);
        return out;
    }

    static List<String> diff(Map<String, String> expected, Map<String, String> actual) {
        List<String> d = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String a = actual.get(e.getKey());
            if (!e.getValue().equals(a)) {
                d.add(e.getKey() + ": expected " + abbreviate(e.getValue()) + " but was " + abbreviate(a));
            }
        }
        for (String k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                d.add(k + ": unexpected " + abbreviate(actual.get(k)));
            }
        }
        return d;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() < 200 ? s : s.substring(0, 200) + "...(" + s.length() + ")";
    }
}
