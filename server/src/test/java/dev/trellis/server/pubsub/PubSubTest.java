package dev.trellis.server.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pub/sub wire behaviour in RESP2 and RESP3, exact replies. */
class PubSubTest {
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
    void resp2ChannelsAndPatterns() {
        try (RespClient sub = server.client(); RespClient pub = server.client()) {
            sub.send(b("SUBSCRIBE"), b("news"), b("sport"));
            assertThat(sub.read().toString()).isEqualTo("*[$subscribe, $news, :1]");
            assertThat(sub.read().toString()).isEqualTo("*[$subscribe, $sport, :2]");
            assertThat(sub.call("PSUBSCRIBE", "n*").toString()).isEqualTo("*[$psubscribe, $n*, :3]");

            assertThat(pub.call("PUBLISH", "news", "hello").toString()).isEqualTo(":2");
            assertThat(sub.read().toString()).isEqualTo("*[$message, $news, $hello]");
            assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $n*, $news, $hello]");
            assertThat(pub.call("PUBLISH", "sport", "goal").toString()).isEqualTo(":1");
            assertThat(sub.read().toString()).isEqualTo("*[$message, $sport, $goal]");
            assertThat(pub.call("PUBLISH", "weather", "rain").toString()).isEqualTo(":0");

            assertThat(pub.call("PUBSUB", "NUMSUB", "news", "none").toString()).isEqualTo("*[$news, :1, $none, :0]");
            assertThat(pub.call("PUBSUB", "NUMPAT").toString()).isEqualTo(":1");
            assertThat(pub.call("PUBSUB", "CHANNELS", "s*").toString()).isEqualTo("*[$sport]");

            assertThat(sub.call("GET", "x").toString()).isEqualTo("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            assertThat(sub.call("PING").toString()).isEqualTo("*[$pong, $]");

            sub.send(b("UNSUBSCRIBE"));
            var first = sub.read();
            var second = sub.read();
            // Counts fall as channels go; the pattern subscription still counts.
            assertThat(first.get(2).toString()).isEqualTo(":2");
            assertThat(second.get(2).toString()).isEqualTo(":1");
            assertThat(java.util.List.of(first.get(1).text(), second.get(1).text())).containsExactlyInAnyOrder("news", "sport");
            assertThat(sub.call("PUNSUBSCRIBE").toString()).isEqualTo("*[$punsubscribe, $n*, :0]");
            // Out of pub/sub mode: normal commands work again.
            assertThat(sub.call("PING").toString()).isEqualTo("+PONG");
            assertThat(pub.call("PUBSUB", "NUMPAT").toString()).isEqualTo(":0");
            assertThat(pub.call("PUBSUB", "CHANNELS").toString()).isEqualTo("*[]");
        }
    }

    @Test
    void resp3PushesAndAnyCommandWhileSubscribed() {
        try (RespClient sub = server.client(); RespClient pub = server.client()) {
            sub.call("HELLO", "3");
            assertThat(sub.call("SUBSCRIBE", "r3").toString()).isEqualTo(">[$subscribe, $r3, :1]");
            assertThat(sub.call("SET", "k3", "v").toString()).isEqualTo("+OK");
            assertThat(sub.call("GET", "k3").toString()).isEqualTo("$v");
            pub.call("PUBLISH", "r3", "m");
            assertThat(sub.read().toString()).isEqualTo(">[$message, $r3, $m]");
            // Publishing to itself: as Redis 7.2+ (7.0 sent it first), the push follows the
            // command's reply.
            sub.send(b("PUBLISH"), b("r3"), b("self"));
            assertThat(sub.read().toString()).isEqualTo(":1");
            assertThat(sub.read().toString()).isEqualTo(">[$message, $r3, $self]");
            assertThat(sub.call("UNSUBSCRIBE", "r3").toString()).isEqualTo(">[$unsubscribe, $r3, :0]");
            assertThat(sub.call("UNSUBSCRIBE").toString()).isEqualTo(">[$unsubscribe, _(nil), :0]");
        }
    }

    @Test
    void shardChannelsAreASeparateNamespace() {
        try (RespClient sub = server.client(); RespClient pub = server.client()) {
            assertThat(sub.call("SSUBSCRIBE", "sh").toString()).isEqualTo("*[$ssubscribe, $sh, :1]");
            assertThat(sub.call("SUBSCRIBE", "sh").toString()).isEqualTo("*[$subscribe, $sh, :1]");
            assertThat(pub.call("SPUBLISH", "sh", "x").toString()).isEqualTo(":1");
            assertThat(sub.read().toString()).isEqualTo("*[$smessage, $sh, $x]");
            assertThat(pub.call("PUBSUB", "SHARDNUMSUB", "sh").toString()).isEqualTo("*[$sh, :1]");
            assertThat(pub.call("PUBSUB", "SHARDCHANNELS").toString()).isEqualTo("*[$sh]");
            assertThat(sub.call("SUNSUBSCRIBE").toString()).isEqualTo("*[$sunsubscribe, $sh, :0]");
            // Still subscribed to the classic channel: still in pub/sub mode.
            assertThat(sub.call("GET", "x").isError()).isTrue();
            assertThat(pub.call("PUBSUB", "SHARDCHANNELS").toString()).isEqualTo("*[]");
        }
    }

    @Test
    void disconnectAndResetDropSubscriptions() {
        try (RespClient pub = server.client()) {
            try (RespClient sub = server.client()) {
                sub.call("SUBSCRIBE", "gone");
                sub.call("PSUBSCRIBE", "gone*");
            }
            waitFor(() -> pub.call("PUBSUB", "NUMSUB", "gone").toString().equals("*[$gone, :0]"));
            assertThat(pub.call("PUBSUB", "NUMPAT").toString()).isEqualTo(":0");
            try (RespClient sub = server.client()) {
                sub.call("SUBSCRIBE", "reset");
                assertThat(sub.call("RESET").toString()).isEqualTo("+RESET");
                assertThat(sub.call("GET", "x").toString()).isEqualTo("$(nil)");
                assertThat(pub.call("PUBLISH", "reset", "x").toString()).isEqualTo(":0");
            }
        }
    }

    @Test
    void transactionsMayContainSubscribe() {
        try (RespClient c = server.client(); RespClient pub = server.client()) {
            c.call("MULTI");
            c.call("SUBSCRIBE", "in-tx");
            c.call("SSUBSCRIBE", "in-tx-shard");
            assertThat(c.call("EXEC").toString()).isEqualTo(
                    "*[*[$subscribe, $in-tx, :1], -ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client]");
            assertThat(pub.call("PUBLISH", "in-tx", "m").toString()).isEqualTo(":1");
            assertThat(c.read().toString()).isEqualTo("*[$message, $in-tx, $m]");
        }
    }

    @Test
    void slowSubscriberIsDisconnectedByThePubsubOutputLimit() throws Exception {
        try (RespClient admin = server.client(); Socket slow = new Socket("127.0.0.1", server.port())) {
            admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 0 0");
            try {
                slow.setReceiveBufferSize(4096);
                OutputStream out = slow.getOutputStream();
                out.write("SUBSCRIBE flood\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                waitFor(() -> admin.call("PUBSUB", "NUMSUB", "flood").toString().equals("*[$flood, :1]"));
                long before = server.server().stats().clientOutputBufferLimitDisconnections;
                String payload = "x".repeat(64 * 1024);
                // The subscriber never reads: its pending output grows until the limit closes it.
                for (int i = 0; i < 400 && admin.call("PUBSUB", "NUMSUB", "flood").toString().endsWith(":1]"); i++) {
                    admin.call("PUBLISH", "flood", payload);
                }
                waitFor(() -> admin.call("PUBSUB", "NUMSUB", "flood").toString().equals("*[$flood, :0]"));
                assertThat(server.server().stats().clientOutputBufferLimitDisconnections).isGreaterThan(before);
                // A normal client with the same backlog would not be limited (normal class has no limit).
                assertThat(admin.call("PING").toString()).isEqualTo("+PONG");
            } finally {
                admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
            }
        }
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws RuntimeException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
