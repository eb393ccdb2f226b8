package dev.trellis.server.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** maxmemory policies: which keys go, what is refused, and what is reported. */
class EvictionTest {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.";
    private static TestServer server;
    private static final List<String> propagated = Collections.synchronizedList(new ArrayList<>());
    private RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.server().propagation().addSink((db, argv) -> {
            if (argv.length == 2) {
                propagated.add(new String(argv[0], StandardCharsets.UTF_8) + " " + new String(argv[1], StandardCharsets.UTF_8));
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void open() {
        c = server.client();
        c.call("CONFIG", "SET", "maxmemory", "0");
        c.call("CONFIG", "SET", "maxmemory-samples", "5");
        c.call("FLUSHALL");
        c.call("CONFIG", "RESETSTAT");
        propagated.clear();
    }

    @AfterEach
    void close() {
        c.call("CONFIG", "SET", "maxmemory", "0");
        c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        c.call("CONFIG", "SET", "notify-keyspace-events", "");
        c.close();
    }

    private long used() {
        String info = c.call("INFO", "memory").text();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new AssertionError("no used_memory");
    }

    private long stat(String name) {
        String info = c.call("INFO", "stats").text();
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name);
    }

    private void fill(String prefix, int n, int size, String... extra) {
        String v = "v".repeat(size);
        MemoryMeterTest.pipeline(c, n, i -> {
            List<String> a = new ArrayList<>(List.of("SET", prefix + i, v));
            a.addAll(List.of(extra));
            return a.toArray(new String[0]);
        });
    }

    private void limit(long bytes) {
        c.call("CONFIG", "SET", "maxmemory", Long.toString(bytes));
    }

    @Test
    void noevictionRefusesDenyOomCommands() {
        fill("k:", 2000, 500);
        limit(used() - 200_000);
        assertThat(c.call("SET", "x", "y").toString()).isEqualTo(OOM);
        assertThat(c.call("GET", "k:1").text()).hasSize(500);
        // Queueing in MULTI is refused too, which dooms the transaction.
        assertThat(c.call("MULTI").toString()).isEqualTo("+OK");
        assertThat(c.call("GET", "k:1").toString()).isEqualTo(OOM);
        assertThat(c.call("EXEC").toString()).isEqualTo("-EXECABORT Transaction discarded because of previous errors.");
        // Freeing memory makes room again; nothing was evicted.
        for (int i = 0; i < 1000; i++) {
            c.call("DEL", "k:" + i);
        }
        assertThat(c.call("SET", "x", "y").toString()).isEqualTo("+OK");
        assertThat(stat("evicted_keys")).isZero();
    }

    @Test
    void allkeysRandomKeepsUsedMemoryUnderTheLimit() {
        long max = used() + 400_000;
        limit(max);
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        fill("r:", 3000, 300);
        assertThat(c.call("SET", "last", "1").toString()).isEqualTo("+OK");
        assertThat(used()).isLessThanOrEqualTo(max + 1000);
        long keys = c.call("DBSIZE").asLong();
        assertThat(keys).isLessThan(3001);
        assertThat(stat("evicted_keys")).isEqualTo(3001 - keys);
        assertThat(propagated.stream().filter(p -> p.startsWith("DEL r:")).count()).isEqualTo(3001 - keys);
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithATtl() {
        fill("p:", 1000, 200);
        fill("t:", 1000, 200, "EX", "10000");
        for (String policy : List.of("volatile-random", "volatile-lru", "volatile-lfu", "volatile-ttl")) {
            c.call("CONFIG", "SET", "maxmemory-policy", policy);
            limit(used() - 20_000);
            c.call("SET", "trigger", "x");
            c.call("DEL", "trigger");
            limit(0);
        }
        assertThat(stat("evicted_keys")).isGreaterThan(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(c.call("EXISTS", "p:" + i).asLong()).as("persistent key p:%d", i).isEqualTo(1);
        }
        // With no volatile key left to evict, writes are refused.
        c.call("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
        for (int i = 0; i < 1000; i++) {
            c.call("PERSIST", "t:" + i);
        }
        limit(used() - 20_000);
        assertThat(c.call("SET", "x", "y").toString()).isEqualTo(OOM);
    }

    @Test
    void volatileTtlPrefersTheNearestExpiry() {
        c.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
        c.call("CONFIG", "SET", "maxmemory-samples", "10");
        for (int i = 0; i < 500; i++) {
            c.call("SET", "ttl:" + i, "v".repeat(200), "EX", Integer.toString(1000 + i * 10));
        }
        limit(used() - 40_000);
        c.call("SET", "trigger", "x");
        int evictedLow = 0;
        int evictedHigh = 0;
        for (int i = 0; i < 500; i++) {
            if (c.call("EXISTS", "ttl:" + i).asLong() == 0) {
                if (i < 250) {
                    evictedLow++;
                } else {
                    evictedHigh++;
                }
            }
        }
        assertThat(evictedLow + evictedHigh).isGreaterThan(50);
        assertThat(evictedLow).isGreaterThan(evictedHigh * 4);
    }

    @Test
    void allkeysLfuKeepsFrequentlyUsedKeys() {
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        c.call("CONFIG", "SET", "maxmemory-samples", "10");
        fill("cold:", 300, 200);
        fill("hot:", 100, 200);
        for (int round = 0; round < 30; round++) {
            MemoryMeterTest.pipeline(c, 100, i -> new String[] {"GET", "hot:" + i});
        }
        limit(used() - 50_000); // about a fifth of the keys must go
        c.call("SET", "trigger", "x");
        int hot = 0;
        for (int i = 0; i < 100; i++) {
            hot += (int) c.call("EXISTS", "hot:" + i).asLong();
        }
        assertThat(stat("evicted_keys")).isGreaterThan(50);
        assertThat(hot).isGreaterThanOrEqualTo(90);
    }

    @Test
    void allkeysLruKeepsRecentlyUsedKeys() throws Exception {
        c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        c.call("CONFIG", "SET", "maxmemory-samples", "10");
        fill("old:", 300, 200);
        fill("new:", 100, 200);
        Thread.sleep(2100); // the LRU clock counts seconds
        MemoryMeterTest.pipeline(c, 100, i -> new String[] {"GET", "new:" + i});
        limit(used() - 50_000);
        c.call("SET", "trigger", "x");
        int recent = 0;
        for (int i = 0; i < 100; i++) {
            recent += (int) c.call("EXISTS", "new:" + i).asLong();
        }
        assertThat(stat("evicted_keys")).isGreaterThan(50);
        assertThat(recent).isGreaterThanOrEqualTo(90);
    }

    @Test
    void evictionIsNotifiedAsEvicted() {
        try (RespClient sub = server.client()) {
            c.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
            sub.call("SUBSCRIBE", "__keyevent@0__:evicted");
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            fill("n:", 100, 200);
            limit(used() - 1000);
            c.call("PING");
            RespValue msg = sub.read();
            assertThat(msg.get(0).text()).isEqualTo("message");
            assertThat(msg.get(1).text()).isEqualTo("__keyevent@0__:evicted");
            assertThat(msg.get(2).text()).startsWith("n:");
        }
    }
}
