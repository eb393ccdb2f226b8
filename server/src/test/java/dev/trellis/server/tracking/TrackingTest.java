package dev.trellis.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invalidation messages across connections, exact frames. */
class TrackingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void flush() {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
        }
    }

    private static byte[][] args(String... a) {
        byte[][] b = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    @Test
    void resp3ReaderIsInvalidatedOnceWhenAnotherClientWrites() {
        try (RespClient reader = server.client(); RespClient writer = server.client()) {
            reader.call("HELLO", "3");
            reader.call("CLIENT", "TRACKING", "on");
            writer.call("SET", "a", "1");
            assertThat(reader.call("GET", "a").toString()).isEqualTo("$1");
            assertThat(reader.call("MGET", "b", "c").toString()).isEqualTo("*[_(nil), _(nil)]");
            writer.call("SET", "a", "2");
            assertThat(reader.read().toString()).isEqualTo(">[$invalidate, *[$a]]");
            // Forgotten after one invalidation: a second write says nothing until read again.
            writer.call("SET", "a", "3");
            writer.call("DEL", "c");
            writer.call("SET", "c", "x");
            assertThat(reader.read().toString()).isEqualTo(">[$invalidate, *[$c]]");
            assertThat(reader.call("PING").toString()).isEqualTo("+PONG");
            assertThat(writer.call("INFO", "stats").text()).contains("tracking_total_keys:1"); // b is still tracked
        }
    }

    @Test
    void resp2ClientRedirectsToASubscribedConnection() {
        try (RespClient reader = server.client(); RespClient sink = server.client(); RespClient writer = server.client()) {
            long sinkId = sink.call("CLIENT", "ID").asLong();
            assertThat(sink.call("SUBSCRIBE", "__redis__:invalidate").toString())
                    .isEqualTo("*[$subscribe, $__redis__:invalidate, :1]");
            reader.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(sinkId));
            assertThat(reader.call("CLIENT", "GETREDIR").asLong()).isEqualTo(sinkId);
            reader.call("GET", "r");
            writer.call("SET", "r", "v");
            assertThat(sink.read().toString()).isEqualTo("*[$message, $__redis__:invalidate, *[$r]]");
            writer.call("FLUSHALL");
            assertThat(sink.read().toString()).isEqualTo("*[$message, $__redis__:invalidate, $(nil)]");
        }
    }

    @Test
    void brokenRedirectIsReportedToResp3Clients() throws Exception {
        try (RespClient reader = server.client(); RespClient writer = server.client()) {
            reader.call("HELLO", "3");
            long sinkId;
            try (RespClient sink = server.client()) {
                sinkId = sink.call("CLIENT", "ID").asLong();
                reader.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(sinkId));
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (server.server().clients().containsKey(sinkId) && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            reader.call("GET", "br");
            writer.call("SET", "br", "1");
            assertThat(reader.read().toString()).isEqualTo(">[$tracking-redir-broken, :" + sinkId + "]");
            assertThat(reader.call("CLIENT", "TRACKINGINFO").toString())
                    .contains("$broken_redirect");
        }
    }

    @Test
    void broadcastModeSendsEveryKeyUnderThePrefixes() {
        try (RespClient bc = server.client(); RespClient writer = server.client()) {
            bc.call("HELLO", "3");
            bc.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "obj:");
            // Several writes in one pipeline arrive as one sorted batch per prefix.
            writer.send(args("MULTI"));
            writer.send(args("SET", "user:2", "x"));
            writer.send(args("SET", "user:1", "x"));
            writer.send(args("SET", "other", "x"));
            writer.send(args("EXEC"));
            for (int i = 0; i < 5; i++) {
                writer.read();
            }
            assertThat(bc.read().toString()).isEqualTo(">[$invalidate, *[$user:1, $user:2]]");
            writer.call("SET", "obj:9", "x");
            assertThat(bc.read().toString()).isEqualTo(">[$invalidate, *[$obj:9]]");
            assertThat(writer.call("INFO", "stats").text()).contains("tracking_total_prefixes:2");
        }
    }

    @Test
    void noloopSkipsTheClientsOwnWrites() {
        try (RespClient a = server.client(); RespClient writer = server.client()) {
            a.call("HELLO", "3");
            a.call("CLIENT", "TRACKING", "on", "NOLOOP");
            a.call("GET", "n1");
            a.call("SET", "n1", "mine");
            a.call("GET", "n2");
            writer.call("SET", "n2", "theirs");
            assertThat(a.read().toString()).isEqualTo(">[$invalidate, *[$n2]]");
        }
    }

    @Test
    void optinTracksOnlyAfterCachingYes() {
        try (RespClient a = server.client(); RespClient writer = server.client()) {
            a.call("HELLO", "3");
            a.call("CLIENT", "TRACKING", "on", "OPTIN");
            a.call("GET", "not-cached");
            a.call("CLIENT", "CACHING", "yes");
            a.call("GET", "cached");
            a.call("GET", "not-cached-either");
            writer.call("SET", "not-cached", "1");
            writer.call("SET", "not-cached-either", "1");
            writer.call("SET", "cached", "1");
            assertThat(a.read().toString()).isEqualTo(">[$invalidate, *[$cached]]");
        }
    }

    @Test
    void disconnectAndTrackingOffForgetTheClient() {
        try (RespClient writer = server.client()) {
            try (RespClient a = server.client()) {
                a.call("HELLO", "3");
                a.call("CLIENT", "TRACKING", "on", "BCAST");
                assertThat(writer.call("INFO", "clients").text()).contains("tracking_clients:1");
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (!writer.call("INFO", "clients").text().contains("tracking_clients:0")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
            }
            assertThat(writer.call("INFO", "stats").text()).contains("tracking_total_prefixes:0");
        }
    }
}
