package dev.trellis.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lettuce (Netty based, RESP3 by default through HELLO 3) against Trellis. */
class LettuceClientTest {
    private static TestServer server;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(20)).build());
    }

    @AfterAll
    static void stop() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.close();
    }

    private static StatefulRedisConnection<String, String> connect(ProtocolVersion v) {
        client.setOptions(ClientOptions.builder().protocolVersion(v).build());
        return client.connect();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void basicAndClientCommands(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            r.select(3);
            assertThat(r.set("lk", "v")).isEqualTo("OK");
            assertThat(r.get("lk")).isEqualTo("v");
            assertThat(r.dbsize()).isEqualTo(1);
            long id = r.clientId();
            assertThat(r.clientSetname("lettuce")).isEqualTo("OK");
            assertThat(r.clientGetname()).isEqualTo("lettuce");
            assertThat(r.clientList()).contains("id=" + id + " ", " name=lettuce ", " db=3 ",
                    " resp=" + (v == ProtocolVersion.RESP3 ? 3 : 2));
            assertThat(r.clientKill(KillArgs.Builder.id(999_999))).isZero();
            r.flushdb();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void asyncPipelineOfTenThousand(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = connect(v)) {
            RedisAsyncCommands<String, String> a = conn.async();
            a.select(4);
            conn.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                futures.add(a.set("k" + i, "v" + i));
            }
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(60), futures.toArray(new RedisFuture[0]))).isTrue();
            conn.setAutoFlushCommands(true);
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.dbsize()).isEqualTo(10_000);
            assertThat(r.get("k9999")).isEqualTo("v9999");
            r.flushdb();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void configInfoAndCommands(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
            assertThat(r.configSet("maxmemory-policy", "allkeys-lru")).isEqualTo("OK");
            assertThat(r.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lru");
            r.configSet("maxmemory-policy", "noeviction");
            assertThat(r.info("server")).contains("redis_version:7.2.4", "tcp_port:" + server.port());
            assertThat(r.info()).contains("# Memory", "used_memory:");
            assertThat(r.commandCount()).isPositive();
            assertThat(r.command()).isNotEmpty();
            assertThat(r.time()).hasSize(2);
            assertThat(r.configResetstat()).isEqualTo("OK");
        }
    }
}
