package dev.trellis.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed requests get Redis's exact error, then the connection closes; others are unaffected. */
class ProtocolErrorsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void expectError(String raw, String error) {
        try (RespClient bystander = server.client(); RespClient c = server.client()) {
            bystander.call("PING");
            c.sendRaw(raw);
            assertThat(c.read().text()).isEqualTo(error);
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(bystander.call("PING").text()).isEqualTo("PONG");
        }
    }

    @Test
    void multibulkErrors() {
        expectError("*abc\r\n", "ERR Protocol error: invalid multibulk length");
        expectError("*3000000000\r\n", "ERR Protocol error: invalid multibulk length");
        expectError("*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'");
        expectError("*1\r\n$-5\r\n", "ERR Protocol error: invalid bulk length");
        expectError("*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length");
        expectError("*1\r\n$" + (600L << 20) + "\r\n", "ERR Protocol error: invalid bulk length");
        expectError("*" + "1".repeat(70_000), "ERR Protocol error: too big mbulk count string");
        expectError("*1\r\n$" + "1".repeat(70_000), "ERR Protocol error: too big bulk count string");
    }

    @Test
    void inlineErrors() {
        expectError("SET \"unbalanced\r\n", "ERR Protocol error: unbalanced quotes in request");
        expectError("x".repeat(70_000), "ERR Protocol error: too big inline request");
    }

    @Test
    void inlineAndPipelinedRequestsWork() {
        try (RespClient c = server.client()) {
            c.sendRaw("PING\r\nECHO \"hello world\"\r\n\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n");
            assertThat(c.read().text()).isEqualTo("PONG");
            assertThat(c.read().text()).isEqualTo("hello world");
            assertThat(c.read().text()).isEqualTo("x");
        }
    }

    @Test
    void protoMaxBulkLenIsLiveConfig() {
        try (RespClient admin = server.client()) {
            admin.call("CONFIG", "SET", "proto-max-bulk-len", "1mb");
            try {
                expectError("*2\r\n$4\r\nECHO\r\n$" + (2 << 20) + "\r\n", "ERR Protocol error: invalid bulk length");
            } finally {
                admin.call("CONFIG", "SET", "proto-max-bulk-len", "512mb");
            }
        }
    }

    @Test
    void unauthenticatedClientsSendSmallFramesOnly() {
        try (TestServer s = TestServer.start("--requirepass", "secret");
             RespClient c = s.client(); RespClient d = s.client(); RespClient ok = s.client()) {
            c.sendRaw("*11\r\n");
            assertThat(c.read().text()).isEqualTo("ERR Protocol error: unauthenticated multibulk length");
            assertThat(c.isClosedByServer()).isTrue();
            d.sendRaw("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
            assertThat(d.read().text()).isEqualTo("ERR Protocol error: unauthenticated bulk length");
            assertThat(ok.call("GET", "x").text()).isEqualTo("NOAUTH Authentication required.");
            assertThat(ok.call("AUTH", "secret").text()).isEqualTo("OK");
            String[] big = new String[20];
            big[0] = "MSET";
            for (int i = 1; i < 19; i++) {
                big[i] = "v".repeat(20_000);
            }
            big[19] = "z";
            // Authenticated, the same client may send frames of any size.
            assertThat(ok.call(java.util.Arrays.copyOf(big, 19)).text()).isEqualTo("OK");
        }
    }
}
