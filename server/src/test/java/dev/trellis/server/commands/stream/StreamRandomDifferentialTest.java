package dev.trellis.server.commands.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random stream commands, valid and invalid, against Trellis and redis-server (7.0);
 * every reply must match. IDs are explicit so both servers generate the same ones; node size
 * limits change during the run, so XINFO STREAM's node counts check the node layout.
 * Delivery and seen times are masked, and consumers are created before the commands that
 * 7.0 and 7.2 create them at different moments. Replay with {@code -Dstream.seed=N} (no time budget then).
 */
class StreamRandomDifferentialTest {
    private static final long BUDGET_NANOS = 8_000_000_000L;
    private static final int MAX_COMMANDS = 20_000;
    private static final String[] KEYS = {"s1", "s2", "str", "none"};
    private static final String[] GROUPS = {"g1", "g2", "g3"};
    private static final String[] CONSUMERS = {"c1", "c2", "c3"};
    private static final String[] FIELDS = {"f1", "f2", "f3", "1", "-7", ""};
    private static final String[] VALUES = {"v", "1", "200", "-5000", "123456789012", "x".repeat(70), "", "1.5",
        "9223372036854775807", "9223372036854775808", "z".repeat(1500), "y".repeat(5000)};

    private static TestServer trellis;
    private static ReferenceRedis redis;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.startOrNull();
        if (redis != null) {
            trellis = TestServer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (trellis != null) {
            trellis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private long clock = 1;

    @Test
    void randomCommandsMatchRedis() {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        long seed = Long.getLong("stream.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Deque<String> history = new ArrayDeque<>();
        // A replayed seed runs without the time budget, so it gets as far as the failing run.
        long deadline = System.getProperty("stream.seed") != null ? Long.MAX_VALUE : System.nanoTime() + BUDGET_NANOS;
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            both(a, b, "FLUSHALL");
            both(a, b, "SET", "str", "x");
            for (int i = 0; i < MAX_COMMANDS && System.nanoTime() < deadline; i++) {
                List<List<String>> cmds = next(rnd);
                for (List<String> cmd : cmds) {
                    String mode = cmd.remove(0);
                    history.addLast(mode + " " + String.join(" ", cmd));
                    if (history.size() > 40) {
                        history.removeFirst();
                    }
                    byte[][] args = cmd.stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toArray(byte[][]::new);
                    String ra = call(a, args, mode, "trellis", seed, i, history);
                    String rb = call(b, args, mode, "redis", seed, i, history);
                    if (!mode.equals("any") && !ra.equals(rb)) {
                        String state = "";
                        if (cmd.size() > 1) {
                            // The key's state on both sides helps to see where they diverged.
                            state = "\nXINFO STREAM " + cmd.get(1) + " FULL:\n  trellis: "
                                    + a.call("XINFO", "STREAM", cmd.get(1), "FULL") + "\n  redis:   "
                                    + b.call("XINFO", "STREAM", cmd.get(1), "FULL");
                        }
                        assertThat(ra).as("seed %d, command %d: %s%nrecent commands:%n%s%s", seed, i,
                                String.join(" ", cmd), String.join("\n", history), state).isEqualTo(rb);
                    }
                }
            }
            both(a, b, "CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
        }
    }

    private static String call(RespClient c, byte[][] args, String mode, String side, long seed, int i,
            Deque<String> history) {
        try {
            return canonical(c.callBytes(args), mode);
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ", command " + i + ": " + side + " failed: " + e
                    + "\nrecent commands:\n" + String.join("\n", history), e);
        }
    }

    private static void both(RespClient a, RespClient b, String... args) {
        a.call(args);
        b.call(args);
    }

    // --- reply canonical forms -------------------------------------------------------------

    private static String canonical(RespValue v, String mode) {
        return switch (mode) {
            case "pending" -> maskPending(v).toString();
            case "info" -> maskInfo(v).toString();
            default -> v.toString();
        };
    }

    /** XPENDING's extended form: the idle time (third field of each entry) is masked. */
    private static RespValue maskPending(RespValue v) {
        if (v.items() == null || v.items().isEmpty() || v.items().get(0).items() == null) {
            return v;
        }
        List<RespValue> out = new ArrayList<>();
        for (RespValue e : v.items()) {
            List<RespValue> f = new ArrayList<>(e.items());
            f.set(2, new RespValue(':', "idle", null));
            out.add(new RespValue(e.type(), null, f));
        }
        return new RespValue(v.type(), null, out);
    }

    private static final Set<String> TIME_KEYS = Set.of("seen-time", "active-time", "idle", "inactive");

    /**
     * XINFO replies: pairs whose key is a time (or a 7.2-only field) are dropped, and Unix-time
     * integers (delivery times) masked.
     */
    private static RespValue maskInfo(RespValue v) {
        if (v.items() == null) {
            if (v.type() == ':' && Math.abs(v.asLong()) >= 1_000_000_000_000L) {
                return new RespValue(':', "time", null);
            }
            return v;
        }
        List<RespValue> items = v.items();
        List<RespValue> out = new ArrayList<>();
        boolean mapLike = items.size() % 2 == 0 && !items.isEmpty();
        for (int i = 0; mapLike && i < items.size(); i += 2) {
            if (items.get(i).type() != '$' || items.get(i).text() == null || !items.get(i).text().matches("[a-z-]+")) {
                mapLike = false;
            }
        }
        for (int i = 0; i < items.size(); i++) {
            if (mapLike && i % 2 == 0 && TIME_KEYS.contains(items.get(i).text())) {
                i++;
                continue;
            }
            out.add(maskInfo(items.get(i)));
        }
        return new RespValue(v.type(), null, out);
    }

    // --- generators ------------------------------------------------------------------------

    private static <T> T pick(Random r, T[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String key(Random r) {
        return r.nextInt(10) < 8 ? KEYS[r.nextInt(2)] : pick(r, KEYS);
    }

    /** An ID near the stream's IDs: "ms-seq", "ms", or occasionally special or invalid. */
    private String id(Random r) {
        int k = r.nextInt(30);
        if (k == 0) {
            return pick(r, new String[] {"-", "+", "0-0", "x", "1-x", "18446744073709551615-18446744073709551615",
                "18446744073709551616", "-1"});
        }
        long ms = r.nextInt((int) clock + 3);
        return k < 6 ? Long.toString(ms) : ms + "-" + r.nextInt(3);
    }

    /** True unless {@code id} is a valid ID at or past the clock (it could become a deleted maximum). */
    private boolean belowClock(String id) {
        String ms = id.contains("-") ? id.substring(0, id.indexOf('-')) : id;
        if (ms.isEmpty() || !ms.chars().allMatch(Character::isDigit) || ms.length() > 18) {
            return true; // not a valid ID: an error on both servers
        }
        return Long.parseLong(ms) < clock;
    }

    private String bound(Random r) {
        String id = id(r);
        return r.nextInt(6) == 0 && !id.equals("-") && !id.equals("+") ? "(" + id : id;
    }

    private static List<String> cmd(String mode, String... args) {
        List<String> c = new ArrayList<>();
        c.add(mode);
        c.addAll(List.of(args));
        return c;
    }

    private static void fields(Random r, List<String> c) {
        int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 6 : 2);
        boolean same = r.nextInt(3) != 0; // often the same field names, so entries share the master's
        for (int i = 0; i < n; i++) {
            c.add(same ? FIELDS[i % 3] : pick(r, FIELDS));
            c.add(r.nextInt(40) == 0 ? VALUES[VALUES.length - 1] : VALUES[r.nextInt(VALUES.length - 1)]);
        }
    }

    private void trimOption(Random r, List<String> c) {
        boolean maxlen = r.nextBoolean();
        c.add(maxlen ? "MAXLEN" : "MINID");
        int op = r.nextInt(3);
        if (op == 1) {
            c.add("~");
        } else if (op == 2) {
            c.add("=");
        }
        c.add(maxlen ? String.valueOf(r.nextInt(r.nextBoolean() ? 8 : 40) - (r.nextInt(30) == 0 ? 3 : 0)) : id(r));
        if (r.nextInt(4) == 0) {
            c.add("LIMIT");
            c.add(String.valueOf(r.nextInt(12)));
        }
    }

    /** One step: a command as [mode, args...], sometimes preceded by setup commands. */
    private List<List<String>> next(Random r) {
        List<List<String>> out = new ArrayList<>();
        int kind = r.nextInt(100);
        String key = key(r);
        String group = pick(r, GROUPS);
        String consumer = pick(r, CONSUMERS);
        if (kind < 30) {
            List<String> c = cmd("exact", "XADD", key);
            if (r.nextInt(15) == 0) {
                c.add("NOMKSTREAM");
            }
            if (r.nextInt(4) == 0) {
                trimOption(r, c);
            }
            int form = r.nextInt(20);
            if (form == 0) {
                // Not the maximum ID: a deleted maximum would make later XSETIDs differ between
                // 7.0 and 7.2 (which checks the max-deleted ID).
                String id = id(r);
                c.add(id.startsWith("18446744073709551615-") || !belowClock(id) ? "0-1" : id);
            } else if (form < 4) {
                c.add(clock + "-*");
            } else {
                if (r.nextInt(3) == 0) {
                    clock += 1 + r.nextInt(3);
                }
                c.add(clock + "-" + r.nextInt(1000));
            }
            fields(r, c);
            if (r.nextInt(50) == 0) {
                c.remove(c.size() - 1);
            }
            out.add(c);
        } else if (kind < 38) {
            boolean rev = r.nextBoolean();
            List<String> c = cmd("exact", rev ? "XREVRANGE" : "XRANGE", key, bound(r), bound(r));
            if (r.nextInt(3) == 0) {
                c.add("COUNT");
                c.add(String.valueOf(r.nextInt(6) - 1));
            }
            out.add(c);
        } else if (kind < 40) {
            out.add(cmd("exact", "XLEN", key));
        } else if (kind < 45) {
            List<String> c = cmd("exact", "XDEL", key);
            for (int i = r.nextInt(3); i >= 0; i--) {
                c.add(id(r));
            }
            out.add(c);
        } else if (kind < 49) {
            List<String> c = cmd("exact", "XTRIM", key);
            trimOption(r, c);
            out.add(c);
        } else if (kind < 53) {
            List<String> c = cmd("exact", "XREAD");
            if (r.nextBoolean()) {
                c.add("COUNT");
                c.add(String.valueOf(r.nextInt(5)));
            }
            c.add("STREAMS");
            int n = 1 + r.nextInt(2);
            for (int i = 0; i < n; i++) {
                c.add(key(r));
            }
            for (int i = 0; i < n; i++) {
                c.add(r.nextInt(5) == 0 ? "$" : id(r));
            }
            out.add(c);
        } else if (kind < 60) {
            int sub = r.nextInt(10);
            if (sub < 4) {
                List<String> c = cmd("exact", "XGROUP", "CREATE", key, group, r.nextInt(4) == 0 ? "$" : id(r));
                if (r.nextInt(4) == 0) {
                    c.add("MKSTREAM");
                }
                if (r.nextInt(6) == 0) {
                    c.add("ENTRIESREAD");
                    c.add(String.valueOf(r.nextInt(6) - 1));
                }
                out.add(c);
            } else if (sub < 6) {
                List<String> c = cmd("exact", "XGROUP", "SETID", key, group, r.nextInt(4) == 0 ? "$" : id(r));
                if (r.nextInt(3) == 0) {
                    c.add("ENTRIESREAD");
                    c.add(String.valueOf(r.nextInt(6) - 1));
                }
                out.add(c);
            } else if (sub == 6) {
                out.add(cmd("exact", "XGROUP", "DESTROY", key, group));
            } else if (sub == 7) {
                out.add(cmd("exact", "XGROUP", "CREATECONSUMER", key, group, consumer));
            } else {
                out.add(cmd("exact", "XGROUP", "DELCONSUMER", key, group, consumer));
            }
        } else if (kind < 72) {
            // 7.0 creates the reading consumer only when it serves something; 7.2 always does.
            out.add(cmd("any", "XGROUP", "CREATECONSUMER", key, group, consumer));
            List<String> c = cmd("exact", "XREADGROUP", "GROUP", group, consumer);
            if (r.nextBoolean()) {
                c.add("COUNT");
                c.add(String.valueOf(r.nextInt(4)));
            }
            if (r.nextInt(4) == 0) {
                c.add("NOACK");
            }
            c.add("STREAMS");
            c.add(key);
            c.add(r.nextInt(3) != 0 ? ">" : id(r));
            out.add(c);
        } else if (kind < 77) {
            List<String> c = cmd("exact", "XACK", key, group);
            for (int i = r.nextInt(3); i >= 0; i--) {
                c.add(id(r));
            }
            out.add(c);
        } else if (kind < 82) {
            if (r.nextInt(3) == 0) {
                out.add(cmd("exact", "XPENDING", key, group));
            } else {
                List<String> c = cmd("pending", "XPENDING", key, group);
                if (r.nextInt(4) == 0) {
                    c.add("IDLE");
                    c.add(r.nextBoolean() ? "0" : "100000000");
                }
                c.add(bound(r));
                c.add(bound(r));
                c.add(String.valueOf(r.nextInt(5) - 1));
                if (r.nextBoolean()) {
                    c.add(consumer);
                }
                out.add(c);
            }
        } else if (kind < 87) {
            out.add(cmd("any", "XGROUP", "CREATECONSUMER", key, group, consumer));
            List<String> c = cmd("exact", "XCLAIM", key, group, consumer, r.nextInt(5) == 0 ? "100000000" : "0");
            for (int i = r.nextInt(3); i >= 0; i--) {
                c.add(id(r));
            }
            if (r.nextInt(4) == 0) {
                c.add("FORCE");
            }
            if (r.nextInt(3) == 0) {
                c.add("JUSTID");
            }
            if (r.nextInt(4) == 0) {
                c.add("RETRYCOUNT");
                c.add(String.valueOf(r.nextInt(5)));
            }
            if (r.nextInt(5) == 0) {
                c.add("TIME");
                c.add(String.valueOf(r.nextInt(5000)));
            }
            if (r.nextInt(6) == 0) {
                c.add("LASTID");
                c.add(id(r));
            }
            out.add(c);
        } else if (kind < 91) {
            out.add(cmd("any", "XGROUP", "CREATECONSUMER", key, group, consumer));
            List<String> c = cmd("exact", "XAUTOCLAIM", key, group, consumer, r.nextInt(5) == 0 ? "100000000" : "0",
                    bound(r));
            if (r.nextBoolean()) {
                c.add("COUNT");
                c.add(String.valueOf(r.nextInt(4)));
            }
            if (r.nextInt(3) == 0) {
                c.add("JUSTID");
            }
            out.add(c);
        } else if (kind < 97) {
            int sub = r.nextInt(5);
            if (sub == 0) {
                out.add(cmd("exact", "XINFO", "STREAM", key));
            } else if (sub == 1) {
                List<String> c = cmd("info", "XINFO", "STREAM", key, "FULL");
                if (r.nextBoolean()) {
                    c.add("COUNT");
                    c.add(String.valueOf(r.nextInt(4)));
                }
                out.add(c);
            } else if (sub == 2) {
                out.add(cmd("exact", "XINFO", "GROUPS", key));
            } else {
                out.add(cmd("info", "XINFO", "CONSUMERS", key, group));
            }
        } else if (kind < 98) {
            // XSETID only forwards (7.0 lacks 7.2's max-deleted-ID check for older IDs).
            clock += 1 + r.nextInt(3);
            List<String> c = cmd("exact", "XSETID", key, clock + "-0");
            if (r.nextBoolean()) {
                c.add("ENTRIESADDED");
                c.add(String.valueOf(r.nextInt(50)));
            }
            out.add(c);
        } else {
            String[] entries = {"2", "3", "5", "10", "100", "0"};
            // Not below 4096: redis-server 7.0.15 can crash in XADD with tiny stream-node-max-bytes.
            String[] bytes = {"0", "4096", "5000", "8192"};
            out.add(cmd("any", "CONFIG", "SET", "stream-node-max-entries", pick(r, entries), "stream-node-max-bytes",
                    pick(r, bytes)));
        }
        return out;
    }
}
