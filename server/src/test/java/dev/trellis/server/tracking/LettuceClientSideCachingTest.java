package dev.trellis.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Lettuce's client-side cache (RESP3 tracking) stays coherent with writes from elsewhere. */
class LettuceClientSideCachingTest {
    @Test
    void cachedValueIsDroppedWhenAnotherConnectionWrites() throws Exception {
        try (TestServer server = TestServer.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> cached = client.connect();
                 StatefulRedisConnection<String, String> other = client.connect()) {
                other.sync().set("csc", "v1");
                Map<String, String> local = new ConcurrentHashMap<>();
                CacheFrontend<String, String> frontend = ClientSideCaching.enable(
                        CacheAccessor.forMap(local), cached, TrackingArgs.Builder.enabled());
                assertThat(frontend.get("csc")).isEqualTo("v1");
                assertThat(local).containsEntry("csc", "v1");
                other.sync().set("csc", "v2");
                long deadline = System.currentTimeMillis() + 5000;
                while (local.containsKey("csc") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(local).doesNotContainKey("csc");
                assertThat(frontend.get("csc")).isEqualTo("v2");
                frontend.close();
            } finally {
                client.shutdown();
            }
        }
    }
}
