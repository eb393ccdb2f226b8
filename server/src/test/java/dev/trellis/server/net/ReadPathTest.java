package dev.trellis.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.Test;

/** Requests arriving in many reads, and connections that come and go, through the reused read buffer. */
class ReadPathTest {
    @Test
    void pipelineLargerThanOneReadIsAnsweredInOrder() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            StringBuilder raw = new StringBuilder();
            int n = 5000; // about 190 KB of requests: many 16 KB reads
            for (int i = 0; i < n; i++) {
                String k = "key:" + i;
                raw.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k)
                        .append("\r\n$").append(String.valueOf(i).length()).append("\r\n").append(i).append("\r\n");
            }
            for (int i = 0; i < n; i++) {
                String k = "key:" + i;
                raw.append("*2\r\n$3\r\nGET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n");
            }
            c.sendRaw(raw.toString());
            for (int i = 0; i < n; i++) {
                assertThat(c.read().text()).isEqualTo("OK");
            }
            for (int i = 0; i < n; i++) {
                assertThat(c.read().text()).isEqualTo(String.valueOf(i));
            }
        }
    }

    @Test
    void valueSpanningManyReadsArrivesIntact() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            char[] chars = new char[3 * 1024 * 1024 + 17];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) ('a' + (i * 31 + (i >> 12)) % 26);
            }
            String big = new String(chars);
            assertThat(c.call("SET", "big", big).text()).isEqualTo("OK");
            assertThat(c.call("GET", "big").text()).isEqualTo(big);
            assertThat(c.call("STRLEN", "big").asLong()).isEqualTo(big.length());
        }
    }

    @Test
    void closedConnectionsGiveTheirReadBuffersBack() {
        try (TestServer s = TestServer.start(); RespClient admin = s.client()) {
            admin.call("PING");
            long before = usedDirect();
            for (int i = 0; i < 1000; i++) {
                try (RespClient c = s.client()) {
                    assertThat(c.call("PING").text()).isEqualTo("PONG");
                }
            }
            // 1000 leaked 16 KB read buffers would hold 16 MB of direct memory. The server thread
            // sees the last closes shortly after the clients make them.
            long deadline = System.currentTimeMillis() + 5000;
            while (usedDirect() - before >= 8L * 1024 * 1024 && System.currentTimeMillis() < deadline) {
                assertThat(admin.call("PING").text()).isEqualTo("PONG");
            }
            assertThat(usedDirect() - before).isLessThan(8L * 1024 * 1024);
        }
    }

    private static long usedDirect() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }
}
