package dev.trellis.server.commands.zset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.diff.KeyEventCapture;
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
 * The keyspace events (names, keys, order) that the zset, geo, HyperLogLog, sort and stream scripts cause
 * must be the ones redis-server emits.
 */
class ZSetEventsDifferentialTest {
    private static TestServer trellis;
    private static ReferenceRedis redis;
    private static KeyEventCapture trellisEvents;
    private static KeyEventCapture redisEvents;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.startOrNull();
        if (redis != null) {
            trellis = TestServer.start();
            trellisEvents = KeyEventCapture.of(trellis);
            redisEvents = KeyEventCapture.of(redis);
        }
    }

    @AfterAll
    static void stop() {
        if (trellis != null) {
            trellisEvents.close();
            redisEvents.close();
            trellis.close();
            redis.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> scripts() {
        return Stream.of("zset-", "geo-", "sort-", "hll-", "stream-")
                .flatMap(p -> ScriptDiff.scripts(p).stream())
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
    }

    private static void run(Path script) throws Exception {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            trellisEvents.drain();
            redisEvents.drain();
            ScriptDiff.run(a, b, script, Set.of());
            assertThat(trellisEvents.drain()).as("keyspace events of " + script.getFileName()).isEqualTo(redisEvents.drain());
        }
    }
}
