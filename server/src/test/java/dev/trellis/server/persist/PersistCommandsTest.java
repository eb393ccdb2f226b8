package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.Server;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** INFO persistence, DEBUG RELOAD, -MISCONF after a failed save, -LOADING while loading. */
class PersistCommandsTest {
    private Path dir;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    static String info(BinaryClient c, String field) {
        String text = new String((byte[]) c.call("INFO", "persistence"), StandardCharsets.UTF_8);
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in " + text);
    }

    @Test
    void infoPersistenceTracksChangesAndSaves() {
        dir = PersistTestSupport.tempDir("info");
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(info(c, "loading")).isEqualTo("0");
            assertThat(info(c, "rdb_bgsave_in_progress")).isEqualTo("0");
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("2");
            assertThat(c.call("SAVE")).isEqualTo("OK");
            assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("0");
            assertThat(info(c, "rdb_saves")).isEqualTo("1");
            assertThat(Long.parseLong(info(c, "rdb_last_save_time"))).isEqualTo((Long) c.call("LASTSAVE"));
            assertThat(info(c, "aof_enabled")).isEqualTo("0");
        }
    }

    @Test
    void debugReloadKeepsTheDataset() {
        dir = PersistTestSupport.tempDir("reload");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            SampleData.apply(c, SampleData.commands(System.currentTimeMillis() + 1_000_000, false));
            Map<String, String> before = Datasets.of(t.server());
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("OK");
            assertThat(Datasets.diff(before, Datasets.of(t.server()))).isEmpty();
            assertThat(c.call("DEBUG", "RELOAD", "BOGUS"))
                    .isEqualTo(new BinaryClient.Err("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
            c.call("SET", "short", "changed");
            c.call("SET", "added", "x");
            // NOSAVE: back to the file's content, the change and the new key are gone.
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo("OK");
            assertThat(c.call("GET", "short")).isEqualTo("hello world".getBytes());
            assertThat(c.call("EXISTS", "added")).isEqualTo(0L);
            c.call("SET", "added", "x");
            assertThat(c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo("OK");
            assertThat(c.call("EXISTS", "added")).isEqualTo(1L);
        }
    }

    @Test
    void failedBackgroundSaveStopsWritesWithMisconf() throws Exception {
        dir = PersistTestSupport.tempDir("misconf");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "3600 1");
             BinaryClient c = new BinaryClient(t.port())) {
            // The target name is taken by a non-empty directory: renaming the new file over it fails.
            Files.createDirectories(dir.resolve("dump.rdb").resolve("occupied"));
            c.call("SET", "a", "1");
            assertThat(c.call("BGSAVE")).isEqualTo("Background saving started");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!info(c, "rdb_bgsave_in_progress").equals("0") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("err");
            BinaryClient.Err misconf = new BinaryClient.Err(Persistence.MISCONF_RDB);
            assertThat(c.call("SET", "b", "2")).isEqualTo(misconf);
            assertThat(c.call("PING")).isEqualTo(misconf);
            assertThat(c.call("GET", "a")).isEqualTo("1".getBytes());
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).isEqualTo("OK");
            assertThat(c.call("SET", "b", "2")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")).isEqualTo("OK");
            PersistTestSupport.deleteTree(dir.resolve("dump.rdb"));
            assertThat(c.call("SAVE")).isEqualTo("OK");
            assertThat(c.call("SET", "c", "3")).isEqualTo("OK");
        }
    }

    @Test
    void clientsGetLoadingWhileTheDatasetLoads() throws Exception {
        dir = PersistTestSupport.tempDir("loading");
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            for (int i = 0; i < 400; i++) {
                c.send("SET", "k" + i, "v" + i);
            }
            for (int i = 0; i < 400; i++) {
                c.read();
            }
            c.call("SAVE");
        }
        var loading = PersistTestSupport.startLoading(dir, "--save", "", "--key-load-delay", "5000");
        Server s = loading.server();
        CompletableFuture<Void> ready = loading.ready();
        try (BinaryClient c = new BinaryClient(loading.port())) {
            // The startup task begins loading asynchronously: wait until it has.
            long until = System.currentTimeMillis() + 10_000;
            while (!info(c, "loading").equals("1") && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
            assertThat(info(c, "loading")).isEqualTo("1");
            assertThat(c.call("GET", "k1")).isEqualTo(new BinaryClient.Err("LOADING Redis is loading the dataset in memory"));
            assertThat(Long.parseLong(info(c, "loading_total_bytes"))).isPositive();
            ready.join();
            assertThat(info(c, "loading")).isEqualTo("0");
            assertThat(c.call("GET", "k1")).isEqualTo("v1".getBytes());
            assertThat(c.call("DBSIZE")).isEqualTo(400L);
        } finally {
            s.execute(() -> s.shutdown(false, true, true));
            s.awaitTermination();
        }
    }
}
