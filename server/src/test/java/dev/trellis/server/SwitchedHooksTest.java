package dev.trellis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Gates and observers that the dispatcher skips while their condition is off (maxmemory unset,
 * no pause, no monitor, latency monitor off, no tracking client) apply again each time it comes
 * back on; and pipelined commands, which share clock readings, are each timed for themselves.
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

    @Test
    void latencyHistogramsRecordOnlyWhileTrackingIsOn() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "SET", "latency-tracking", "no").text()).isEqualTo("OK");
            c.call("ECHO", "a");
            assertThat(c.call("INFO", "latencystats").text()).doesNotContain("latency_percentiles_usec_echo");
            assertThat(c.call("CONFIG", "SET", "latency-tracking", "yes").text()).isEqualTo("OK");
            c.call("ECHO", "a");
            assertThat(c.call("INFO", "latencystats").text()).contains("latency_percentiles_usec_echo");
        }
    }

    @Test
    void invalidationsReachTrackingClientsAfterTheLastOneLeft() {
        try (TestServer s = TestServer.start(); RespClient w = s.client()) {
            for (int round = 0; round < 2; round++) {
                try (RespClient t = s.client()) {
                    t.call("HELLO", "3");
                    assertThat(t.call("CLIENT", "TRACKING", "ON").text()).isEqualTo("OK");
                    t.call("GET", "k");
                    w.call("SET", "k", "v" + round);
                    assertThat(t.read().toString()).contains("invalidate").contains("k");
                }
                w.call("PING");
            }
        }
    }

    @Test
    void aPipelinedCommandIsNotChargedWithThePreviousOnesTime() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--slowlog-log-slower-than", "20000");
             RespClient c = s.client()) {
            // One write: both requests arrive in the same read and run in one batch.
            c.sendRaw("DEBUG SLEEP 0.05\r\nECHO after\r\n");
            assertThat(c.read().text()).isEqualTo("OK");
            assertThat(c.read().text()).isEqualTo("after");
            var entries = c.call("SLOWLOG", "GET").items();
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).items().get(3).items().get(0).text()).isEqualToIgnoringCase("debug");
            assertThat(entries.get(0).items().get(2).asLong()).isGreaterThanOrEqualTo(50_000);
            String echo = c.infoField("commandstats", "cmdstat_echo");
            long usec = Long.parseLong(echo.replaceAll(".*usec=(\\d+),.*", "$1"));
            assertThat(usec).isLessThan(20_000);
        }
    }
}
