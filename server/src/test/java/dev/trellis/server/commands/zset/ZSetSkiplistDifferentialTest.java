package dev.trellis.server.commands.zset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.diff.ScriptDiff;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The zset and geo differential scripts again, with both servers keeping every sorted set in
 * the skiplist encoding (zset-max-listpack-entries 0), so each command runs on both encodings.
 */
class ZSetSkiplistDifferentialTest {
    private static TestServer trellis;
    private static ReferenceRedis redis;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.startOrNull("--zset-max-listpack-entries", "0");
        if (redis != null) {
            trellis = TestServer.start("--zset-max-listpack-entries", "0");
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

    @TestFactory
    Stream<DynamicTest> scripts() {
        return Stream.concat(ScriptDiff.scripts("zset-").stream(), ScriptDiff.scripts("geo-").stream())
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
    }

    private static void run(Path script) throws Exception {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            assertThat(ScriptDiff.run(a, b, script, Set.of("listpack"))).as("replies differing from redis-server").isEmpty();
        }
    }
}
