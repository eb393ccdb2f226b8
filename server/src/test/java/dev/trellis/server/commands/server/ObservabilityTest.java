package dev.trellis.server.commands.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SLOWLOG, LATENCY and MONITOR. */
class ObservabilityTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void slowlogRecordsTrimsAndResets() {
        try (RespClient c = server.client()) {
            c.call("CLIENT", "SETNAME", "slowpoke");
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "3");
            c.call("SLOWLOG", "RESET");
            String[] many = new String[39]; // MSET and 19 pairs: 39 arguments
            many[0] = "MSET";
            for (int i = 1; i < many.length; i += 2) {
                many[i] = i == 1 ? "x".repeat(200) : "k" + i;
                many[i + 1] = "v";
            }
            c.call(many);
            RespValue log = c.call("SLOWLOG", "GET", "1");
            assertThat(log.items()).hasSize(1);
            RespValue e = log.get(0);
            assertThat(e.items()).hasSize(6);
            assertThat(e.get(1).asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            RespValue args = e.get(3);
            assertThat(args.items()).hasSize(32);
            assertThat(args.get(0).text()).isEqualTo("MSET");
            assertThat(args.get(1).text()).isEqualTo("x".repeat(128) + "... (72 more bytes)");
            assertThat(args.get(31).text()).isEqualTo("... (8 more arguments)");
            assertThat(e.get(4).text()).startsWith("127.0.0.1:");
            assertThat(e.get(5).text()).isEqualTo("slowpoke");
            for (int i = 0; i < 5; i++) {
                c.call("PING");
            }
            assertThat(c.call("SLOWLOG", "LEN").asLong()).isEqualTo(3);
            RespValue two = c.call("SLOWLOG", "GET", "2");
            assertThat(two.get(0).get(0).asLong()).isGreaterThan(two.get(1).get(0).asLong());
            assertThat(c.call("SLOWLOG", "GET", "-1").items()).hasSize(3);
            assertThat(c.call("SLOWLOG", "GET", "-2").text()).isEqualTo("ERR count should be greater than or equal to -1");
            assertThat(c.call("SLOWLOG", "get", "1", "2").text())
                    .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.");
            assertThat(c.call("SLOWLOG", "RESET").text()).isEqualTo("OK");
            assertThat(c.call("SLOWLOG", "LEN").asLong()).isLessThanOrEqualTo(1);
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            c.call("SLOWLOG", "RESET");
            c.call("PING");
            assertThat(c.call("SLOWLOG", "LEN").asLong()).isZero();
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128");
            c.call("FLUSHALL");
        }
    }

    @Test
    void latencyMonitorRecordsSlowCommands() {
        try (RespClient c = server.client()) {
            c.call("LATENCY", "RESET");
            assertThat(c.call("LATENCY", "LATEST").items()).isEmpty();
            c.call("CONFIG", "SET", "latency-monitor-threshold", "50");
            c.call("DEBUG", "SLEEP", "0.1");
            RespValue latest = c.call("LATENCY", "LATEST");
            assertThat(latest.items()).hasSize(1);
            assertThat(latest.get(0).get(0).text()).isEqualTo("command");
            assertThat(latest.get(0).get(2).asLong()).isGreaterThanOrEqualTo(100);
            RespValue history = c.call("LATENCY", "HISTORY", "command");
            assertThat(history.items()).hasSize(1);
            assertThat(history.get(0).get(1).asLong()).isGreaterThanOrEqualTo(100);
            assertThat(c.call("LATENCY", "HISTORY", "nosuch").items()).isEmpty();
            assertThat(c.call("LATENCY", "GRAPH", "command").text()).startsWith("command - high ");
            assertThat(c.call("LATENCY", "GRAPH", "nosuch").text()).isEqualTo("ERR No samples available for event 'nosuch'");
            assertThat(c.call("LATENCY", "DOCTOR").text()).contains("command");
            assertThat(c.call("LATENCY", "RESET", "command", "nosuch").asLong()).isEqualTo(1);
            c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
        }
    }

    @Test
    void latencyHistogram() {
        try (RespClient c = server.client()) {
            c.call("CONFIG", "RESETSTAT");
            c.call("SET", "h", "1");
            c.call("SET", "h", "2");
            RespValue h = c.call("LATENCY", "HISTOGRAM", "set", "nosuch");
            assertThat(h.items()).hasSize(2);
            assertThat(h.get(0).text()).isEqualTo("set");
            RespValue body = h.get(1);
            assertThat(body.get(0).text()).isEqualTo("calls");
            assertThat(body.get(1).asLong()).isEqualTo(2);
            assertThat(body.get(2).text()).isEqualTo("histogram_usec");
            RespValue buckets = body.get(3);
            assertThat(buckets.get(buckets.items().size() - 1).asLong()).isEqualTo(2); // cumulative
            c.call("DEL", "h");
        }
    }

    @Test
    void monitorStreamsCommands() {
        try (RespClient mon = server.client(); RespClient c = server.client()) {
            assertThat(mon.call("MONITOR").text()).isEqualTo("OK");
            c.call("SELECT", "2");
            c.call("SET", "mon key", "a\"b\n\u0001");
            c.call("CONFIG", "GET", "hz"); // admin: not shown
            c.call("GET", "mon key");
            String select = mon.read().text();
            assertThat(select).matches("\\d{10}\\.\\d{6} \\[2 127\\.0\\.0\\.1:\\d+\\] \"SELECT\" \"2\"");
            assertThat(mon.read().text()).matches("\\d+\\.\\d{6} \\[2 127\\.0\\.0\\.1:\\d+\\] \"SET\" \"mon key\" \"a\\\\\"b\\\\n\\\\x01\"");
            assertThat(mon.read().text()).endsWith("\"GET\" \"mon key\"");
            c.call("DEL", "mon key");
        }
    }
}
