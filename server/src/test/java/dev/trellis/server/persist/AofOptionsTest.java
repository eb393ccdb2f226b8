package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** aof-timestamp-enabled, auto-aof-rewrite-percentage/min-size and DEBUG LOADAOF. */
class AofOptionsTest {
    private Path dir;
    private final long base = System.currentTimeMillis() + 1_000_000;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    private static Path incrFile(Path d) throws Exception {
        String last = null;
        for (String line : AofTest.manifest(d).split("\n")) {
            if (line.endsWith("type i")) {
                last = line.split(" ")[1];
            }
        }
        return d.resolve("appendonlydir").resolve(last);
    }

    @Test
    void timestampAnnotationsAreWrittenAndLoaded() throws Exception {
        dir = PersistTestSupport.tempDir("aof-ts");
        Map<String, String> expected;
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--aof-timestamp-enabled", "yes",
                "--appendfsync", "always"); BinaryClient c = new BinaryClient(t.port())) {
            c.call("SET", "a", "1");
            Thread.sleep(1100);
            c.call("SET", "b", "2");
            expected = Datasets.of(t.server());
            String log = AofTest.incr(dir);
            // One annotation per second in which something was written, before what was written.
            assertThat(log).matches("(?s)#TS:\\d+\r\n\\*2\r\n\\$6\r\nSELECT.*\\$1\r\na\r\n\\$1\r\n1\r\n#TS:\\d+\r\n\\*3.*");
            assertThat(log.split("#TS:", -1)).hasSize(3);
        }
        // Annotations are skipped on load, with timestamps on or off.
        for (String ts : new String[] {"yes", "no"}) {
            try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--aof-timestamp-enabled", ts)) {
                assertThat(Datasets.diff(expected, Datasets.of(t.server()))).as("aof-timestamp-enabled " + ts).isEmpty();
            }
        }
    }

    @Test
    void timestampedAofWrittenByRedisLoads() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        dir = PersistTestSupport.tempDir("aof-ts-redis");
        Map<String, String> expected;
        try (ReferenceRedis redis = PersistTestSupport.redis(dir, "--appendonly", "yes", "--appendfsync", "always",
                "--aof-timestamp-enabled", "yes"); BinaryClient c = new BinaryClient(redis.port())) {
            PersistTestSupport.awaitLoaded(c);
            SampleData.apply(c, SampleData.commands(base, true));
            Thread.sleep(1100);
            c.call("SET", "later", "second");
            // Timestamps reach the file of a Redis that writes them.
            assertThat(AofTest.incr(dir)).contains("#TS:");
            // A rewrite with timestamps on also stamps the base.
            assertThat(c.call("CONFIG", "SET", "aof-use-rdb-preamble", "no")).isEqualTo("OK");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
            AofTest.awaitRewrite(c);
            c.call("SET", "after", "rewrite");
            expected = Datasets.of(c, 16);
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
        }
    }

    @Test
    void automaticRewriteWhenTheAofGrows() throws Exception {
        dir = PersistTestSupport.tempDir("aof-auto");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes",
                "--auto-aof-rewrite-percentage", "0", "--auto-aof-rewrite-min-size", "4kb");
             BinaryClient c = new BinaryClient(t.port())) {
            String value = "x".repeat(100);
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + (i % 5), value);
            }
            Thread.sleep(500);
            // Percentage 0 turns the automatic rewrite off.
            assertThat(PersistCommandsTest.info(c, "aof_rewrites")).isEqualTo("0");
            assertThat(c.call("CONFIG", "SET", "auto-aof-rewrite-percentage", "100")).isEqualTo("OK");
            long deadline = System.currentTimeMillis() + 20_000;
            while (PersistCommandsTest.info(c, "aof_rewrites").equals("0") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            AofTest.awaitRewrite(c);
            assertThat(PersistCommandsTest.info(c, "aof_rewrites")).isEqualTo("1");
            assertThat(AofTest.files(dir)).containsExactly("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof",
                    "appendonly.aof.manifest");
            // Base and current size restart from the rewritten file: 5 small keys are far from doubling.
            long current = Long.parseLong(PersistCommandsTest.info(c, "aof_current_size"));
            assertThat(Long.parseLong(PersistCommandsTest.info(c, "aof_base_size"))).isEqualTo(current).isLessThan(4096);
            c.call("SET", "one", "more");
            Thread.sleep(300);
            assertThat(PersistCommandsTest.info(c, "aof_rewrites")).isEqualTo("1");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(6L);
        }
    }

    /** As Redis, commands replayed from the AOF (DEBUG LOADAOF or at startup) are not in commandstats. */
    @Test
    void replayedCommandsAreNotCountedInCommandstats() throws Exception {
        dir = PersistTestSupport.tempDir("aof-stats");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
                "--enable-debug-command", "yes"); var c = t.client()) {
            c.call("SET", "a", "1");
            c.call("MULTI");
            c.call("SET", "b", "2");
            c.call("EXEC");
            assertThat(c.call("INFO", "commandstats").text()).contains("cmdstat_set:calls=2,");
            c.call("CONFIG", "RESETSTAT");
            assertThat(c.call("DEBUG", "LOADAOF").text()).isEqualTo("OK");
            assertThat(c.call("GET", "b").text()).isEqualTo("2");
            assertThat(c.call("INFO", "commandstats").text()).doesNotContain("cmdstat_set:").doesNotContain("cmdstat_exec:");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); var c = t.client()) {
            assertThat(c.call("GET", "a").text()).isEqualTo("1");
            assertThat(c.call("INFO", "commandstats").text()).doesNotContain("cmdstat_set:").doesNotContain("cmdstat_multi:");
        }
    }

    @Test
    void debugLoadAofReplacesTheDatasetWithTheFilesContent() throws Exception {
        dir = PersistTestSupport.tempDir("aof-loadaof");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
                "--enable-debug-command", "yes"); BinaryClient c = new BinaryClient(t.port())) {
            SampleData.apply(c, SampleData.commands(base, false));
            Map<String, String> before = Datasets.of(t.server());
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo("OK");
            assertThat(Datasets.diff(before, Datasets.of(t.server()))).isEmpty();
            // A command appended to the file by someone else is there after the reload...
            Path incr = incrFile(dir);
            Files.write(incr, "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$8\r\nexternal\r\n$1\r\n1\r\n".getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.APPEND);
            long size = Files.size(incr);
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo("OK");
            assertThat(c.call("GET", "external")).isEqualTo("1".getBytes(StandardCharsets.US_ASCII));
            // ...and the reload itself is not logged, and counts as no change.
            assertThat(Files.size(incr)).isEqualTo(size);
            assertThat(PersistCommandsTest.info(c, "rdb_changes_since_last_save")).isEqualTo("0");
            c.call("SET", "after", "reload");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("GET", "external")).isEqualTo("1".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.call("GET", "after")).isEqualTo("reload".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aKilledRewriteFinishingLateLeavesTheNextOneAlone() throws Exception {
        dir = PersistTestSupport.tempDir("aof-rekill");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--enable-debug-command", "yes");
             var c = t.client()) {
            c.call("DEBUG", "POPULATE", "50");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "100000"); // 0.1 s a key: rewrites run for seconds
            assertThat(c.call("BGREWRITEAOF").text()).startsWith("Background append only file rewriting");
            // Switching AOF off kills the rewrite; switching it on starts another one at once,
            // before the killed one's writer has told the server it stopped.
            assertThat(c.call("CONFIG", "SET", "appendonly", "no").text()).isEqualTo("OK");
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes").text()).isEqualTo("OK");
            Thread.sleep(500);
            assertThat(c.infoField("persistence", "aof_rewrite_in_progress")).isEqualTo("1");
            assertThat(c.infoField("persistence", "aof_last_bgrewrite_status")).isEqualTo("ok");
            // Killing the new one frees the snapshot for a BGSAVE.
            assertThat(c.call("CONFIG", "SET", "appendonly", "no").text()).isEqualTo("OK");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            assertThat(c.call("BGSAVE").text()).isEqualTo("Background saving started");
        }
    }
}
