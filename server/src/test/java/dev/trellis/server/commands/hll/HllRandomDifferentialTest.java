package dev.trellis.server.commands.hll;

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
 * Random PFADD, PFCOUNT and PFMERGE sequences against redis-server, comparing every reply and
 * the raw bytes of every HyperLogLog (GET), through sparse growth and promotion to dense with
 * varying hll-sparse-max-bytes. Replay with {@code -Dhll.seed=N}.
 */
class HllRandomDifferentialTest {
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

    @Test
    void randomOperationsGiveIdenticalValues() {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        long seed = Long.getLong("hll.seed", System.nanoTime());
        Random r = new Random(seed);
        String[] keys = {"h1", "h2", "h3", "h4"};
        try (RespClient a = trellis.client(); RespClient b = redis.client();
                RawGet ga = new RawGet(trellis.port()); RawGet gb = new RawGet(redis.port())) {
            a.call("FLUSHALL");
            b.call("FLUSHALL");
            for (int i = 0; i < 600; i++) {
                List<String> cmd = new ArrayList<>();
                int kind = r.nextInt(20);
                String key = keys[r.nextInt(keys.length)];
                if (kind < 12) {
                    cmd.add("PFADD");
                    cmd.add(key);
                    int n = r.nextInt(10) == 0 ? 200 + r.nextInt(800) : r.nextInt(8);
                    int space = r.nextInt(3) == 0 ? 50 : 1_000_000;
                    for (int j = 0; j < n; j++) {
                        cmd.add(Integer.toString(r.nextInt(space)));
                    }
                } else if (kind < 15) {
                    cmd.add("PFCOUNT");
                    cmd.add(key);
                    if (r.nextBoolean()) {
                        cmd.add(keys[r.nextInt(keys.length)]);
                    }
                } else if (kind < 17) {
                    cmd.add("PFMERGE");
                    cmd.add(key);
                    for (int j = r.nextInt(3); j >= 0; j--) {
                        cmd.add(keys[r.nextInt(keys.length)]);
                    }
                } else if (kind == 17) {
                    cmd.addAll(List.of("CONFIG", "SET", "hll-sparse-max-bytes",
                            new String[] {"0", "100", "500", "3000", "10000"}[r.nextInt(5)]));
                } else if (kind == 18) {
                    cmd.addAll(List.of("DEL", key));
                } else {
                    cmd.addAll(List.of("PFDEBUG", r.nextBoolean() ? "ENCODING" : "TODENSE", key));
                }
                String[] args = cmd.toArray(new String[0]);
                String what = "seed " + seed + " step " + i + ": " + String.join(" ", cmd).substring(0,
                        Math.min(200, String.join(" ", cmd).length()));
                assertThat(a.call(args).toString()).as(what).isEqualTo(b.call(args).toString());
                for (String k : i % 100 == 0 ? keys : i % 4 == 0 ? new String[] {key} : new String[0]) {
                    assertThat(ga.hex(k)).as(what + " then GET " + k).isEqualTo(gb.hex(k));
                }
            }
            a.call("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
            b.call("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
        }
    }
}
