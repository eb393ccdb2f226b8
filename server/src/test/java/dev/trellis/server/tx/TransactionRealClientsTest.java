package dev.trellis.server.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * MULTI/EXEC/DISCARD/WATCH through real clients in RESP2 and RESP3: results in order, a
 * runtime error inside EXEC does not stop the rest, a queueing error aborts with EXECABORT,
 * a touched WATCHed key (also by expiry and FLUSHALL) makes EXEC return null.
 */
class TransactionRealClientsTest {
    private static TestServer server;
    private static RedisClient lettuce;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(20)).build());
    }

    @AfterAll
    static void stop() {
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.close();
    }

    @BeforeEach
    void flush() {
        try (Jedis j = jedis(RedisProtocol.RESP2)) {
            j.flushAll();
        }
    }

    private static Jedis jedis(RedisProtocol protocol) {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(20_000).build());
    }

    private static StatefulRedisConnection<String, String> lettuce(ProtocolVersion v) {
        lettuce.setOptions(ClientOptions.builder().protocolVersion(v).build());
        return lettuce.connect();
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisExecRunsEverythingQueued(RedisProtocol protocol) {
        try (Jedis j = jedis(protocol)) {
            j.set("str", "text");
            Transaction tx = j.multi();
            Response<Long> incr = tx.incr("n");
            Response<Long> bad = tx.incr("str"); // fails at EXEC time only
            Response<Long> push = tx.rpush("l", "a", "b");
            Response<List<String>> range = tx.lrange("l", 0, -1);
            Response<java.util.Map<String, String>> all = tx.hgetAll("nohash");
            List<Object> results = tx.exec();
            assertThat(results).hasSize(5);
            assertThat(incr.get()).isEqualTo(1L);
            assertThatThrownBy(bad::get).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            assertThat(push.get()).isEqualTo(2L);
            assertThat(range.get()).containsExactly("a", "b");
            assertThat(all.get()).isEmpty();
            assertThat(j.get("n")).isEqualTo("1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisQueueingErrorAbortsAndDiscardDropsTheQueue(RedisProtocol protocol) {
        try (Jedis j = jedis(protocol)) {
            Transaction tx = j.multi();
            tx.set("x", "1");
            tx.sendCommand(() -> "GET".getBytes(StandardCharsets.US_ASCII), new String[0]); // wrong arity: refused when queued
            assertThatThrownBy(tx::exec).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("EXECABORT Transaction discarded because of previous errors.");
            assertThat(j.exists("x")).isFalse();
            Transaction dropped = j.multi();
            dropped.set("y", "1");
            assertThat(dropped.discard()).isEqualTo("OK");
            assertThat(j.exists("y")).isFalse();
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisWatchAbortsOnChangeExpiryAndFlush(RedisProtocol protocol) throws Exception {
        try (Jedis j = jedis(protocol); Jedis other = jedis(protocol)) {
            j.set("w", "1");
            j.watch("w");
            other.set("w", "2");
            Transaction tx = j.multi();
            tx.set("w", "3");
            assertThat(tx.exec()).isNull();
            assertThat(j.get("w")).isEqualTo("2");

            j.psetex("e", 400, "v");
            j.watch("e");
            assertThat(j.pttl("e")).isPositive(); // alive when watched (else expiry is no change)
            Thread.sleep(600); // expires while watched
            Transaction expired = j.multi();
            expired.set("e", "again");
            assertThat(expired.exec()).isNull();

            j.set("f", "v");
            j.watch("f");
            other.flushAll();
            Transaction flushed = j.multi();
            flushed.set("f", "again");
            assertThat(flushed.exec()).isNull();

            j.set("u", "v");
            j.watch("u");
            j.unwatch();
            other.set("u", "changed");
            Transaction unwatched = j.multi();
            unwatched.set("u", "mine");
            assertThat(unwatched.exec()).containsExactly("OK");
            assertThat(j.get("u")).isEqualTo("mine");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lettuceTransactions(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce(v);
             StatefulRedisConnection<String, String> other = lettuce(v)) {
            RedisCommands<String, String> r = conn.sync();
            r.set("s", "text");
            assertThat(r.multi()).isEqualTo("OK");
            assertThat(r.set("k", "v")).isNull(); // queued: the value comes with EXEC
            r.incr("s");
            r.zadd("z", 1.5, "m");
            r.zrangeWithScores("z", 0, -1);
            TransactionResult res = r.exec();
            assertThat(res.wasDiscarded()).isFalse();
            assertThat(res.size()).isEqualTo(4);
            assertThat((Object) res.get(0)).isEqualTo("OK");
            assertThat((Object) res.get(1)).isInstanceOf(RedisCommandExecutionException.class);
            assertThat((Object) res.get(2)).isEqualTo(1L);
            assertThat(res.get(3).toString()).contains("1.5").contains("m");

            r.watch("k");
            other.sync().append("k", "!");
            r.multi();
            r.set("k", "mine");
            assertThat(r.exec().wasDiscarded()).isTrue();
            assertThat(r.get("k")).isEqualTo("v!");

            r.multi();
            r.set("never", "1");
            r.dispatch(CommandType.GET, new StatusOutput<>(StringCodec.UTF8)); // wrong arity: refused when queued
            assertThatThrownBy(r::exec).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("EXECABORT Transaction discarded because of previous errors.");
            assertThat(r.exists("never")).isZero();
            assertThat(r.ping()).isEqualTo("PONG");
        }
    }
}
