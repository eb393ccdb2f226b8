package dev.trellis.server.commands.list;

import static org.assertj.core.api.Assertions.fail;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded randomised differential runs: a generator produces commands, each goes to Trellis and
 * to Debian's redis-server, and the replies must be identical. The seed is printed on failure
 * (rerun with {@code -Dseed=N}) together with the commands that led there.
 */
public final class RandomDifferential {
    /** One generated command and how to compare its replies. */
    public record Cmd(Compare compare, String... args) {
        public static Cmd exact(String... args) {
            return new Cmd(Compare.EXACT, args);
        }

        /** Unordered array reply (SMEMBERS, HGETALL...). */
        public static Cmd sorted(String... args) {
            return new Cmd(Compare.SORTED, args);
        }

        /** A [cursor, [items]] scan reply whose items are unordered. */
        public static Cmd scan(String... args) {
            return new Cmd(Compare.SCAN, args);
        }

        /** Only the reply type and, for arrays, the length (random picks). */
        public static Cmd shape(String... args) {
            return new Cmd(Compare.SHAPE, args);
        }

        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    public enum Compare { EXACT, SORTED, SCAN, SHAPE }

    private RandomDifferential() {
    }

    /** The seed from {@code -Dseed}, or a fresh one. */
    public static long seed() {
        String s = System.getProperty("seed");
        return s != null ? Long.parseLong(s) : new Random().nextLong();
    }

    /**
     * Runs {@code count} generated commands against both servers started with {@code config}
     * (same arguments for both). Returns false when redis-server is not installed.
     */
    public static boolean run(long seed, int count, String[] config, Function<Random, Cmd> generator) {
        ReferenceRedis redis = ReferenceRedis.startOrNull(config);
        if (redis == null) {
            return false;
        }
        try (redis; TestServer trellis = TestServer.start(config);
                RespClient a = trellis.client(); RespClient b = redis.client()) {
            Random rnd = new Random(seed);
            Deque<String> history = new ArrayDeque<>();
            for (int i = 0; i < count; i++) {
                Cmd cmd = generator.apply(rnd);
                history.addLast(cmd.toString());
                if (history.size() > 30) {
                    history.removeFirst();
                }
                byte[][] args = new byte[cmd.args.length][];
                for (int k = 0; k < args.length; k++) {
                    args[k] = cmd.args[k].getBytes(StandardCharsets.UTF_8);
                }
                RespValue ra = a.callBytes(args);
                RespValue rb = b.callBytes(args);
                String sa = canonical(ra, cmd.compare);
                String sb = canonical(rb, cmd.compare);
                if (!sa.equals(sb)) {
                    fail("seed " + seed + " (rerun with -Dseed=" + seed + "), command #" + i + ": " + cmd
                            + "\n  trellis: " + sa + "\n  redis:   " + sb
                            + "\n  last commands:\n    " + String.join("\n    ", history));
                }
            }
        }
        return true;
    }

    static String canonical(RespValue v, Compare mode) {
        if (mode == Compare.SORTED && v.items() != null) {
            List<String> items = new ArrayList<>(v.items().stream().map(RespValue::toString).toList());
            items.sort(Comparator.naturalOrder());
            return v.type() + "sorted" + items;
        }
        if (mode == Compare.SCAN && v.items() != null && v.items().size() == 2) {
            return v.get(0) + canonical(v.get(1), Compare.SORTED);
        }
        if (mode == Compare.SHAPE) {
            if (v.isError()) {
                return v.toString();
            }
            return v.type() + (v.items() == null ? "" : "#" + v.items().size());
        }
        return v.toString();
    }

    // --- generator helpers -------------------------------------------------------------

    /** One of {@code options}. */
    @SafeVarargs
    public static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    /** A small integer, often negative or out of range, sometimes not a number at all. */
    public static String index(Random r, int span) {
        int k = r.nextInt(20);
        if (k == 0) {
            return pick(r, "abc", "1.5", "", " 1", "+1", "9223372036854775807", "-9223372036854775808",
                    "9223372036854775808");
        }
        return Integer.toString(r.nextInt(2 * span + 1) - span);
    }

    /**
     * Like {@link #index} without LONG_MIN, which Redis 7.2 rejects for counts whose sign flips
     * the direction (LREM, LPOS RANK) while the 7.0 reference accepts it.
     */
    public static String signedIndex(Random r, int span) {
        String s = index(r, span);
        return s.equals("-9223372036854775808") ? "-9223372036854775807" : s;
    }
}
