package dev.trellis.server.commands.list;

import static dev.trellis.server.commands.list.RandomDifferential.index;
import static dev.trellis.server.commands.list.RandomDifferential.pick;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.commands.list.RandomDifferential.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random list commands (valid and invalid) against Trellis and redis-server with
 * the same configuration; replies must match exactly. Small node limits force the quicklist
 * paths (node splits, spills, large elements) that default limits rarely reach.
 */
class ListRandomDifferentialTest {
    private static final String[] KEYS = {"l1", "l2", "l3", "str"};
    private static final String BIG = "x".repeat(5000);
    private static final String MID = "m".repeat(300);

    @ParameterizedTest
    @ValueSource(strings = {"-2", "3", "1", "-1"})
    void randomCommandsMatchRedis(String fill) {
        long seed = RandomDifferential.seed();
        boolean ran = RandomDifferential.run(seed, 6000,
                new String[] {"--list-max-listpack-size", fill}, ListRandomDifferentialTest::next);
        assumeTrue(ran, "redis-server not installed");
    }

    private static String key(Random r) {
        return pick(r, KEYS);
    }

    private static String element(Random r) {
        int k = r.nextInt(40);
        if (k == 0) {
            return BIG;
        }
        if (k < 3) {
            return MID;
        }
        return pick(r, "a", "b", "c", "d", "1", "2", "10", "-5", "", "0", "007", "9223372036854775807",
                "-9223372036854775808", "hello world", "4096", "-70000");
    }

    private static String[] elements(Random r, String... prefix) {
        List<String> a = new ArrayList<>(List.of(prefix));
        int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 40 : 4);
        for (int i = 0; i < n; i++) {
            a.add(element(r));
        }
        return a.toArray(new String[0]);
    }

    private static String side(Random r) {
        return r.nextInt(30) == 0 ? "middle" : pick(r, "LEFT", "RIGHT", "left");
    }

    static Cmd next(Random r) {
        int op = r.nextInt(100);
        String k = key(r);
        if (op < 3) {
            return Cmd.exact("SET", "str", "value");
        }
        if (op < 15) {
            return Cmd.exact(elements(r, pick(r, "LPUSH", "RPUSH"), k));
        }
        if (op < 18) {
            return Cmd.exact(elements(r, pick(r, "LPUSHX", "RPUSHX"), k));
        }
        if (op < 26) {
            String cmd = pick(r, "LPOP", "RPOP");
            return r.nextBoolean() ? Cmd.exact(cmd, k) : Cmd.exact(cmd, k, index(r, 5));
        }
        if (op < 38) {
            return Cmd.exact("LRANGE", k, index(r, 12), index(r, 12));
        }
        if (op < 42) {
            return Cmd.exact("LINDEX", k, index(r, 12));
        }
        if (op < 44) {
            return Cmd.exact("LLEN", k);
        }
        if (op < 49) {
            return Cmd.exact("LSET", k, index(r, 12), element(r));
        }
        if (op < 55) {
            String where = r.nextInt(20) == 0 ? "around" : pick(r, "BEFORE", "AFTER", "before");
            return Cmd.exact("LINSERT", k, where, element(r), element(r));
        }
        if (op < 60) {
            return Cmd.exact("LREM", k, RandomDifferential.signedIndex(r, 3), element(r));
        }
        if (op < 63) {
            return Cmd.exact("LTRIM", k, index(r, 10), index(r, 10));
        }
        if (op < 70) {
            List<String> a = new ArrayList<>(List.of("LPOS", k, element(r)));
            int opts = r.nextInt(4);
            for (int i = 0; i < opts; i++) {
                a.add(pick(r, "RANK", "COUNT", "MAXLEN", "BOGUS"));
                a.add(RandomDifferential.signedIndex(r, 4));
            }
            return Cmd.exact(a.toArray(new String[0]));
        }
        if (op < 78) {
            return Cmd.exact("LMOVE", k, key(r), side(r), side(r));
        }
        if (op < 82) {
            return Cmd.exact("RPOPLPUSH", k, key(r));
        }
        if (op < 88) {
            List<String> a = new ArrayList<>(List.of("LMPOP"));
            int n = 1 + r.nextInt(3);
            a.add(r.nextInt(20) == 0 ? index(r, 3) : Integer.toString(n));
            for (int i = 0; i < n; i++) {
                a.add(key(r));
            }
            a.add(side(r));
            if (r.nextBoolean()) {
                a.add("COUNT");
                a.add(index(r, 6));
            }
            return Cmd.exact(a.toArray(new String[0]));
        }
        if (op < 90) {
            return Cmd.exact("DEL", k);
        }
        return Cmd.exact("LRANGE", k, "0", "-1");
    }
}
