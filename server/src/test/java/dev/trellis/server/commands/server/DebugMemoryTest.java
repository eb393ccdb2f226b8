package dev.trellis.server.commands.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** DEBUG (and its guard), MEMORY, TIME, LASTSAVE. */
class DebugMemoryTest {
    private static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to "
            + "\"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";

    @Test
    void debugIsGuarded() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(c.call("DEBUG", "DIGEST").text()).isEqualTo(NOT_ALLOWED);
            assertThat(c.call("INFO", "commandstats").text()).contains("cmdstat_debug:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1");
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "local"); RespClient c = s.client()) {
            assertThat(c.call("DEBUG", "DIGEST").text()).matches("[0-9a-f]{40}");
        }
    }

    @Test
    void digestPopulateAndObject() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RespClient c = s.client()) {
            assertThat(c.call("DEBUG", "DIGEST").text()).isEqualTo("0".repeat(40));
            assertThat(c.call("DEBUG", "POPULATE", "100").text()).isEqualTo("OK");
            assertThat(c.call("DBSIZE").asLong()).isEqualTo(100);
            assertThat(c.call("GET", "key:42").text()).isEqualTo("value:42");
            c.call("DEBUG", "POPULATE", "3", "pre", "10");
            assertThat(c.call("GET", "pre:1").text()).isEqualTo("value:1\0\0\0");
            c.call("DEBUG", "POPULATE", "2", "p2", "3");
            assertThat(c.call("GET", "p2:1").text()).isEqualTo("val");
            String d1 = c.call("DEBUG", "DIGEST").text();
            assertThat(d1).matches("[0-9a-f]{40}").isNotEqualTo("0".repeat(40));
            c.call("SET", "key:42", "changed");
            String d2 = c.call("DEBUG", "DIGEST").text();
            assertThat(d2).isNotEqualTo(d1);
            c.call("SET", "key:42", "value:42");
            assertThat(c.call("DEBUG", "DIGEST").text()).isEqualTo(d1);
            RespValue dv = c.call("DEBUG", "DIGEST-VALUE", "key:1", "nokey");
            assertThat(dv.get(0).text()).matches("[0-9a-f]{40}");
            assertThat(dv.get(1).text()).isEqualTo("0".repeat(40));
            c.call("SET", "key:1", "value:1", "EX", "1000");
            assertThat(c.call("DEBUG", "DIGEST-VALUE", "key:1").get(0).text()).isNotEqualTo(dv.get(0).text());
            assertThat(c.call("DEBUG", "OBJECT", "key:2").text())
                    .matches("Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\\d+ lru:\\d+ lru_seconds_idle:\\d+");
            assertThat(c.call("DEBUG", "OBJECT", "nokey").text()).isEqualTo("ERR no such key");
            assertThat(c.call("DEBUG", "POPULATE", "-1").text()).isEqualTo("ERR value is out of range, must be positive");
            assertThat(c.call("DEBUG", "FOO").text())
                    .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'FOO'. Try DEBUG HELP.");
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0").text()).isEqualTo("OK");
            assertThat(s.server().keyspace().activeExpireEnabled()).isFalse();
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            String replid = c.call("INFO", "replication").text().replaceAll("(?s).*master_replid:(\\w+).*", "$1");
            assertThat(c.call("DEBUG", "CHANGE-REPL-ID").text()).isEqualTo("OK");
            assertThat(c.call("INFO", "replication").text()).doesNotContain(replid);
        }
    }

    @Test
    void debugProtocolTypes() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes"); RespClient c = s.client()) {
            c.call("HELLO", "3");
            assertThat(c.call("DEBUG", "PROTOCOL", "map").toString()).isEqualTo("%[:0, #f, :1, #t, :2, #f]");
            assertThat(c.call("DEBUG", "PROTOCOL", "bignum").toString()).isEqualTo("(1234567999999999999999999999999999999");
            assertThat(c.call("DEBUG", "PROTOCOL", "double").toString()).isEqualTo(",3.141");
            assertThat(c.call("DEBUG", "PROTOCOL", "verbatim").type()).isEqualTo('=');
            assertThat(c.call("DEBUG", "PROTOCOL", "attrib").toString()).isEqualTo("|[$key-popularity, *[$key:123, :90]]");
            assertThat(c.read().text()).isEqualTo("Some real reply following the attribute");
        }
    }

    @Test
    void memoryUsageAndStats() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            c.call("SET", "small", "v");
            c.call("SET", "large", "x".repeat(10_000));
            long small = c.call("MEMORY", "USAGE", "small").asLong();
            long large = c.call("MEMORY", "USAGE", "large", "SAMPLES", "0").asLong();
            assertThat(small).isBetween(40L, 200L);
            assertThat(large).isBetween(10_000L, 10_300L);
            assertThat(c.call("MEMORY", "USAGE", "nokey").isNull()).isTrue();
            assertThat(c.call("MEMORY", "USAGE", "small", "SAMPLES").text()).isEqualTo("ERR syntax error");
            assertThat(c.call("MEMORY", "USAGE", "small", "SAMPLES", "-1").text()).isEqualTo("ERR syntax error");
            RespValue stats = c.call("MEMORY", "STATS");
            java.util.List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < stats.items().size(); i += 2) {
                keys.add(stats.get(i).text());
            }
            assertThat(keys).contains("peak.allocated", "total.allocated", "db.0", "keys.count", "dataset.bytes", "fragmentation");
            assertThat(stats.get(keys.indexOf("keys.count") * 2 + 1).asLong()).isEqualTo(2);
            assertThat(c.call("MEMORY", "DOCTOR").text()).isNotEmpty();
            // PURGE narrows the heap's free-space bounds for its collection only: normal growth
            // keeps the headroom the JVM was started with.
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            String minBefore = vm.getVMOption("MinHeapFreeRatio").getValue();
            String maxBefore = vm.getVMOption("MaxHeapFreeRatio").getValue();
            assertThat(c.call("MEMORY", "PURGE").text()).isEqualTo("OK");
            assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(minBefore);
            assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(maxBefore);
            assertThat(c.call("MEMORY", "MALLOC-STATS").text()).isNotEmpty();
        }
    }

    @Test
    void timeAndLastsave() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            RespValue t = c.call("TIME");
            long sec = Long.parseLong(t.get(0).text());
            long usec = Long.parseLong(t.get(1).text());
            assertThat(sec).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(2L));
            assertThat(usec).isBetween(0L, 999_999L);
            assertThat(c.call("LASTSAVE").asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
            assertThat(c.call("TIME", "x").text()).isEqualTo("ERR wrong number of arguments for 'time' command");
        }
    }
}
