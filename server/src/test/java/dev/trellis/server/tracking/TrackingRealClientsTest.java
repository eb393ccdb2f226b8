package dev.trellis.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.TrackingInfo;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Client-side caching through real clients: RESP2 invalidations redirected to a subscriber on
 * __redis__:invalidate (Jedis and Lettuce), RESP3 invalidation pushes interleaved with replies
 * on the tracking connection itself (BCAST, OPTIN, NOLOOP), and the tracking introspection.
 */
class TrackingRealClientsTest {
    private static final ProtocolCommand CLIENT = () -> "CLIENT".getBytes(StandardCharsets.US_ASCII);
    private static final ProtocolCommand SUBSCRIBE = () -> "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);
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

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    /** A pub/sub message [kind, channel, payload] read raw from a Jedis connection, as strings. */
    private static List<String> readMessage(Connection conn) {
        List<String> out = new ArrayList<>();
        for (Object part : (List<?>) conn.getOne()) {
            if (part instanceof List<?> keys) {
                for (Object k : keys) {
                    out.add(text(k));
                }
            } else {
                out.add(text(part));
            }
        }
        return out;
    }

    @Test
    void jedisResp2RedirectToASubscriber() {
        try (Jedis sub = jedis(RedisProtocol.RESP2); Jedis cached = jedis(RedisProtocol.RESP2);
             Jedis writer = jedis(RedisProtocol.RESP2)) {
            long subId = sub.clientId();
            Connection conn = sub.getConnection();
            conn.sendCommand(SUBSCRIBE, "__redis__:invalidate");
            assertThat(readMessage(conn)).containsExactly("subscribe", "__redis__:invalidate", "1");
            assertThat(text(cached.sendCommand(CLIENT, "TRACKING", "on", "REDIRECT", Long.toString(subId)))).isEqualTo("OK");
            assertThat((Long) cached.sendCommand(CLIENT, "GETREDIR")).isEqualTo(subId);
            writer.set("jk", "1");
            assertThat(cached.get("jk")).isEqualTo("1"); // now tracked
            writer.set("jk", "2");
            assertThat(readMessage(conn)).containsExactly("message", "__redis__:invalidate", "jk");
            writer.set("jk", "3"); // not read again since: no second invalidation
            assertThat(cached.get("jk")).isEqualTo("3");
            writer.del("jk");
            assertThat(readMessage(conn)).containsExactly("message", "__redis__:invalidate", "jk");
            cached.flushAll(); // FLUSHALL invalidates everything: a null key list
            List<?> flush = (List<?>) conn.getOne();
            assertThat(text(flush.get(0))).isEqualTo("message");
            assertThat(flush.get(2)).isNull();
        }
    }

    @Test
    void jedisResp3TrackerWithBroadcastRedirect() {
        // Jedis reads a RESP3 push that arrives in place of a reply as that reply (its own
        // cache needs a 7.4 server), so its RESP3 tracking connection redirects instead.
        try (Jedis sub = jedis(RedisProtocol.RESP2); Jedis cached = jedis(RedisProtocol.RESP3);
             Jedis writer = jedis(RedisProtocol.RESP3)) {
            long subId = sub.clientId();
            Connection conn = sub.getConnection();
            conn.sendCommand(SUBSCRIBE, "__redis__:invalidate");
            assertThat(readMessage(conn)).containsExactly("subscribe", "__redis__:invalidate", "1");
            assertThat(text(cached.sendCommand(CLIENT, "TRACKING", "on", "REDIRECT", Long.toString(subId), "BCAST",
                    "PREFIX", "a:", "PREFIX", "b:"))).isEqualTo("OK");
            assertThat((Long) cached.sendCommand(CLIENT, "GETREDIR")).isEqualTo(subId);
            writer.set("a:1", "x");
            assertThat(readMessage(conn)).containsExactly("message", "__redis__:invalidate", "a:1");
            writer.set("c:1", "x"); // no matching prefix
            writer.mset("b:1", "y", "b:2", "z");
            List<String> both = readMessage(conn);
            assertThat(both.subList(0, 2)).containsExactly("message", "__redis__:invalidate");
            assertThat(both.subList(2, both.size())).containsExactlyInAnyOrder("b:1", "b:2");
            assertThat(cached.get("a:1")).isEqualTo("x");
            assertThat(cached.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void lettuceResp2RedirectAndTrackingInfo() throws Exception {
        lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        try (StatefulRedisPubSubConnection<String, String> sub = lettuce.connectPubSub();
             StatefulRedisConnection<String, String> cached = lettuce.connect();
             StatefulRedisConnection<String, String> writer = lettuce.connect()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }
            });
            long subId = sub.sync().clientId(); // RESP2: no CLIENT once subscribed
            sub.sync().subscribe("__redis__:invalidate");
            cached.sync().clientTracking(TrackingArgs.Builder.enabled().redirect(subId).bcast().prefixes("user:"));
            TrackingInfo info = cached.sync().clientTrackinginfo();
            assertThat(info.getFlags()).contains(TrackingInfo.TrackingFlag.ON, TrackingInfo.TrackingFlag.BCAST);
            assertThat(info.getRedirect()).isEqualTo(subId);
            assertThat(info.getPrefixes()).containsExactly("user:");
            writer.sync().set("user:1", "x"); // BCAST: no read needed
            writer.sync().set("other", "x"); // outside the prefix
            String msg = got.poll(5, TimeUnit.SECONDS);
            assertThat(msg).startsWith("__redis__:invalidate=").contains("user:1");
            assertThat(got.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void lettuceResp3PushesOnTheTrackingConnection() throws Exception {
        lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> cached = lettuce.connect();
             StatefulRedisConnection<String, String> writer = lettuce.connect()) {
            BlockingQueue<String> pushes = new LinkedBlockingQueue<>();
            cached.addListener(push -> {
                if (push.getType().equals("invalidate")) {
                    Object keys = push.getContent(b -> StandardCharsets.UTF_8.decode((ByteBuffer) b).toString()).get(1);
                    pushes.add(String.valueOf(keys));
                }
            });
            cached.sync().clientTracking(TrackingArgs.Builder.enabled().optin().noloop());
            cached.sync().set("own", "1");
            cached.sync().clientCaching(true);
            assertThat(cached.sync().get("own")).isEqualTo("1"); // tracked (OPTIN + CACHING yes)
            assertThat(cached.sync().get("untracked")).isNull(); // OPTIN: not asked for, not tracked
            cached.sync().set("own", "mine"); // NOLOOP: own writes are not reported
            assertThat(pushes.poll(300, TimeUnit.MILLISECONDS)).isNull();
            cached.sync().clientCaching(true);
            cached.sync().get("own");
            writer.sync().set("untracked", "x");
            writer.sync().set("own", "theirs");
            assertThat(pushes.poll(5, TimeUnit.SECONDS)).isEqualTo("[own]");
            assertThat(pushes.poll(300, TimeUnit.MILLISECONDS)).isNull();
            assertThat(cached.sync().clientGetredir()).isZero();
            cached.sync().clientTracking(TrackingArgs.Builder.enabled(false));
            assertThat(cached.sync().clientGetredir()).isEqualTo(-1L);
        }
    }
}
