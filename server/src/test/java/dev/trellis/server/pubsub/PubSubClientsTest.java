package dev.trellis.server.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Pub/sub through real clients: Jedis (RESP2) and Lettuce (RESP3 push messages). */
class PubSubClientsTest {
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
    void jedisSubscriberReceivesChannelAndPatternMessages() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add(channel + "=" + message);
                if (message.equals("bye")) {
                    punsubscribe();
                    unsubscribe();
                }
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add(pattern + "|" + channel + "=" + message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscribed.countDown();
            }
        };
        Thread sub = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                j.subscribe(listener, "jch");
            }
        });
        sub.start();
        try (Jedis pub = new Jedis("127.0.0.1", server.port())) {
            long deadline = System.currentTimeMillis() + 5000;
            while (pub.pubsubNumSub("jch").get("jch") < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            listener.psubscribe("j*");
            assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.publish("jch", "one")).isEqualTo(2);
            assertThat(pub.publish("jother", "two")).isEqualTo(1);
            assertThat(pub.publish("jch", "bye")).isEqualTo(2);
        }
        sub.join(5000);
        assertThat(sub.isAlive()).isFalse();
        assertThat(List.copyOf(got)).containsExactly("jch=one", "j*|jch=one", "j*|jother=two", "jch=bye", "j*|jch=bye");
    }

    @Test
    void lettuceResp3SubscriberGetsPushesAndCanStillRunCommands() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisPubSubConnection<String, String> conn = client.connectPubSub();
             var plain = client.connect()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            conn.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + "|" + channel + "=" + message);
                }
            });
            conn.sync().subscribe("lch");
            conn.sync().psubscribe("l?h");
            // RESP3 lets the subscribed connection run ordinary commands.
            conn.sync().set("lkey", "v");
            assertThat(conn.sync().get("lkey")).isEqualTo("v");
            assertThat(plain.sync().publish("lch", "hi")).isEqualTo(2L);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("lch=hi");
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("l?h|lch=hi");
            conn.sync().unsubscribe("lch");
            conn.sync().punsubscribe("l?h");
            assertThat(plain.sync().publish("lch", "again")).isZero();
        } finally {
            client.shutdown();
        }
    }
}
