package dev.trellis.server.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Pub/sub through real clients in both protocols: channel, pattern and shard channel
 * subscriptions, messages in the right order and shape (RESP2 arrays, RESP3 pushes), the
 * PUBSUB introspection subcommands, and unsubscribing.
 */
class PubSubRealClientsTest {
    private static final ProtocolCommand SPUBLISH = () -> "SPUBLISH".getBytes(StandardCharsets.US_ASCII);
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

    private static Jedis jedis(RedisProtocol protocol) {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(20_000).build());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisChannelsPatternsAndCounts(RedisProtocol protocol) throws Exception {
        String ch = "news." + protocol;
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add(channel + "=" + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(pattern + "|" + channel + "=" + message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                got.add("subscribe " + channel + " " + count);
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                got.add("psubscribe " + pattern + " " + count);
            }

            @Override
            public void onUnsubscribe(String channel, int count) {
                got.add("unsubscribe " + channel + " " + count);
            }

            @Override
            public void onPUnsubscribe(String pattern, int count) {
                got.add("punsubscribe " + pattern + " " + count);
            }
        };
        try (Jedis sub = jedis(protocol); Jedis pub = jedis(protocol)) {
            Thread t = new Thread(() -> sub.subscribe(listener, ch));
            t.start();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("subscribe " + ch + " 1");
            listener.psubscribe("news.*");
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("psubscribe news.* 2");
            assertThat(pub.pubsubNumSub(ch)).isEqualTo(Map.of(ch, 1L));
            assertThat(pub.pubsubNumPat()).isEqualTo(1L);
            assertThat(pub.pubsubChannels("news.*")).containsExactly(ch);
            assertThat(pub.publish(ch, "m1")).isEqualTo(2);
            assertThat(pub.publish("news.other", "m2")).isEqualTo(1);
            assertThat(pub.publish("elsewhere", "m3")).isZero();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(ch + "=m1");
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("news.*|" + ch + "=m1");
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("news.*|news.other=m2");
            listener.punsubscribe();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("punsubscribe news.* 1");
            listener.unsubscribe();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("unsubscribe " + ch + " 0");
            t.join(5000);
            assertThat(t.isAlive()).isFalse();
            assertThat(pub.pubsubNumPat()).isZero();
            assertThat(pub.publish(ch, "late")).isZero();
            // The connection that subscribed is an ordinary one again.
            assertThat(sub.ping()).isEqualTo("PONG");
            assertThat(got).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void jedisShardChannels(RedisProtocol protocol) throws Exception {
        String ch = "shard." + protocol;
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        JedisShardedPubSub listener = new JedisShardedPubSub() {
            @Override
            public void onSMessage(String channel, String message) {
                got.add(channel + "=" + message);
            }

            @Override
            public void onSSubscribe(String channel, int count) {
                got.add("ssubscribe " + channel + " " + count);
            }

            @Override
            public void onSUnsubscribe(String channel, int count) {
                got.add("sunsubscribe " + channel + " " + count);
            }
        };
        try (Jedis sub = jedis(protocol); Jedis pub = jedis(protocol)) {
            Thread t = new Thread(() -> listener.proceed(sub.getConnection(), ch));
            t.start();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("ssubscribe " + ch + " 1");
            assertThat(pub.sendCommand(() -> "PUBSUB".getBytes(StandardCharsets.US_ASCII), "SHARDNUMSUB", ch))
                    .asList().hasSize(2).last().isEqualTo(1L);
            assertThat(pub.sendCommand(SPUBLISH, ch, "hello")).isEqualTo(1L);
            assertThat(pub.publish(ch, "not-a-shard-message")).isZero();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(ch + "=hello");
            listener.sunsubscribe();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("sunsubscribe " + ch + " 0");
            t.join(5000);
            assertThat(t.isAlive()).isFalse();
            assertThat(pub.sendCommand(SPUBLISH, ch, "late")).isEqualTo(0L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lettuceChannelsPatternsAndShards(ProtocolVersion v) throws Exception {
        lettuce.setOptions(ClientOptions.builder().protocolVersion(v).build());
        String ch = "l." + v;
        try (StatefulRedisPubSubConnection<String, String> sub = lettuce.connectPubSub();
             StatefulRedisConnection<String, String> pub = lettuce.connect()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + "|" + channel + "=" + message);
                }

                @Override
                public void smessage(String channel, String message) {
                    got.add("s:" + channel + "=" + message);
                }

                @Override
                public void punsubscribed(String pattern, long count) {
                    left.countDown();
                }
            });
            sub.sync().subscribe(ch);
            sub.sync().psubscribe("l.*");
            sub.sync().ssubscribe("s" + ch);
            await(() -> pub.sync().pubsubNumsub(ch).get(ch) == 1L);
            assertThat(pub.sync().pubsubNumpat()).isEqualTo(1L);
            assertThat(pub.sync().pubsubShardChannels()).contains("s" + ch);
            assertThat(pub.sync().publish(ch, "a")).isEqualTo(2L);
            assertThat(pub.sync().spublish("s" + ch, "b")).isEqualTo(1L);
            assertThat(List.of(got.poll(5, TimeUnit.SECONDS), got.poll(5, TimeUnit.SECONDS), got.poll(5, TimeUnit.SECONDS)))
                    .containsExactly(ch + "=a", "l.*|" + ch + "=a", "s:s" + ch + "=b");
            if (v == ProtocolVersion.RESP3) {
                // RESP3: a subscribed connection still runs ordinary commands.
                assertThat(sub.sync().echo("still here")).isEqualTo("still here");
            }
            sub.sync().unsubscribe(ch);
            sub.sync().punsubscribe("l.*");
            // Lettuce lets SUNSUBSCRIBE through a RESP2 connection only once it has seen the
            // last channel and pattern go (its allow-list for subscribed connections lacks it),
            // and it learns that just after the PUNSUBSCRIBE call returns.
            assertThat(left.await(5, TimeUnit.SECONDS)).isTrue();
            sub.sync().sunsubscribe("s" + ch);
            assertThat(pub.sync().publish(ch, "gone")).isZero();
            assertThat(pub.sync().spublish("s" + ch, "gone")).isZero();
            assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }
}
