package dev.trellis.server.commands.hash;

import static dev.trellis.server.commands.list.RandomDifferential.index;
import static dev.trellis.server.commands.list.RandomDifferential.pick;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.commands.list.RandomDifferential;
import dev.trellis.server.commands.list.RandomDifferential.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random hash commands (valid and invalid) against Trellis and redis-server;
 * replies must match (unordered ones compared sorted, random picks by shape). Small limits make
 * hashes switch from listpack to hashtable often.
 */
class HashRandomDifferentialTest {
    private static final String[] KEYS = {"h1", "h2", "h3", "str"};
    private static final String LONG = "L".repeat(70);

    @ParameterizedTest
    @ValueSource(strings = {"512 64", "4 8", "1 100"})
    void randomCommandsMatchRedis(String limits) {
        String[] l = limits.split(" ");
        boolean ran = RandomDifferential.run(RandomDifferential.seed(), 6000,
                new String[] {"--hash-max-listpack-entries", l[0], "--hash-max-listpack-value", l[1]},
                HashRandomDifferentialTest::next);
        assumeTrue(ran, "redis-server not installed");
    }

    private static String field(Random r) {
        return r.nextInt(40) == 0 ? LONG : pick(r, "f0", "f1", "f2", "f3", "f4", "f5", "1", "-2", "", "field-name-9");
    }

    private static String value(Random r) {
        int k = r.nextInt(30);
        if (k == 0) {
            return LONG;
        }
        return pick(r, "v", "value", "0", "12", "-7", "1.5", "-0.25", "1e3", "9223372036854775807", "abc", "",
                "007", "3.0000000000000001");
    }

    private static String[] pairs(Random r, String... prefix) {
        List<String> a = new ArrayList<>(List.of(prefix));
        int n = 1 + r.nextInt(r.nextInt(8) == 0 ? 12 : 3);
        for (int i = 0; i < n; i++) {
            a.add(field(r));
            a.add(value(r));
        }
        if (r.nextInt(40) == 0) {
            a.add(field(r)); // odd number of arguments
        }
        return a.toArray(new String[0]);
    }

    private static String[] fields(Random r, String... prefix) {
        List<String> a = new ArrayList<>(List.of(prefix));
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            a.add(field(r));
        }
        return a.toArray(new String[0]);
    }

    static Cmd next(Random r) {
        int op = r.nextInt(100);
        String k = pick(r, KEYS);
        if (op < 2) {
            return Cmd.exact("SET", "str", "x");
        }
        if (op < 18) {
            return Cmd.exact(pairs(r, pick(r, "HSET", "HMSET"), k));
        }
        if (op < 22) {
            return Cmd.exact("HSETNX", k, field(r), value(r));
        }
        if (op < 32) {
            return Cmd.exact("HGET", k, field(r));
        }
        if (op < 36) {
            return Cmd.exact(fields(r, "HMGET", k));
        }
        if (op < 44) {
            return Cmd.exact(fields(r, "HDEL", k));
        }
        if (op < 47) {
            return Cmd.exact("HLEN", k);
        }
        if (op < 50) {
            return Cmd.exact("HSTRLEN", k, field(r));
        }
        if (op < 53) {
            return Cmd.exact("HEXISTS", k, field(r));
        }
        if (op < 60) {
            return Cmd.sorted(pick(r, "HKEYS", "HVALS", "HGETALL"), k);
        }
        if (op < 67) {
            return Cmd.exact("HINCRBY", k, field(r), r.nextInt(10) == 0 ? value(r) : index(r, 100));
        }
        if (op < 74) {
            String incr = r.nextInt(8) == 0 ? value(r) : pick(r, "0.1", "-1.5", "3", "1e2", "2.5e-3", "inf", "abc", "10.05");
            return Cmd.exact("HINCRBYFLOAT", k, field(r), incr);
        }
        if (op < 82) {
            int form = r.nextInt(4);
            if (form == 0) {
                return Cmd.shape("HRANDFIELD", k);
            }
            String count = index(r, 8);
            if (count.startsWith("-") || count.equals("1") || count.length() > 3) {
                return form == 1 ? Cmd.shape("HRANDFIELD", k, count) : Cmd.shape("HRANDFIELD", k, count, "WITHVALUES");
            }
            // a non-negative count returns distinct fields: when it covers the hash the set is known
            return form == 1 ? Cmd.shape("HRANDFIELD", k, count) : Cmd.shape("HRANDFIELD", k, count, pick(r, "WITHVALUES", "withvalues", "bogus"));
        }
        if (op < 86) {
            return Cmd.sorted("HRANDFIELD", k, "1000");
        }
        if (op < 92) {
            List<String> a = new ArrayList<>(List.of("HSCAN", k, r.nextInt(20) == 0 ? pick(r, "abc", " 1", "1.5", "-") : "0", "COUNT", "1000"));
            if (r.nextBoolean()) {
                a.add("MATCH");
                a.add(pick(r, "f*", "*", "[0-9]", "?", "f[1-3]", "\\f*"));
            }
            return Cmd.scan(a.toArray(new String[0]));
        }
        if (op < 95) {
            return Cmd.exact("DEL", k);
        }
        return Cmd.sorted("HGETALL", k);
    }
}
