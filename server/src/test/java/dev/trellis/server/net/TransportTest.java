package dev.trellis.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same client-visible behaviour over each transport this machine offers. */
class TransportTest {
    private static TestServer startWith(String transport, String... args) {
        assumeTrue(switch (transport) {
            case "io_uring" -> IoUring.isAvailable();
            case "epoll" -> Epoll.isAvailable();
            default -> true;
        }, transport + " is not available here");
        String before = System.getProperty("trellis.transport");
        System.setProperty("trellis.transport", transport);
        try {
            return TestServer.start(args);
        } finally {
            if (before == null) {
                System.clearProperty("trellis.transport");
            } else {
                System.setProperty("trellis.transport", before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void pipelinesBigValuesAndBigRepliesArriveIntact(String transport) {
        try (TestServer s = startWith(transport); RespClient c = s.client()) {
            assertThat(c.infoField("server", "multiplexing_api")).isEqualTo(transport);
            StringBuilder raw = new StringBuilder();
            int n = 3000;
            for (int i = 0; i < n; i++) {
                raw.append("*3\r\n$3\r\nSET\r\n$").append(("k" + i).length()).append("\r\nk").append(i)
                        .append("\r\n$").append(String.valueOf(i).length()).append("\r\n").append(i).append("\r\n");
                raw.append("*2\r\n$3\r\nGET\r\n$").append(("k" + i).length()).append("\r\nk").append(i).append("\r\n");
            }
            c.sendRaw(raw.toString());
            for (int i = 0; i < n; i++) {
                assertThat(c.read().text()).isEqualTo("OK");
                assertThat(c.read().text()).isEqualTo(String.valueOf(i));
            }
            // A reply far bigger than a socket buffer leaves in several writes.
            String big = "xyz".repeat(2 * 1024 * 1024);
            assertThat(c.call("SET", "big", big).text()).isEqualTo("OK");
            for (int round = 0; round < 3; round++) {
                assertThat(c.call("GET", "big").text()).isEqualTo(big);
            }
            assertThat(c.call("DBSIZE").asLong()).isEqualTo(n + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void connectionsThatComeAndGoGiveTheirBuffersBack(String transport) {
        try (TestServer s = startWith(transport); RespClient admin = s.client()) {
            admin.call("SET", "v", "x".repeat(10_000));
            long before = usedDirect();
            for (int i = 0; i < 500; i++) {
                try (RespClient c = s.client()) {
                    assertThat(c.call("GET", "v").text()).hasSize(10_000);
                    assertThat(c.call("PING").text()).isEqualTo("PONG");
                }
            }
            // 500 leaked read and reply buffers would hold well over 8 MB of direct memory.
            long deadline = System.currentTimeMillis() + 5000;
            while (usedDirect() - before >= 8L * 1024 * 1024 && System.currentTimeMillis() < deadline) {
                assertThat(admin.call("PING").text()).isEqualTo("PONG");
            }
            assertThat(usedDirect() - before).isLessThan(8L * 1024 * 1024);
            assertThat(admin.call("GET", "v").text()).hasSize(10_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void unixSocketClientsAreServed(String transport) throws Exception {
        Path dir = Files.createTempDirectory("trellis-sock");
        Path sock = dir.resolve("t.sock");
        try (TestServer s = startWith(transport, "--unixsocket", sock.toString());
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            InputStream in = java.nio.channels.Channels.newInputStream(ch);
            out.write("*3\r\n$3\r\nSET\r\n$1\r\nu\r\n$2\r\nok\r\n*2\r\n$3\r\nGET\r\n$1\r\nu\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String expected = "+OK\r\n$2\r\nok\r\n";
            byte[] got = in.readNBytes(expected.length());
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(expected);
            try (RespClient c = s.client()) {
                assertThat(c.call("GET", "u").text()).isEqualTo("ok");
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    private static long usedDirect() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void aClientThatClosesItsSideIsGoneAtOnce(String transport) throws Exception {
        try (TestServer s = startWith(transport); RespClient admin = s.client();
             java.net.Socket sock = new java.net.Socket("127.0.0.1", s.port())) {
            sock.setSoTimeout(5000);
            sock.getOutputStream().write("CLIENT SETNAME leaving\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] buf = new byte[16];
            assertThat(new String(buf, 0, sock.getInputStream().read(buf), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("+OK\r\n");
            assertThat(admin.call("CLIENT", "LIST").text()).contains("name=leaving");
            // End of input, as Redis frees a client whose read returns 0: the server forgets it
            // and closes its side too (the read ends instead of timing out).
            sock.shutdownOutput();
            assertThat(sock.getInputStream().read(buf)).isEqualTo(-1);
            TestServer.await("client gone from CLIENT LIST", () -> !admin.call("CLIENT", "LIST").text().contains("name=leaving"));
        }
    }
}
