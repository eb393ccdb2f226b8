package dev.trellis.server.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Blocking commands through real clients: Jedis (RESP2) and Lettuce (RESP3, asynchronous). */
class BlockingClientsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jedisTimeoutAndImmediatePop() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            long t0 = System.nanoTime();
            assertThat(j.blpop(0.3, "jempty")).isNull();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(290);
            j.rpush("jfull", "a", "b");
            assertThat(j.brpop(1, "jempty", "jfull")).containsExactly("jfull", "b");
            assertThat(j.blmove("jfull", "jdst", redis.clients.jedis.args.ListDirection.LEFT,
                    redis.clients.jedis.args.ListDirection.RIGHT, 1)).isEqualTo("a");
            assertThat(j.lrange("jdst", 0, -1)).containsExactly("a");
        }
    }

    @Test
    void lettuceAsyncBlpopIsWokenByAPushFromAnotherConnection() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> waiting = client.connect();
             StatefulRedisConnection<String, String> pushing = client.connect()) {
            RedisFuture<KeyValue<String, String>> popped = waiting.async().blpop(0, "lq");
            long deadline = System.currentTimeMillis() + 5000;
            while (server.server().blocking().blockedClients() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(popped.isDone()).isFalse();
            assertThat(pushing.sync().lpush("lq", "hello")).isEqualTo(1L);
            KeyValue<String, String> kv = popped.get(5, TimeUnit.SECONDS);
            assertThat(List.of(kv.getKey(), kv.getValue())).containsExactly("lq", "hello");
            // The connection goes on normally afterwards.
            assertThat(waiting.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown();
        }
    }
}
