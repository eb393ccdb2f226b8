package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Multi-part AOF: what is appended, rewrites, switching at runtime, torn tails, Redis interop. */
class AofTest {
    private Path dir;
    private Path dir2;
    private final long base = System.currentTimeMillis() + 1_000_000;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
        PersistTestSupport.deleteTree(dir2);
    }

    static List<String> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d.resolve("appendonlydir"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String manifest(Path d) throws Exception {
        return Files.readString(d.resolve("appendonlydir").resolve("appendonly.aof.manifest"));
    }

    static String incr(Path d) throws Exception {
        String m = manifest(d);
        String last = null;
        for (String line : m.split("\n")) {
            if (line.endsWith("type i")) {
                last = line.split(" ")[1];
            }
        }
        return Files.readString(d.resolve("appendonlydir").resolve(last), StandardCharsets.ISO_8859_1);
    }

    static void awaitRewrite(BinaryClient c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (PersistCommandsTest.info(c, "aof_rewrite_in_progress").equals("0")
                    && PersistCommandsTest.info(c, "aof_rewrite_scheduled").equals("0")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("rewrite did not finish");
    }

    @Test
    void appendsTheEffectsAndReloadsThem() throws Exception {
        dir = PersistTestSupport.tempDir("aof");
        Map<String, String> expected;
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(files(dir)).containsExactly("appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof",
                    "appendonly.aof.manifest");
            assertThat(manifest(dir)).isEqualTo("file appendonly.aof.1.base.rdb seq 1 type b\n"
                    + "file appendonly.aof.1.incr.aof seq 1 type i\n");
            SampleData.apply(c, SampleData.commands(base, false));
            c.call("SET", "counter", "1");
            c.call("INCR", "counter");
            c.call("SET", "gone", "x");
            c.call("DEL", "gone");
            c.call("MULTI");
            c.call("SET", "tx1", "a");
            c.call("SET", "tx2", "b");
            c.call("EXEC");
            expected = Datasets.of(t.server());
            String log = incr(dir);
            assertThat(log).startsWith("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
            assertThat(log).contains("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$3\r\ntx1\r\n$1\r\na\r\n");
            assertThat(log).contains("$4\r\nINCR\r\n$7\r\ncounter\r\n");
            assertThat(log).contains("SELECT\r\n$1\r\n3\r\n");
            assertThat(PersistCommandsTest.info(c, "aof_enabled")).isEqualTo("1");
            assertThat(Long.parseLong(PersistCommandsTest.info(c, "aof_current_size"))).isPositive();
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
        }
    }

    @Test
    void rewriteReplacesTheBaseAndDropsOldFiles() throws Exception {
        for (String preamble : new String[] {"yes", "no"}) {
            PersistTestSupport.deleteTree(dir);
            dir = PersistTestSupport.tempDir("aof-rw");
            Map<String, String> expected;
            try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes",
                    "--aof-use-rdb-preamble", preamble); BinaryClient c = new BinaryClient(t.port())) {
                SampleData.apply(c, SampleData.commands(base, false));
                if (preamble.equals("no") && !(c.call("COMMAND", "INFO", "XSETID") instanceof java.util.List<?> l && l.get(0) != null)) {
                    c.call("DEL", "stream:small", "stream:big"); // XSETID not there yet: streams cannot be rewritten as commands
                }
                assertThat(c.call("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
                c.call("SET", "during", "rewrite");
                awaitRewrite(c);
                c.call("SET", "after", "rewrite");
                expected = Datasets.of(t.server());
                String ext = preamble.equals("yes") ? "rdb" : "aof";
                assertThat(files(dir)).containsExactly("appendonly.aof.2.base." + ext, "appendonly.aof.2.incr.aof",
                        "appendonly.aof.manifest");
                assertThat(incr(dir)).contains("during").contains("after");
                assertThat(PersistCommandsTest.info(c, "aof_rewrites")).isEqualTo("1");
                assertThat(PersistCommandsTest.info(c, "aof_last_bgrewrite_status")).isEqualTo("ok");
            }
            try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
                assertThat(Datasets.diff(expected, Datasets.of(t.server()))).as("preamble " + preamble).isEmpty();
            }
        }
    }

    @Test
    void switchingOnAtRuntimeWritesTheDatasetFirst() throws Exception {
        dir = PersistTestSupport.tempDir("aof-on");
        Map<String, String> expected;
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            SampleData.apply(c, SampleData.commands(base, false));
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo("OK");
            c.call("SET", "while", "starting");
            awaitRewrite(c);
            c.call("SET", "later", "on");
            assertThat(PersistCommandsTest.info(c, "aof_enabled")).isEqualTo("1");
            expected = Datasets.of(t.server());
            assertThat(files(dir)).containsExactly("appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof",
                    "appendonly.aof.manifest");
            assertThat(c.call("CONFIG", "SET", "appendonly", "no")).isEqualTo("OK");
            c.call("SET", "not", "logged");
            assertThat(incr(dir)).doesNotContain("logged");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
        }
    }

    @Test
    void tornTailLoadsWhenAllowedAndFailsOtherwise() throws Exception {
        dir = PersistTestSupport.tempDir("aof-torn");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
        }
        Path incrFile = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        long good = Files.size(incrFile);
        Files.write(incrFile, "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$3\r\nab".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertThat(PersistTestSupport.startFailure("--dir", dir.toString(), "--appendonly", "yes", "--aof-load-truncated", "no"))
                .isNotNull();
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--aof-load-truncated", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("GET", "b")).isEqualTo("2".getBytes());
            assertThat(c.call("EXISTS", "c")).isEqualTo(0L);
            c.call("SET", "d", "4");
        }
        assertThat(Files.size(incrFile)).isGreaterThan(good);
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("GET", "d")).isEqualTo("4".getBytes());
        }
        // An unfinished MULTI at the end is dropped as a whole.
        Files.write(incrFile, "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\ne\r\n$1\r\n5\r\n".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("EXISTS", "e")).isEqualTo(0L);
            assertThat(c.call("GET", "d")).isEqualTo("4".getBytes());
        }
    }

    @Test
    void redisAofDirectoryLoadsIntoTrellisAndBack() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        dir = PersistTestSupport.tempDir("aof-from-redis");
        Map<String, String> expected;
        try (ReferenceRedis redis = PersistTestSupport.redis(dir, "--appendonly", "yes", "--appendfsync", "always");
             BinaryClient c = new BinaryClient(redis.port())) {
            SampleData.apply(c, SampleData.commands(base, true));
            c.call("MULTI");
            c.call("SET", "tx", "1");
            c.call("INCR", "tx");
            c.call("EXEC");
            c.call("SET", "withttl", "v", "EX", "100000");
            expected = Datasets.of(c, 16);
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
            c.call("SET", "from", "trellis");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
            awaitRewrite(c);
            c.call("SET", "after", "rewrite");
            expected = Datasets.of(t.server());
        }
        try (ReferenceRedis redis = PersistTestSupport.redis(dir, "--appendonly", "yes");
             BinaryClient c = new BinaryClient(redis.port())) {
            PersistTestSupport.awaitLoaded(c);
            assertThat(Datasets.diff(expected, Datasets.of(c, 16))).isEmpty();
        }
    }
}
