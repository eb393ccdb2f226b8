package dev.trellis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Gates and observers that the dispatcher skips while their condition is off (maxmemory unset,
 * no pause, no monitor, latency monitor off) apply again each time it comes back on.
 */
class SwitchedHooksTest {
    @Test
    void outOfMemoryRefusalComesBackWithMaxmemory() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            c.call("DEBUG", "POPULATE", "2000");
            for (int round = 0; round < 2; round++) {
                assertThat(c.call("CONFIG", "SET", "maxmemory", "1").text()).isEqualTo("OK");
                assertThat(c.call("SET", "k", "v").text()).startsWith("OOM command not allowed");
                assertThat(c.call("CONFIG", "SET", "maxmemory", "0").text()).isEqualTo("OK");
                assertThat(c.call("SET", "k", "v").text()).isEqualTo("OK");
            }
        }
    }

    @Test
    void pauseHoldsWritesEachTimeItIsSet() throws Exception {
        try (TestServer s = TestServer.start(); RespClient admin = s.client(); RespClient w = s.client()) {
            for (int round = 0; round < 2; round++) {
                assertThat(admin.call("CLIENT", "PAUSE", "100000", "WRITE").text()).isEqualTo("OK");
                w.send("INCR".getBytes(), "n".getBytes());
                Thread.sleep(200);
                assertThat(admin.call("GET", "n").text()).isEqualTo(round == 0 ? null : "1");
                assertThat(admin.call("CLIENT", "UNPAUSE").text()).isEqualTo("OK");
                assertThat(w.read().asLong()).isEqualTo(round + 1);
            }
            assertThat(w.call("INCR", "n").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aNewMonitorSeesCommandsAfterTheLastOneLeft() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            for (int round = 0; round < 2; round++) {
                try (RespClient m = s.client()) {
                    assertThat(m.call("MONITOR").text()).isEqualTo("OK");
                    c.call("SET", "seen" + round, "x");
                    assertThat(m.read().text()).contains("\"SET\" \"seen" + round + "\" \"x\"");
                }
                c.call("PING"); // the closed monitor is gone before the next round
            }
        }
    }

    @Test
    void latencyMonitorRecordsOnlyWhileOn() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RespClient c = s.client()) {
            c.call("DEBUG", "SLEEP", "0.02");
            assertThat(c.call("LATENCY", "LATEST").items()).isEmpty();
            assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "5").text()).isEqualTo("OK");
            c.call("DEBUG", "SLEEP", "0.02");
            assertThat(c.call("LATENCY", "LATEST").items()).isNotEmpty();
            c.call("LATENCY", "RESET");
            assertThat(c.call("CONFIG", "SET", "latency-monitor-threshold", "0").text()).isEqualTo("OK");
            c.call("DEBUG", "SLEEP", "0.02");
            assertThat(c.call("LATENCY", "LATEST").items()).isEmpty();
        }
    }
}
