package dev.trellis.server.info;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static InfoText info(RespClient c, String... sections) {
        String[] args = new String[sections.length + 1];
        args[0] = "INFO";
        System.arraycopy(sections, 0, args, 1, sections.length);
        RespValue v = c.call(args);
        assertThat(v.type()).isEqualTo('$');
        return InfoText.parse(v.text());
    }

    @Test
    void defaultSectionsInRedisOrder() {
        try (RespClient c = server.client()) {
            InfoText t = info(c);
            assertThat(t.sections).containsExactly("Server", "Clients", "Memory", "Persistence", "Stats",
                    "Replication", "CPU", "Modules", "Errorstats", "Cluster", "Keyspace");
            assertThat(t.get("redis_version")).isEqualTo("7.2.4");
            assertThat(t.get("redis_mode")).isEqualTo("standalone");
            assertThat(t.num("tcp_port")).isEqualTo(server.port());
            assertThat(t.num("process_id")).isEqualTo(ProcessHandle.current().pid());
            assertThat(t.get("run_id")).matches("[0-9a-f]{40}");
            assertThat(t.get("role")).isEqualTo("master");
            assertThat(t.get("master_replid")).matches("[0-9a-f]{40}");
            assertThat(t.num("connected_slaves")).isZero();
            assertThat(t.num("loading")).isZero();
            assertThat(t.num("rdb_bgsave_in_progress")).isZero();
            assertThat(t.num("aof_enabled")).isZero();
            assertThat(t.num("cluster_enabled")).isZero();
            assertThat(t.get("used_cpu_sys")).matches("\\d+\\.\\d{6}");
            assertThat(t.get("used_cpu_user_main_thread")).matches("\\d+\\.\\d{6}");
        }
    }

    @Test
    void allEverythingAndNamedSections() {
        try (RespClient c = server.client()) {
            assertThat(info(c, "all").sections).contains("Commandstats", "Latencystats").doesNotContain("Debug");
            assertThat(info(c, "everything").sections).contains("Commandstats", "Keyspace");
            assertThat(info(c, "CLIENTS", "memory").sections).containsExactly("Clients", "Memory");
            assertThat(info(c, "keyspace", "default").sections).hasSize(11);
            assertThat(info(c, "nosuchsection").sections).isEmpty();
            assertThat(info(c, "commandstats").sections).containsExactly("Commandstats");
        }
    }

    @Test
    void memoryFiguresAreConsistentNumbers() {
        try (RespClient c = server.client()) {
            InfoText t = info(c, "memory");
            long used = t.num("used_memory");
            assertThat(used).isPositive();
            assertThat(t.num("used_memory_peak")).isGreaterThanOrEqualTo(used);
            assertThat(t.get("used_memory_human")).matches("\\d+(\\.\\d\\d[KMGTP])?B?");
            assertThat(t.num("used_memory_rss")).isPositive();
            assertThat(t.num("total_system_memory")).isPositive();
            assertThat(t.num("maxmemory")).isZero();
            assertThat(t.get("maxmemory_policy")).isEqualTo("noeviction");
            assertThat(t.get("used_memory_peak_perc")).endsWith("%");
        }
    }

    @Test
    void commandStatsCountCallsFailuresAndRejections() {
        try (RespClient c = server.client()) {
            c.call("CONFIG", "RESETSTAT");
            c.call("SET", "k", "v");
            c.call("SET", "k", "v");
            c.call("GET");                       // rejected: arity
            c.call("SET", "k", "v", "NX", "XX"); // failed: syntax error
            c.call("CONFIG", "GET", "hz");
            InfoText t = info(c, "commandstats");
            assertThat(t.get("cmdstat_set")).matches("calls=3,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,failed_calls=1");
            assertThat(t.get("cmdstat_get")).isEqualTo("calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0");
            assertThat(t.get("cmdstat_config|get")).startsWith("calls=1,");
            InfoText e = info(c, "errorstats");
            assertThat(e.get("errorstat_ERR")).isEqualTo("count=2");
            InfoText s = info(c, "stats");
            assertThat(s.num("total_error_replies")).isEqualTo(2);
            assertThat(s.num("total_commands_processed")).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void keyspaceAndLatencyStats() {
        try (RespClient c = server.client()) {
            c.call("SELECT", "9");
            c.call("SET", "a", "1");
            c.call("SET", "b", "1", "EX", "100");
            assertThat(info(c, "keyspace").get("db9")).matches("keys=2,expires=1,avg_ttl=\\d+");
            assertThat(info(c, "latencystats").get("latency_percentiles_usec_set"))
                    .matches("p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
            c.call("FLUSHDB");
        }
    }

    @Test
    void clientsSectionCountsConnections() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            a.call("PING");
            b.call("PING");
            InfoText t = info(a, "clients");
            assertThat(t.num("connected_clients")).isGreaterThanOrEqualTo(2);
            assertThat(t.num("maxclients")).isEqualTo(10000);
            assertThat(t.num("blocked_clients")).isZero();
        }
    }

    @Test
    void resp3GetsAVerbatimString() {
        try (RespClient c = server.client()) {
            c.call("HELLO", "3");
            RespValue v = c.call("INFO", "server");
            assertThat(v.type()).isEqualTo('=');
            assertThat(v.text()).startsWith("txt:# Server\r\n");
        }
    }
}
