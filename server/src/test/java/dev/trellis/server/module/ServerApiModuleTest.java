package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scan, clients by id, access clocks, latency, command filters, cluster answers, reset, fork: tmserver.c. */
class ServerApiModuleTest {
    static TestServer server;
    static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-module-command", "yes", "--latency-monitor-threshold", "10");
        c = server.client();
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmserver.so"), "filter").toString()).isEqualTo("+OK");
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void clean() {
        c.call("FLUSHALL");
    }

    @Test
    void scanVisitsEveryKeyOnceWithItsType() {
        for (int i = 0; i < 300; i++) {
            c.call("SET", "k" + i, "v");
        }
        c.call("HSET", "h", "f", "v");
        RespValue r = c.call("TMS2.SCAN");
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < r.items().size() - 2; i++) {
            RespValue kv = r.get(i);
            assertThat(seen.put(kv.get(0).text(), kv.get(1).asLong())).isNull();
        }
        assertThat(seen).hasSize(301);
        assertThat(seen.get("h")).isEqualTo(3L);
        assertThat(seen.get("k7")).isEqualTo(1L);
        assertThat(r.get(r.items().size() - 2).asLong()).isEqualTo(1); // ENOENT past the end
        assertThat(r.get(r.items().size() - 1).asLong()).isEqualTo(1); // a restarted cursor sees them all again
    }

    @Test
    void scanKeyVisitsElementsOfHashesSetsAndSortedSets() {
        c.call("HSET", "h", "f1", "v1", "f2", "v2");
        assertThat(c.call("TMS2.SCANKEY", "h").toString()).isEqualTo("*[*[$f1, $v1], *[$f2, $v2]]");
        c.call("SADD", "s", "m1", "m2");
        assertThat(c.call("TMS2.SCANKEY", "s").toString()).isEqualTo("*[*[$m1, $(nil)], *[$m2, $(nil)]]");
        c.call("ZADD", "z", "1.5", "x", "0.1", "y");
        assertThat(c.call("TMS2.SCANKEY", "z").toString()).isEqualTo("*[*[$y, $0.10000000000000001], *[$x, $1.5]]");
        c.call("SET", "str", "x");
        assertThat(c.call("TMS2.SCANKEY", "str").toString()).isEqualTo("-ERR not scannable");
        // Big (table-encoded) collections are scanned bucket by bucket, each element once.
        for (int i = 0; i < 500; i++) {
            c.call("SADD", "big", "m" + i);
        }
        assertThat(c.call("TMS2.SCANKEY", "big").items()).hasSize(500);
    }

    @Test
    void clientsById() {
        c.call("CLIENT", "SETNAME", "tester");
        long id = c.call("CLIENT", "ID").asLong();
        RespValue r = c.call("TMS2.CLIENT", Long.toString(id));
        assertThat(r.get(0).asLong()).isEqualTo(id);
        assertThat(r.get(1).text()).isEqualTo("tester");
        assertThat(r.get(2).text()).isEqualTo("default");
        assertThat(r.get(3).asLong()).isZero();
        assertThat(r.get(5).text()).isEqualTo("127.0.0.1");
        assertThat(c.call("TMS2.CLIENT", "999999").toString()).isEqualTo("-ERR no client");
        assertThat(c.call("TMS2.SETNAME", Long.toString(id), "renamed").toString()).isEqualTo("+OK");
        assertThat(c.call("CLIENT", "GETNAME").toString()).isEqualTo("$renamed");
        assertThat(c.call("TMS2.SETNAME", Long.toString(id), "bad name").toString()).isEqualTo("-ERR invalid name");
        assertThat(c.call("TMS2.SETNAME", "999999", "x").toString()).isEqualTo("-ERR no such client");
        assertThat(c.call("TMS2.WHOAMI").toString()).isEqualTo("$default");
    }

    @Test
    void accessClocksFollowTheEvictionPolicy() {
        c.call("SET", "a", "1");
        assertThat(c.call("TMS2.LRU", "a", "5000").toString()).isEqualTo("*[:0, :5000]");
        assertThat(c.call("OBJECT", "IDLETIME", "a").asLong()).isBetween(5L, 6L);
        assertThat(c.call("TMS2.LFU", "a").toString()).isEqualTo("*[:0, :-1]"); // not an LFU policy
        assertThat(c.call("TMS2.LFU", "a", "10").toString()).isEqualTo("-ERR set failed");
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        try {
            assertThat(c.call("TMS2.LFU", "a", "100").toString()).isEqualTo("*[:0, :100]");
            assertThat(c.call("OBJECT", "FREQ", "a").asLong()).isEqualTo(100);
            assertThat(c.call("TMS2.LRU", "a").toString()).isEqualTo("*[:0, :-1]");
        } finally {
            c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
        assertThat(c.call("TMS2.LRU", "missing").toString()).isEqualTo("*[:1, :-1]");
    }

    @Test
    void latencySamplesAtOrOverTheThreshold() {
        c.call("LATENCY", "RESET");
        c.call("TMS2.LATENCY", "module-slow", "50");
        c.call("TMS2.LATENCY", "module-fast", "5");
        String latest = c.call("LATENCY", "LATEST").toString();
        assertThat(latest).contains("$module-slow").doesNotContain("module-fast");
    }

    @Test
    void commandFiltersRewriteRequests() {
        long before = c.call("TMS2.FILTERED").asLong();
        assertThat(c.call("TMS2.PING").toString()).isEqualTo("$filtered");
        assertThat(c.call("SET", "k", "drop-me", "swap-me").toString()).isEqualTo("+OK"); // SET k swapped
        assertThat(c.call("GET", "k").toString()).isEqualTo("$swapped");
        // The module's own Calls skip its NOSELF filter.
        assertThat(c.call("TMS2.CALLECHO").toString()).isEqualTo("$swap-me");
        assertThat(c.call("TMS2.FILTERED").asLong()).isGreaterThan(before + 3);
    }

    @Test
    void standaloneClusterAnswersResetAndFork() {
        assertThat(c.call("TMS2.CLUSTER", "foo").toString()).isEqualTo("*[:0, :0, :0, :12182, :1]");
        assertThat(c.call("TMS2.CLUSTER", "{user1000}.following").get(3).asLong()).isEqualTo(3443);
        c.call("SET", "x", "1");
        assertThat(c.call("TMS2.RESET").toString()).isEqualTo("+OK");
        assertThat(c.call("DBSIZE").asLong()).isZero();
        assertThat(c.call("TMS2.FORK").toString()).isEqualTo("*[:-1, :1]");
    }
}
