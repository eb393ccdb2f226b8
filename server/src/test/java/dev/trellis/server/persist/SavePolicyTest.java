package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Save policies as Redis applies them: FLUSHALL with save points, BGSAVE SCHEDULE behind an AOF
 * rewrite, a background save dropped on purpose, and the INFO persistence field list.
 */
class SavePolicyTest {
    private Path dir;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    private static void awaitNoBgsave(BinaryClient c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!PersistCommandsTest.info(c, "rdb_bgsave_in_progress").equals("0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(PersistCommandsTest.info(c, "rdb_bgsave_in_progress")).isEqualTo("0");
    }

    @Test
    void flushallWithSavePointsSavesTheEmptyDataset() throws Exception {
        dir = PersistTestSupport.tempDir("flushall-save");
        Path rdb = dir.resolve("dump.rdb");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "3600 1");
             BinaryClient c = new BinaryClient(t.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            assertThat(c.call("SAVE")).isEqualTo("OK");
            long sizeWithKeys = Files.size(rdb);
            c.call("SET", "c", "3");
            assertThat(PersistCommandsTest.info(c, "rdb_changes_since_last_save")).isEqualTo("1");
            assertThat(c.call("FLUSHALL")).isEqualTo("OK");
            // The file now holds the empty dataset, and nothing counts as unsaved (Redis's rdbSave).
            assertThat(Files.size(rdb)).isLessThan(sizeWithKeys);
            assertThat(PersistCommandsTest.info(c, "rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(PersistCommandsTest.info(c, "rdb_saves")).isEqualTo("1");
            assertThat(c.call("FLUSHALL", "BOGUS")).isEqualTo(new BinaryClient.Err("ERR syntax error"));
        }
        // The file FLUSHALL wrote replaced the one with keys.
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    void savePointStartsABackgroundSaveUnderTheConfiguredName() throws Exception {
        dir = PersistTestSupport.tempDir("save-point");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "1 2", "--dbfilename", "first.rdb",
                "--enable-protected-configs", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            c.call("SET", "a", "1");
            Thread.sleep(2200);
            assertThat(c.call("CONFIG", "SET", "enable-protected-configs", "no"))
                    .isEqualTo(new BinaryClient.Err("ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - can't set immutable config"));
            // One change is below the policy's two: nothing is saved however long we wait.
            assertThat(Files.exists(dir.resolve("first.rdb"))).isFalse();
            assertThat(c.call("CONFIG", "SET", "dbfilename", "second.rdb")).isEqualTo("OK");
            c.call("SET", "b", "2");
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Files.exists(dir.resolve("second.rdb")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            awaitNoBgsave(c);
            assertThat(Files.exists(dir.resolve("second.rdb"))).isTrue();
            assertThat(Files.exists(dir.resolve("first.rdb"))).isFalse();
            assertThat(PersistCommandsTest.info(c, "rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(PersistCommandsTest.info(c, "rdb_saves")).isEqualTo("1");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--dbfilename", "second.rdb");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(2L);
        }
    }

    @Test
    void flushallWithoutSavePointsWritesNoFile() {
        dir = PersistTestSupport.tempDir("flushall-nosave");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "");
             BinaryClient c = new BinaryClient(t.port())) {
            c.call("SET", "c", "1");
            assertThat(c.call("FLUSHALL")).isEqualTo("OK");
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isFalse();
            // One change for SET, one for the flushed key (as Redis 7.0 counts them).
            assertThat(PersistCommandsTest.info(c, "rdb_changes_since_last_save")).isEqualTo("2");
        }
    }

    @Test
    void flushallDropsARunningBackgroundSaveWithoutStoppingWrites() throws Exception {
        dir = PersistTestSupport.tempDir("flushall-bgsave");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "3600 1", "--rdb-key-save-delay", "2000");
             BinaryClient c = new BinaryClient(t.port())) {
            for (int i = 0; i < 200; i++) {
                c.send("SET", "k" + i, "v");
            }
            for (int i = 0; i < 200; i++) {
                c.read();
            }
            assertThat(c.call("BGSAVE")).isEqualTo("Background saving started");
            assertThat(PersistCommandsTest.info(c, "rdb_bgsave_in_progress")).isEqualTo("1");
            assertThat(c.call("FLUSHALL")).isEqualTo("OK");
            awaitNoBgsave(c);
            // Killed on purpose: not an error, so writes go on (no -MISCONF).
            assertThat(PersistCommandsTest.info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(c.call("SET", "x", "1")).isEqualTo("OK");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb");
            }
        }
    }

    @Test
    void bgsaveScheduleWaitsForTheAofRewrite() throws Exception {
        dir = PersistTestSupport.tempDir("bgsave-schedule");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--rdb-key-save-delay", "3000");
             BinaryClient c = new BinaryClient(t.port())) {
            for (int i = 0; i < 300; i++) {
                c.send("SET", "k" + i, "v");
            }
            for (int i = 0; i < 300; i++) {
                c.read();
            }
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
            assertThat(c.call("BGSAVE")).isEqualTo(new BinaryClient.Err("ERR Another child process is active (AOF?): can't BGSAVE "
                    + "right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."));
            assertThat(c.call("BGSAVE", "SCHEDULE")).isEqualTo("Background saving scheduled");
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isFalse();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(dir.resolve("dump.rdb")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            awaitNoBgsave(c);
            assertThat(PersistCommandsTest.info(c, "aof_rewrites")).isEqualTo("1");
            assertThat(PersistCommandsTest.info(c, "rdb_saves")).isEqualTo("1");
            assertThat(PersistCommandsTest.info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(300L);
        }
    }

    private static List<String> fieldNames(String infoText) {
        List<String> names = new ArrayList<>();
        for (String line : infoText.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }

    @Test
    void infoPersistenceHasRedisFieldsInRedisOrder() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        dir = PersistTestSupport.tempDir("info-fields");
        for (String aof : new String[] {"no", "yes"}) {
            List<String> redis;
            Path rdir = dir.resolve("redis-" + aof);
            Files.createDirectories(rdir);
            try (ReferenceRedis r = PersistTestSupport.redis(rdir, "--appendonly", aof); BinaryClient c = new BinaryClient(r.port())) {
                PersistTestSupport.awaitLoaded(c);
                redis = fieldNames(new String((byte[]) c.call("INFO", "persistence"), StandardCharsets.UTF_8));
            }
            Path tdir = dir.resolve("trellis-" + aof);
            Files.createDirectories(tdir);
            try (TestServer t = TestServer.start("--dir", tdir.toString(), "--appendonly", aof);
                 BinaryClient c = new BinaryClient(t.port())) {
                List<String> ours = fieldNames(new String((byte[]) c.call("INFO", "persistence"), StandardCharsets.UTF_8));
                assertThat(ours).as("appendonly " + aof).isEqualTo(redis);
            }
        }
    }
}
