package dev.trellis.server.commands.keys;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.commands.string.ServerThread;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded stream of random string and generic-key commands, valid and invalid, sent to
 * Trellis and to redis-server: every reply must match (TTLs within a second), and so must the
 * keyspace notifications each batch of commands fires. The seed is printed on failure; rerun
 * with {@code -Dseed=N}.
 */
class StringsKeysRandomDifferentialTest {
    private static final int COMMANDS = 4000;
    private static final int BATCH = 25;

    @Test
    void randomCommandsAgreeWithRedis() {
        String s = System.getProperty("seed");
        long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
        ReferenceRedis redis = ReferenceRedis.startOrNull();
        assumeTrue(redis != null, "redis-server not installed");
        try (redis; TestServer trellis = TestServer.start();
                RespClient a = trellis.client(); RespClient b = redis.client();
                RespClient subA = trellis.client(); RespClient subB = redis.client()) {
            // Lazy expiry only, so both servers expire the same keys at the same command.
            ServerThread.run(trellis, () -> trellis.server().keyspace().activeExpireEnabled(false));
            b.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            for (RespClient c : List.of(a, b)) {
                c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            }
            for (RespClient c : List.of(subA, subB)) {
                c.call("PSUBSCRIBE", "__key*__:*");
                c.call("SUBSCRIBE", "mark");
            }
            run(seed, a, b, subA, subB);
        }
    }

    private static void run(long seed, RespClient a, RespClient b, RespClient subA, RespClient subB) {
        Random rnd = new Random(seed);
        Generator gen = new Generator(rnd);
        Deque<String> history = new ArrayDeque<>();
        for (int i = 0; i < COMMANDS; i++) {
            Generator.Cmd cmd = gen.next();
            history.addLast(cmd.toString());
            if (history.size() > 60) {
                history.removeFirst();
            }
            String sa = canonical(cmd, a);
            String sb = canonical(cmd, b);
            if (!agree(cmd, sa, sb)) {
                fail("seed " + seed + " (rerun with -Dseed=" + seed + "), command #" + i + ": " + cmd
                        + "\n  trellis: " + sa + "\n  redis:   " + sb
                        + "\n  last commands:\n    " + String.join("\n    ", history));
            }
            if (i % BATCH == BATCH - 1) {
                List<String> ea = events(a, subA, i);
                List<String> eb = events(b, subB, i);
                if (!ea.equals(eb)) {
                    fail("seed " + seed + " (rerun with -Dseed=" + seed + "), events of commands up to #" + i
                            + "\n  trellis: " + ea + "\n  redis:   " + eb
                            + "\n  last commands:\n    " + String.join("\n    ", history));
                }
            }
        }
    }

    /** Sends the command (a whole SCAN iteration for scans) and returns the reply in canonical form. */
    private static String canonical(Generator.Cmd cmd, RespClient c) {
        if (cmd.kind == Generator.Kind.SCAN_ALL) {
            List<String> keys = new ArrayList<>();
            String cursor = "0";
            int guard = 0;
            do {
                byte[][] args = cmd.args.clone();
                args[1] = cursor.getBytes(StandardCharsets.US_ASCII);
                RespValue r = c.callBytes(args);
                if (r.isError()) {
                    return r.toString();
                }
                cursor = r.get(0).text();
                r.get(1).items().forEach(v -> keys.add(v.text()));
            } while (!cursor.equals("0") && guard++ < 10_000);
            return "scan" + keys.stream().distinct().sorted().toList();
        }
        RespValue r = c.callBytes(cmd.args);
        if (r.toString().equals("$listpack")) {
            return "$quicklist"; // small lists: listpack in 7.2 (our metadata), quicklist in 7.0
        }
        if (cmd.kind == Generator.Kind.SORTED && r.items() != null) {
            return "sorted" + r.items().stream().map(RespValue::toString).sorted().toList();
        }
        return r.toString();
    }

    /** Exact match, or for TTL-like replies: same sign class and within the tolerance. */
    private static boolean agree(Generator.Cmd cmd, String sa, String sb) {
        if (sa.equals(sb)) {
            return true;
        }
        if (cmd.tolerance == 0 || !sa.startsWith(":") || !sb.startsWith(":")) {
            return false;
        }
        long x = Long.parseLong(sa.substring(1));
        long y = Long.parseLong(sb.substring(1));
        return x >= 0 && y >= 0 && Math.abs(x - y) <= cmd.tolerance;
    }

    /** The notifications fired since the last mark, sorted (SCAN expires keys in hash order). */
    private static List<String> events(RespClient c, RespClient sub, int mark) {
        String id = Integer.toString(mark);
        c.call("PUBLISH", "mark", id);
        List<String> out = new ArrayList<>();
        while (true) {
            RespValue m = sub.read();
            if (m.get(0).text().equals("message") && m.get(2).text().equals(id)) {
                break;
            }
            out.add(m.get(2).text() + " " + m.get(3).text());
        }
        out.sort(null);
        return out;
    }

    /** Generates commands over a small set of keys, so they collide, with many invalid variants. */
    static final class Generator {
        enum Kind { EXACT, SORTED, SCAN_ALL }

        record Cmd(Kind kind, long tolerance, byte[][] args) {
            @Override
            public String toString() {
                List<String> parts = new ArrayList<>();
                for (byte[] x : args) {
                    parts.add(new String(x, StandardCharsets.ISO_8859_1));
                }
                return String.join(" ", parts);
            }
        }

        private final Random r;

        Generator(Random r) {
            this.r = r;
        }

        private String key() {
            return "k" + r.nextInt(8);
        }

        private String pick(String... options) {
            return options[r.nextInt(options.length)];
        }

        /** A value: often a number, sometimes a word, empty, long or binary. */
        private String value() {
            return switch (r.nextInt(10)) {
                case 0, 1, 2 -> Integer.toString(r.nextInt(2000) - 1000);
                case 3 -> pick("9223372036854775807", "-9223372036854775808", "9223372036854775806", "0", "-0",
                        "007", "1e3", "1.5", " 5", "+5", "99999999999999999999");
                case 4 -> "";
                case 5 -> "x".repeat(40 + r.nextInt(10));
                case 6 -> new String(new byte[] {(byte) r.nextInt(256), (byte) r.nextInt(256), 0},
                        StandardCharsets.ISO_8859_1);
                default -> pick("a", "foo", "hello", "bar", "abc", "foobar") + (r.nextBoolean() ? "" : r.nextInt(100));
            };
        }

        /** An integer argument, usually small, sometimes extreme or not a number. */
        private String integer(int span) {
            if (r.nextInt(12) == 0) {
                return pick("abc", "1.5", "", " 1", "+1", "9223372036854775807", "-9223372036854775808",
                        "9223372036854775808", "-1");
            }
            return Integer.toString(r.nextInt(2 * span + 1) - span);
        }

        /**
         * A time that is past, invalid or overflowing; never a short positive TTL, whose expiry
         * would race between the two servers.
         */
        private String badTime() {
            return pick("0", "-1", "-5", "abc", "1.5", "", "9223372036854775807", "-9223372036854775808",
                    "9223372036854775", "-9223372036854775");
        }

        private String floatArg() {
            return switch (r.nextInt(8)) {
                case 0 -> pick("inf", "-inf", "nan", "abc", "", "1e", "0x10", "1e400", "1e-400", " 1");
                case 1 -> Integer.toString(r.nextInt(100) - 50);
                case 2 -> (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "e" + (r.nextInt(10) - 5);
                default -> (r.nextBoolean() ? "-" : "") + r.nextInt(100) + "." + r.nextInt(100000);
            };
        }

        /** An expire option pair: mostly far future (relative or absolute), sometimes past or invalid. */
        private List<String> expiry() {
            long future = System.currentTimeMillis() / 1000 + 100_000;
            return switch (r.nextInt(9)) {
                case 0 -> List.of("EX", Integer.toString(100 + r.nextInt(1000)));
                case 1 -> List.of("PX", Integer.toString(100_000 + r.nextInt(1_000_000)));
                case 2 -> List.of("EXAT", Long.toString(future + r.nextInt(1000)));
                case 3 -> List.of("PXAT", Long.toString(future * 1000 + r.nextInt(1_000_000)));
                case 4 -> List.of(pick("EXAT", "PXAT"), "1");
                case 5 -> List.of(pick("EX", "PX", "EXAT", "PXAT"), badTime());
                case 6 -> List.of("KEEPTTL");
                case 7 -> List.of("PERSIST");
                default -> List.of();
            };
        }

        private static byte[][] bytes(List<String> parts) {
            byte[][] out = new byte[parts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = parts.get(i).getBytes(StandardCharsets.ISO_8859_1);
            }
            return out;
        }

        private Cmd exact(String... parts) {
            return new Cmd(Kind.EXACT, 0, bytes(List.of(parts)));
        }

        private Cmd exact(List<String> parts) {
            return new Cmd(Kind.EXACT, 0, bytes(parts));
        }

        Cmd next() {
            Cmd c = generate();
            // Now and then drop the last argument: wrong arity or a missing option value.
            if (c.kind == Kind.EXACT && c.args.length > 1 && r.nextInt(40) == 0) {
                return new Cmd(Kind.EXACT, 0, java.util.Arrays.copyOf(c.args, c.args.length - 1));
            }
            return c;
        }

        private Cmd generate() {
            String k = key();
            switch (r.nextInt(46)) {
                case 0, 1:
                    return exact("GET", k);
                case 2, 3: {
                    List<String> p = new ArrayList<>(List.of("SET", k, value()));
                    int opts = r.nextInt(3);
                    for (int i = 0; i < opts; i++) {
                        int o = r.nextInt(4);
                        if (o == 0) {
                            p.add(pick("NX", "XX", "nx", "xx"));
                        } else if (o == 1) {
                            p.add("GET");
                        } else if (o == 2) {
                            p.addAll(expiry());
                        } else if (r.nextInt(5) == 0) {
                            p.add(pick("FOO", "EX"));
                        }
                    }
                    return exact(p);
                }
                case 4:
                    return exact(pick("SETNX", "GETSET"), k, value());
                case 5:
                    return exact(pick("SETEX", "PSETEX"), k, r.nextInt(5) == 0 ? badTime() : "100000", value());
                case 6:
                    return exact("GETDEL", k);
                case 7: {
                    List<String> p = new ArrayList<>(List.of("GETEX", k));
                    p.addAll(expiry());
                    return exact(p);
                }
                case 8:
                    return exact("MGET", k, key(), key());
                case 9:
                    return exact(pick("MSET", "MSETNX"), k, value(), key(), value());
                case 10, 11:
                    return exact("APPEND", k, value());
                case 12:
                    return exact("STRLEN", k);
                case 13:
                    return exact(pick("GETRANGE", "SUBSTR"), k, integer(20), integer(20));
                case 14:
                    return exact("SETRANGE", k, r.nextInt(20) == 0 ? pick("-1", "536870912", "abc") : integer(60).replace("-", ""),
                            value());
                case 15, 16:
                    return exact(pick("INCR", "DECR"), k);
                case 17:
                    return exact(pick("INCRBY", "DECRBY"), k, integer(1000));
                case 18:
                    return exact("INCRBYFLOAT", k, floatArg());
                case 19:
                    return oneOf(List.of("LCS", k, key()), List.of("LCS", k, key(), "LEN"),
                            List.of("LCS", k, key(), "IDX", "WITHMATCHLEN"),
                            List.of("LCS", k, key(), "IDX", "MINMATCHLEN", integer(3)),
                            List.of("LCS", k, key(), pick("LEN", "FOO"), "IDX"));
                case 20:
                    return exact("SETBIT", k, r.nextInt(15) == 0 ? pick("-1", "4294967296", "x") : Integer.toString(r.nextInt(400)),
                            r.nextInt(10) == 0 ? pick("2", "-1", "x") : Integer.toString(r.nextInt(2)));
                case 21:
                    return exact("GETBIT", k, integer(400).replace("-", ""));
                case 22:
                    return oneOf(List.of("BITCOUNT", k), List.of("BITCOUNT", k, integer(10), integer(10)),
                            List.of("BITCOUNT", k, integer(80), integer(80), pick("BIT", "BYTE", "bit", "FOO")),
                            List.of("BITCOUNT", k, integer(5)));
                case 23:
                    return oneOf(List.of("BITPOS", k, pick("0", "1", "2")), List.of("BITPOS", k, pick("0", "1"), integer(10)),
                            List.of("BITPOS", k, pick("0", "1"), integer(10), integer(10)),
                            List.of("BITPOS", k, pick("0", "1"), integer(80), integer(80), pick("BIT", "BYTE", "x")));
                case 24:
                    return oneOf(List.of("BITOP", pick("AND", "OR", "XOR", "FOO"), k, key(), key()),
                            List.of("BITOP", "NOT", k, key()), List.of("BITOP", "NOT", k, key(), key()));
                case 25, 26:
                    return bitfield(k);
                case 27:
                    return exact(pick("DEL", "UNLINK", "EXISTS", "TOUCH"), k, key(), key());
                case 28:
                    return exact("TYPE", k);
                case 29, 30: {
                    List<String> p = new ArrayList<>(List.of(pick("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"), k));
                    // No TTL short enough to run out during the run: which server's active expiry
                    // reclaims such a key first is timing, and DBSIZE counts it until then.
                    p.add(r.nextInt(6) == 0 ? badTime() : pick("100000", "2000000", "9999999999", "9999999999999", "-1"));
                    int opts = r.nextInt(3);
                    for (int i = 0; i < opts; i++) {
                        p.add(pick("NX", "XX", "GT", "LT", "gt", "FOO"));
                    }
                    return exact(p);
                }
                case 31: {
                    String cmd = pick("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME");
                    long tolerance = cmd.startsWith("P") ? 1000 : 1;
                    return new Cmd(Kind.EXACT, tolerance, bytes(List.of(cmd, k)));
                }
                case 32:
                    return exact("PERSIST", k);
                case 33:
                    return exact(pick("RENAME", "RENAMENX"), k, r.nextInt(8) == 0 ? k : key());
                case 34:
                    return oneOf(List.of("COPY", k, key()), List.of("COPY", k, key(), "REPLACE"),
                            List.of("COPY", k, k, "DB", pick("0", "1", "16", "x")), List.of("COPY", k, key(), "FOO"));
                case 35:
                    return exact("MOVE", k, pick("0", "1", "1", "16", "-1", "x"));
                case 36:
                    return exact("SELECT", pick("0", "0", "1", "16", "x"));
                case 37:
                    return r.nextInt(10) == 0 ? exact("SWAPDB", pick("0", "1"), pick("0", "1", "16", "x")) : exact("DBSIZE");
                case 38:
                    return new Cmd(Kind.SORTED, 0, bytes(List.of("KEYS", pick("*", "k*", "k[1-3]", "?1", "k\\*", "x*"))));
                case 39: {
                    List<String> p = new ArrayList<>(List.of("SCAN", "0", "COUNT", pick("1", "3", "10")));
                    if (r.nextBoolean()) {
                        p.addAll(List.of("MATCH", pick("k*", "k[0-4]", "*1")));
                    }
                    if (r.nextInt(3) == 0) {
                        p.addAll(List.of("TYPE", pick("string", "list", "STRING", "hash"))); // not "none": 7.0 matches keys expiring mid-scan, 7.2 nothing
                    }
                    return new Cmd(Kind.SCAN_ALL, 0, bytes(p));
                }
                case 40:
                    return exact("OBJECT", pick("ENCODING", "REFCOUNT", "FREQ"), k);
                case 41:
                    return exact("OBJECT", "ENCODING", k);
                case 42:
                    return exact("RPUSH", k, value());
                case 43:
                    return r.nextInt(8) == 0 ? exact(pick("FLUSHDB", "FLUSHALL")) : exact("GET", k);
                case 44:
                    return exact("SCAN", pick("abc", "-", " 1", "18446744073709551616"));
                default:
                    return exact(pick("SET", "GET", "INCR", "EXPIRE"), k, value(), value(), value());
            }
        }

        @SafeVarargs
        private Cmd oneOf(List<String>... options) {
            return exact(options[r.nextInt(options.length)]);
        }

        private Cmd bitfield(String k) {
            List<String> p = new ArrayList<>(List.of(r.nextInt(5) == 0 ? "BITFIELD_RO" : "BITFIELD", k));
            int ops = 1 + r.nextInt(3);
            for (int i = 0; i < ops; i++) {
                String type = r.nextInt(15) == 0 ? pick("u64", "i65", "x8", "u0")
                        : (r.nextBoolean() ? "i" : "u") + (1 + r.nextInt(r.nextBoolean() ? 8 : 63));
                String offset = r.nextInt(15) == 0 ? pick("-1", "#x", "abc")
                        : (r.nextInt(4) == 0 ? "#" : "") + r.nextInt(r.nextBoolean() ? 16 : 200);
                switch (r.nextInt(4)) {
                    case 0 -> p.addAll(List.of("GET", type, offset));
                    case 1 -> p.addAll(List.of("SET", type, offset, integer(300)));
                    case 2 -> p.addAll(List.of("INCRBY", type, offset, integer(300)));
                    default -> p.addAll(List.of("OVERFLOW", pick("WRAP", "SAT", "FAIL", "sat", "BAD")));
                }
            }
            return exact(p);
        }
    }
}
