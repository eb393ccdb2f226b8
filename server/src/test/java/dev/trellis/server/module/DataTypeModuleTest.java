package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Module data types through tmdatatype.c: keyspace life cycle, callbacks, RDB, DUMP/RESTORE. */
class DataTypeModuleTest {
    static final String VALUE_K = "*[:-42, $hello, $-21, $-10.5, $-14, $a, $b]";
    static TestServer server;
    static RespClient c;

    static java.nio.file.Path dir;

    @BeforeAll
    static void start() throws java.io.IOException {
        dir = java.nio.file.Files.createTempDirectory("tmdatatype");
        server = TestServer.start("--enable-module-command", "yes", "--enable-debug-command", "yes", "--dir", dir.toString());
        c = server.client();
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmdatatype.so")).toString()).isEqualTo("+OK");
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
        java.io.File[] files = dir.toFile().listFiles();
        if (files != null) {
            for (java.io.File f : files) {
                f.delete();
            }
        }
        dir.toFile().delete();
    }

    @BeforeEach
    void clean() {
        c.call("FLUSHALL");
        c.call("TMT.FAILCOPY", "0");
    }

    static String call(String... args) {
        return c.call(args).toString();
    }

    /** [frees, unlinks, copies, loads, saves, aux-before, aux-after, aux-text]. */
    static long stat(int i) {
        return c.call("TMT.STATS").get(i).asLong();
    }

    private static void sample(String key) {
        assertThat(call("TMT.SET", key, "-42", "hello")).isEqualTo("+OK");
        assertThat(call("TMT.PUSH", key, "a", "b")).isEqualTo(":2");
    }

    @Test
    void valuesLiveInTheKeyspaceWithTheirTypeName() {
        sample("k");
        assertThat(call("TMT.GET", "k")).isEqualTo(VALUE_K);
        assertThat(call("TYPE", "k")).isEqualTo("+trlsdtype");
        assertThat(call("OBJECT", "ENCODING", "k")).isEqualTo("$raw");
        assertThat(call("TMT.INFO", "k")).isEqualTo("*[:6, :1, :0]");
        assertThat(call("GET", "k")).isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(call("SCAN", "0", "TYPE", "TRLSDTYPE")).isEqualTo("*[$0, *[$k]]");
        assertThat(call("SET", "s", "x")).isEqualTo("+OK");
        assertThat(call("TMT.INFO", "s")).isEqualTo("*[:1, :0, :0]");
        assertThat(call("TMT.INFO", "none")).isEqualTo("*[:0, :0, :-1]");
    }

    @Test
    void creationRulesAreRedis() {
        // Names/versions checked in OnLoad (the module fails to load otherwise); outside OnLoad refused.
        assertThat(call("TMT.LATE")).isEqualTo("+OK");
        assertThat(call("MODULE", "UNLOAD", "tmdatatype"))
                .isEqualTo("-ERR Error unloading module: the module exports one or more module-side data types, can't unload");
    }

    @Test
    void freeRunsWhenTheLastKeyLetsGo() {
        sample("k");
        long frees = stat(0);
        long unlinks = stat(1);
        assertThat(call("RENAME", "k", "k2")).isEqualTo("+OK");
        assertThat(stat(0)).isEqualTo(frees); // moved, not freed
        assertThat(stat(1)).isEqualTo(unlinks + 1); // the old name was unlinked
        assertThat(call("TMT.GET", "k2")).isEqualTo(VALUE_K);
        assertThat(call("MOVE", "k2", "3")).isEqualTo(":1");
        assertThat(stat(0)).isEqualTo(frees);
        c.call("SELECT", "3");
        assertThat(call("TMT.GET", "k2")).isEqualTo(VALUE_K);
        assertThat(call("DEL", "k2")).isEqualTo(":1");
        c.call("SELECT", "0");
        assertThat(stat(0)).isEqualTo(frees + 1);
        sample("k");
        assertThat(call("SET", "k", "now a string")).isEqualTo("+OK");
        assertThat(stat(0)).isEqualTo(frees + 2);
        sample("k");
        sample("k"); // TMT.SET replaces the value
        assertThat(stat(0)).isEqualTo(frees + 3);
        assertThat(call("FLUSHALL")).isEqualTo("+OK");
        assertThat(stat(0)).isEqualTo(frees + 4);
        sample("e");
        assertThat(call("PEXPIRE", "e", "1")).isEqualTo(":1");
        long deadline = System.currentTimeMillis() + 5000;
        while (stat(0) != frees + 5 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(stat(0)).isEqualTo(frees + 5);
    }

    @Test
    void replaceValueSwapsWithoutFreeing() {
        sample("a");
        assertThat(call("TMT.SET", "b", "7", "bee")).isEqualTo("+OK");
        long frees = stat(0);
        assertThat(call("TMT.SWAP", "a", "b")).isEqualTo("+OK");
        assertThat(call("TMT.GET", "b")).isEqualTo(VALUE_K);
        assertThat(call("TMT.GET", "a")).startsWith("*[:7, $bee,");
        assertThat(stat(0)).isEqualTo(frees);
        assertThat(call("SET", "s", "x")).isEqualTo("+OK");
        assertThat(call("TMT.SWAP", "a", "s")).isEqualTo("-ERR swap failed");
    }

    @Test
    void copyUsesTheModuleCallbackWithKeyNamesAndDatabases() {
        sample("src");
        assertThat(call("COPY", "src", "dst")).isEqualTo(":1");
        assertThat(call("TMT.GET", "dst")).startsWith("*[:-42, $hello/src/dst/0/0,");
        assertThat(call("COPY", "src", "dst", "DB", "2")).isEqualTo(":1");
        c.call("SELECT", "2");
        assertThat(call("TMT.GET", "dst")).startsWith("*[:-42, $hello/src/dst/0/2,");
        c.call("SELECT", "0");
        c.call("TMT.FAILCOPY", "1");
        assertThat(call("COPY", "src", "other")).isEqualTo("-ERR module key failed to copy");
        assertThat(call("EXISTS", "other")).isEqualTo(":0");
    }

    @Test
    void memoryUsageAndDigestAskTheModule() {
        sample("k");
        long small = c.call("MEMORY", "USAGE", "k").asLong();
        c.call("TMT.PUSH", "k", "c", "d", "e");
        long big = c.call("MEMORY", "USAGE", "k").asLong();
        assertThat(big - small).isGreaterThanOrEqualTo(300); // 100 per item in mem_usage2
        assertThat(small).isGreaterThan(1000); // mem_usage2 saw the key name
        String d1 = call("DEBUG", "DIGEST-VALUE", "k");
        c.call("TMT.PUSH", "k", "f");
        assertThat(call("DEBUG", "DIGEST-VALUE", "k")).isNotEqualTo(d1);
        sample("k"); // the same contents again
        c.call("TMT.PUSH", "k", "c", "d", "e");
        assertThat(call("DEBUG", "DIGEST-VALUE", "k")).isEqualTo(d1);
        c.call("TMT.SET", "k", "-42", "hellO");
        c.call("TMT.PUSH", "k", "a", "b", "c", "d", "e");
        assertThat(call("DEBUG", "DIGEST-VALUE", "k")).isNotEqualTo(d1);
    }

    @Test
    void digestCallbackLearnsTheKeyAndDatabase() {
        sample("k");
        c.call("SELECT", "1");
        try {
            sample("k");
            String inDb1 = call("DEBUG", "DIGEST-VALUE", "k");
            c.call("SELECT", "0");
            // tmdatatype mixes GetKeyNameFromDigest and GetDbIdFromDigest into its digest.
            assertThat(call("DEBUG", "DIGEST-VALUE", "k")).isNotEqualTo(inDb1);
        } finally {
            c.call("SELECT", "1");
            c.call("FLUSHDB");
            c.call("SELECT", "0");
        }
    }

    @Test
    void rdbRoundTripWithAuxData() {
        sample("k");
        c.call("TMT.SET", "n", "1", "one");
        c.call("TMT.AUX", "aux-text");
        long loads = stat(3);
        assertThat(call("DEBUG", "RELOAD")).isEqualTo("+OK");
        assertThat(call("TMT.GET", "k")).isEqualTo(VALUE_K);
        assertThat(call("TMT.GET", "n")).startsWith("*[:1, $one,");
        assertThat(stat(3)).isEqualTo(loads + 2);
        assertThat(stat(5)).isEqualTo(1); // aux before keys
        assertThat(stat(6)).isEqualTo(2); // aux after keys
        assertThat(c.call("TMT.STATS").get(7).text()).isEqualTo("aux-text");
    }

    @Test
    void dumpAndRestoreThroughTheModuleType() {
        sample("k");
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            byte[] payload = j.dump("k".getBytes(StandardCharsets.UTF_8));
            assertThat(j.restore("r".getBytes(StandardCharsets.UTF_8), 0, payload)).isEqualTo("OK");
            assertThat(call("TMT.GET", "r")).isEqualTo(VALUE_K);
            // A corrupted payload is refused, never loaded.
            payload[payload.length - 12] ^= 0x55;
            assertThatThrownBy(() -> j.restore("bad".getBytes(StandardCharsets.UTF_8), 0, payload))
                    .hasMessageContaining("DUMP payload version or checksum are wrong");
            byte[] own = j.sendCommand(() -> "TMT.DUMP".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8))
                    instanceof byte[] b ? b : null;
            assertThat(own).isNotNull();
            Object restored = j.sendCommand(() -> "TMT.RESTORE".getBytes(StandardCharsets.UTF_8),
                    "r2".getBytes(StandardCharsets.UTF_8), own, "3".getBytes(StandardCharsets.UTF_8));
            assertThat(restored).isEqualTo(3L);
            assertThat(call("TMT.GET", "r2")).isEqualTo(VALUE_K);
            byte[] truncated = java.util.Arrays.copyOf(own, own.length - 1);
            assertThatThrownBy(() -> j.sendCommand(() -> "TMT.RESTORE".getBytes(StandardCharsets.UTF_8),
                    "r3".getBytes(StandardCharsets.UTF_8), truncated, "3".getBytes(StandardCharsets.UTF_8)))
                    .hasMessageContaining("Invalid");
        }
    }

    @Test
    void aofRewriteInCommandFormUsesEmitAof() throws Exception {
        sample("k");
        assertThat(call("CONFIG", "SET", "aof-use-rdb-preamble", "no")).isEqualTo("+OK");
        assertThat(call("CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK");
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            String base = "";
            while (System.currentTimeMillis() < deadline) {
                java.nio.file.Path aofDir = dir.resolve("appendonlydir");
                if (java.nio.file.Files.isDirectory(aofDir)) {
                    try (var files = java.nio.file.Files.list(aofDir)) {
                        for (var f : (Iterable<java.nio.file.Path>) files::iterator) {
                            if (f.getFileName().toString().contains(".base.aof")) {
                                base = java.nio.file.Files.readString(f, StandardCharsets.ISO_8859_1);
                            }
                        }
                    }
                }
                if (base.contains("TMT.SET")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(base).contains("*4\r\n$7\r\nTMT.SET\r\n$1\r\nk\r\n$3\r\n-42\r\n$5\r\nhello\r\n");
            // Reloading replays the emitted TMT.SET (whose aof_rewrite leaves the items out).
            assertThat(call("DEBUG", "LOADAOF")).isEqualTo("+OK");
            assertThat(call("TMT.GET", "k")).isEqualTo("*[:-42, $hello, $-21, $-10.5, $-14]");
        } finally {
            c.call("CONFIG", "SET", "appendonly", "no");
            c.call("CONFIG", "SET", "aof-use-rdb-preamble", "yes");
        }
    }
}
