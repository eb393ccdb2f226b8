package dev.trellis.server.commands.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random SORT commands (BY, GET with hash fields, LIMIT, ASC/DESC, ALPHA, STORE) over random
 * lists, small sets and sorted sets against redis-server. Cases whose order Redis leaves to
 * hash-table iteration or to its unstable partial sort are avoided. Replay with
 * {@code -Dsort.seed=N}.
 */
class SortRandomDifferentialTest {
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

    private static final String[] VALUES = {"1", "2", "3", "10", "-1", "2.5", "0", "a", "b", "abc", "B", "", " 7", "1e3", "x1"};

    @Test
    void randomSortsMatchRedis() {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        long seed = Long.getLong("sort.seed", System.nanoTime());
        Random r = new Random(seed);
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            for (int round = 0; round < 40; round++) {
                List<List<String>> setup = new ArrayList<>();
                setup.add(List.of("FLUSHALL"));
                List<String> push = new ArrayList<>(List.of("RPUSH", "l"));
                List<String> sadd = new ArrayList<>(List.of("SADD", "s"));
                List<String> zadd = new ArrayList<>(List.of("ZADD", "z"));
                int n = 1 + r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    String v = VALUES[r.nextInt(VALUES.length)];
                    push.add(v);
                    sadd.add(Integer.toString(r.nextInt(50) - 10));
                    zadd.add(Integer.toString(r.nextInt(5)));
                    zadd.add(v);
                }
                setup.add(push);
                setup.add(sadd);
                setup.add(zadd);
                for (String v : VALUES) {
                    if (r.nextInt(4) > 0) {
                        setup.add(List.of("SET", "w_" + v, Integer.toString(r.nextInt(20) - 5)));
                    }
                    if (r.nextInt(3) > 0) {
                        setup.add(List.of("SET", "v_" + v, VALUES[r.nextInt(VALUES.length)] + "!"));
                    }
                    if (r.nextInt(3) > 0) {
                        setup.add(List.of("HSET", "h_" + v, "f", Integer.toString(r.nextInt(9)), "g", "G" + v));
                    }
                }
                for (List<String> cmd : setup) {
                    check(a, b, seed, cmd);
                }
                for (int i = 0; i < 40; i++) {
                    check(a, b, seed, sort(r));
                    if (r.nextInt(5) == 0) {
                        check(a, b, seed, List.of("LRANGE", "dst", "0", "-1"));
                    }
                }
            }
        }
    }

    private static List<String> sort(Random r) {
        String key = new String[] {"l", "l", "s", "z", "nokey"}[r.nextInt(5)];
        List<String> c = new ArrayList<>(List.of(r.nextInt(6) == 0 ? "SORT_RO" : "SORT", key));
        boolean alpha = r.nextInt(3) == 0;
        boolean by = r.nextBoolean();
        boolean limit = r.nextInt(3) == 0;
        if (by) {
            String p = new String[] {"w_*", "h_*->f", "nosort", "missing_*", "v_*"}[r.nextInt(5)];
            if (alpha && (!key.equals("l") || limit)) {
                p = "nosort"; // ties would keep hash or partial-sort order
            }
            c.add("BY");
            c.add(p);
        }
        if (limit) {
            c.addAll(List.of("LIMIT", Integer.toString(r.nextInt(6) - 1), Integer.toString(r.nextInt(6) - 1)));
        }
        for (int g = r.nextInt(3); g > 0; g--) {
            c.add("GET");
            c.add(new String[] {"#", "v_*", "h_*->g", "h_*->f", "w_*", "nostar"}[r.nextInt(6)]);
        }
        if (r.nextBoolean()) {
            c.add(r.nextBoolean() ? "ASC" : "DESC");
        }
        if (alpha) {
            c.add("ALPHA");
        }
        if (r.nextInt(4) == 0 && c.get(0).equals("SORT")) {
            c.add("STORE");
            c.add("dst");
        }
        return c;
    }

    private static void check(RespClient a, RespClient b, long seed, List<String> cmd) {
        String[] args = cmd.toArray(new String[0]);
        assertThat(a.call(args).toString()).as("seed %d: %s", seed, String.join(" ", cmd)).isEqualTo(b.call(args).toString());
    }
}
