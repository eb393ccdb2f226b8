package dev.trellis.server.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.args.UnblockType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/**
 * Every kind of blocking command through real clients, in RESP2 and RESP3: the client blocks,
 * another connection's write wakes it with the right reply, timeouts give the client's "no
 * result", CLIENT UNBLOCK works, and the connection is usable afterwards.
 */
class BlockingRealClientsTest {
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

    /** Waits until {@code n} clients are blocked on the server. */
    private static void awaitBlocked(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (server.server().blocking().blockedClients() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.server().blocking().blockedClients()).isEqualTo(n);
    }

    /** Runs {@code body} on another thread (a Jedis call that blocks). */
    private static <T> CompletableFuture<T> inBackground(java.util.concurrent.Callable<T> body) {
        // A thread each: the common pool may have a single worker on a small machine.
        return CompletableFuture.supplyAsync(() -> {
            try {
                return body.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisListAndZsetPopsAreWokenInOrder(RedisProtocol protocol) throws Exception {
        try (Jedis first = jedis(protocol); Jedis second = jedis(protocol); Jedis writer = jedis(protocol)) {
            CompletableFuture<KeyValue<String, Tuple>> zpop = inBackground(() -> first.bzpopmin(5, "z"));
            awaitBlocked(1);
            CompletableFuture<KeyValue<String, List<Tuple>>> zmpop =
                    inBackground(() -> second.bzmpop(5, SortedSetOption.MAX, 2, "z"));
            awaitBlocked(2);
            // One write readies the key for both: served in the order they blocked.
            writer.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
            KeyValue<String, Tuple> min = zpop.get(5, TimeUnit.SECONDS);
            assertThat(min.getKey()).isEqualTo("z");
            assertThat(min.getValue()).isEqualTo(new Tuple("a", 1.0));
            KeyValue<String, List<Tuple>> max = zmpop.get(5, TimeUnit.SECONDS);
            assertThat(max.getValue()).containsExactly(new Tuple("c", 3.0), new Tuple("b", 2.0));

            CompletableFuture<KeyValue<String, List<String>>> lmpop =
                    inBackground(() -> first.blmpop(5, ListDirection.RIGHT, 2, "l1", "l2"));
            awaitBlocked(1);
            writer.rpush("l2", "x", "y", "z");
            KeyValue<String, List<String>> popped = lmpop.get(5, TimeUnit.SECONDS);
            assertThat(popped.getKey()).isEqualTo("l2");
            assertThat(popped.getValue()).containsExactly("z", "y");
            assertThat(first.brpoplpush("l2", "l3", 1)).isEqualTo("x");
            assertThat(writer.lrange("l3", 0, -1)).containsExactly("x");
            // Fractional timeouts: nothing arrives, the client gets its null.
            long t0 = System.nanoTime();
            assertThat(first.bzpopmin(0.2, "nothing")).isNull();
            assertThat(first.blmpop(0.1, ListDirection.LEFT, "nothing")).isNull();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(290);
            assertThat(first.ping()).isEqualTo("PONG");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisStreamReadsBlockUntilAnEntryArrives(RedisProtocol protocol) throws Exception {
        try (Jedis reader = jedis(protocol); Jedis grouped = jedis(protocol); Jedis writer = jedis(protocol)) {
            writer.xadd("s", new StreamEntryID(1, 0), Map.of("f", "old"));
            writer.xgroupCreate("s", "g", StreamEntryID.XGROUP_LAST_ENTRY, false);
            CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> read = inBackground(() -> reader.xread(
                    XReadParams.xReadParams().block(5000), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)));
            awaitBlocked(1);
            CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> group = inBackground(() -> grouped.xreadGroup(
                    "g", "alice", XReadGroupParams.xReadGroupParams().block(5000).count(1),
                    Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
            awaitBlocked(2);
            writer.xadd("s", new StreamEntryID(2, 0), Map.of("f", "new"));
            List<Map.Entry<String, List<StreamEntry>>> got = read.get(5, TimeUnit.SECONDS);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getKey()).isEqualTo("s");
            assertThat(got.get(0).getValue()).extracting(StreamEntry::getID).containsExactly(new StreamEntryID(2, 0));
            assertThat(got.get(0).getValue().get(0).getFields()).containsEntry("f", "new");
            List<Map.Entry<String, List<StreamEntry>>> delivered = group.get(5, TimeUnit.SECONDS);
            assertThat(delivered.get(0).getValue()).extracting(StreamEntry::getID).containsExactly(new StreamEntryID(2, 0));
            assertThat(writer.xpending("s", "g").getTotal()).isEqualTo(1);
            // Nothing new: a short BLOCK times out with the client's null.
            assertThat(reader.xread(XReadParams.xReadParams().block(100), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)))
                    .isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisClientUnblockTimeoutAndError(RedisProtocol protocol) throws Exception {
        try (Jedis blocked = jedis(protocol); Jedis admin = jedis(protocol)) {
            long id = blocked.clientId();
            CompletableFuture<List<String>> pop = inBackground(() -> blocked.blpop(0, "never"));
            awaitBlocked(1);
            assertThat(admin.clientUnblock(id, UnblockType.TIMEOUT)).isEqualTo(1);
            assertThat(pop.get(5, TimeUnit.SECONDS)).isNull();
            CompletableFuture<List<String>> again = inBackground(() -> blocked.blpop(0, "never"));
            awaitBlocked(1);
            assertThat(admin.clientUnblock(id, UnblockType.ERROR)).isEqualTo(1);
            assertThatThrownBy(() -> again.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JedisDataException.class)
                    .hasMessageContaining("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            assertThat(admin.clientUnblock(id)).isZero(); // not blocked any more
            assertThat(blocked.ping()).isEqualTo("PONG");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lettuceBlockingCommandsAreWokenByWrites(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> waiting = lettuce(v);
             StatefulRedisConnection<String, String> streams = lettuce(v);
             StatefulRedisConnection<String, String> writer = lettuce(v)) {
            RedisFuture<io.lettuce.core.KeyValue<String, ScoredValue<String>>> zmax = waiting.async().bzpopmax(5, "lz");
            awaitBlocked(1);
            streams.sync().xadd("ls", Map.of("f", "0"));
            streams.sync().xgroupCreate(XReadArgs.StreamOffset.from("ls", "$"), "g");
            RedisFuture<List<StreamMessage<String, String>>> group = streams.async().xreadgroup(
                    Consumer.from("g", "bob"), XReadArgs.Builder.block(5000), XReadArgs.StreamOffset.lastConsumed("ls"));
            awaitBlocked(2);
            assertThat(zmax.isDone()).isFalse();
            assertThat(group.isDone()).isFalse();
            writer.sync().zadd("lz", 1.0, "one", 2.0, "two");
            String id = writer.sync().xadd("ls", Map.of("f", "1"));
            io.lettuce.core.KeyValue<String, ScoredValue<String>> top = zmax.get(5, TimeUnit.SECONDS);
            assertThat(top.getKey()).isEqualTo("lz");
            assertThat(top.getValue().getValue()).isEqualTo("two");
            assertThat(top.getValue().getScore()).isEqualTo(2.0);
            List<StreamMessage<String, String>> msgs = group.get(5, TimeUnit.SECONDS);
            assertThat(msgs).extracting(StreamMessage::getId).containsExactly(id);
            assertThat(msgs.get(0).getBody()).containsEntry("f", "1");

            RedisFuture<String> moved = waiting.async().blmove("src", "dst", LMoveArgs.Builder.leftRight(), 5);
            awaitBlocked(1);
            writer.sync().rpush("src", "m");
            assertThat(moved.get(5, TimeUnit.SECONDS)).isEqualTo("m");
            assertThat(writer.sync().lrange("dst", 0, -1)).containsExactly("m");
            // Timeouts come back as null values, and the connection goes on.
            assertThat(waiting.sync().blpop(0.1, "nothing")).isNull();
            assertThat(waiting.sync().xread(XReadArgs.Builder.block(100), XReadArgs.StreamOffset.latest("ls"))).isEmpty();
            assertThat(waiting.sync().ping()).isEqualTo("PONG");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lettuceBlockingInsideMultiDoesNotBlock(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> conn = lettuce(v)) {
            var r = conn.sync();
            r.multi();
            r.blpop(0, "empty");
            r.rpush("full", "v");
            r.brpop(0, "full");
            var result = r.exec();
            assertThat(result.wasDiscarded()).isFalse();
            assertThat((Object) result.get(0)).isNull();
            assertThat((Object) result.get(1)).isEqualTo(1L);
            io.lettuce.core.KeyValue<String, String> kv = result.get(2);
            assertThat(kv.getValue()).isEqualTo("v");
        }
    }
}
