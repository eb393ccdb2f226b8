package dev.trellis.server.commands.set;

import static dev.trellis.server.commands.list.RandomDifferential.index;
import static dev.trellis.server.commands.list.RandomDifferential.pick;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.commands.list.RandomDifferential;
import dev.trellis.server.commands.list.RandomDifferential.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thousands of random set commands (valid and invalid) against Trellis and redis-server;
 * unordered replies are compared sorted and random picks by shape. The member pool size decides
 * whether sets stay small (intset/listpack) or grow into tables.
 */
class SetRandomDifferentialTest {
    private static final String[] KEYS = {"s1", "s2", "s3", "str"};

    @ParameterizedTest
    @CsvSource({"512, 12", "4, 12", "512, 400"})
    void randomCommandsMatchRedis(int intsetEntries, int pool) {
        boolean ran = RandomDifferential.run(RandomDifferential.seed(), 6000,
                new String[] {"--set-max-intset-entries", Integer.toString(intsetEntries)}, r -> next(r, pool));
        assumeTrue(ran, "redis-server not installed");
    }

    private static String member(Random r, int pool) {
        int k = r.nextInt(10);
        if (k < 4) {
            return Integer.toString(r.nextInt(pool) - 3);
        }
        if (k == 4) {
            return pick(r, "", "007", "-0", "9223372036854775807", "-9223372036854775808", "1.5", "L".repeat(70));
        }
        return "m" + r.nextInt(pool);
    }

    private static String[] members(Random r, int pool, String... prefix) {
        List<String> a = new ArrayList<>(List.of(prefix));
        int n = 1 + r.nextInt(r.nextInt(5) == 0 ? 60 : 4);
        for (int i = 0; i < n; i++) {
            a.add(member(r, pool));
        }
        return a.toArray(new String[0]);
    }

    private static String[] keys(Random r, String... prefix) {
        List<String> a = new ArrayList<>(List.of(prefix));
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            a.add(r.nextInt(8) == 0 ? "nokey" : pick(r, KEYS));
        }
        return a.toArray(new String[0]);
    }

    static Cmd next(Random r, int pool) {
        int op = r.nextInt(100);
        String k = pick(r, KEYS);
        if (op < 2) {
            return Cmd.exact("SET", pick(r, "str", "onlystr"), "x");
        }
        if (op < 22) {
            return Cmd.exact(members(r, pool, "SADD", k));
        }
        if (op < 30) {
            return Cmd.exact(members(r, pool, "SREM", k));
        }
        if (op < 36) {
            return Cmd.exact("SISMEMBER", k, member(r, pool));
        }
        if (op < 40) {
            return Cmd.exact(members(r, pool, "SMISMEMBER", k));
        }
        if (op < 44) {
            return Cmd.exact("SCARD", k);
        }
        if (op < 50) {
            return Cmd.sorted("SMEMBERS", k);
        }
        if (op < 55) {
            return Cmd.exact("SMOVE", k, pick(r, KEYS), member(r, pool));
        }
        if (op < 60) {
            return Cmd.sorted(keys(r, pick(r, "SINTER", "SUNION", "SDIFF")));
        }
        if (op < 65) {
            return Cmd.exact(keys(r, pick(r, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), pick(r, KEYS)));
        }
        if (op < 68) {
            String[] ks = keys(r);
            List<String> a = new ArrayList<>(List.of("SINTERCARD", r.nextInt(15) == 0 ? index(r, 3) : Integer.toString(ks.length)));
            a.addAll(List.of(ks));
            if (r.nextBoolean()) {
                a.add("LIMIT");
                a.add(index(r, 5));
            }
            return Cmd.exact(a.toArray(new String[0]));
        }
        if (op < 74) {
            int form = r.nextInt(3);
            if (form == 0) {
                return Cmd.shape("SRANDMEMBER", k);
            }
            return Cmd.shape("SRANDMEMBER", k, index(r, 8));
        }
        if (op < 76) {
            return Cmd.sorted("SRANDMEMBER", k, "100000");
        }
        if (op < 82) {
            // a random pop would make the two servers' contents diverge: only errors, no-ops
            // and pops of whole sets are comparable
            return r.nextBoolean() ? Cmd.shape("SPOP", pick(r, "onlystr", "nokey"))
                    : Cmd.shape("SPOP", k, pick(r, "0", "-1", "abc", "1.5"));
        }
        if (op < 84) {
            return Cmd.sorted("SPOP", k, "100000");
        }
        if (op < 90) {
            List<String> a = new ArrayList<>(List.of("SSCAN", k, r.nextInt(20) == 0 ? pick(r, "abc", " 1", "-") : "0",
                    "COUNT", "100000"));
            if (r.nextBoolean()) {
                a.add("MATCH");
                a.add(pick(r, "m*", "*", "[0-9]", "?", "m1?", "-*"));
            }
            return Cmd.scan(a.toArray(new String[0]));
        }
        if (op < 93) {
            return Cmd.exact("DEL", k);
        }
        return Cmd.sorted("SMEMBERS", k);
    }
}
