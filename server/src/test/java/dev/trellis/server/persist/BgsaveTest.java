package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BGSAVE writes the keyspace as it was when it started, while the server keeps taking writes. */
class BgsaveTest {
    private Path dir;
    private Path copy;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
        PersistTestSupport.deleteTree(copy);
    }

    private static boolean inProgress(TestServer t) {
        return Datasets.onServer(t.server(), () -> Persistence.of(t.server()).bgsaveInProgress());
    }

    @Test
    void snapshotIsPointInTimeUnderConcurrentWrites() throws Exception {
        dir = PersistTestSupport.tempDir("bgsave");
        int n = 3000;
        long base = System.currentTimeMillis() + 3_600_000;
        Map<String, String> expected;
        int writesDuringSave = 0;
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--rdb-key-save-delay", "100");
             BinaryClient c = new BinaryClient(t.port())) {
            for (int i = 0; i < n; i++) {
                c.send("SET", "k" + i, "v0-" + i);
            }
            for (int i = 0; i < n; i++) {
                c.read();
            }
            c.call("SET", "counter", "10");
            c.call("SET", "ttl", "x", "PXAT", Long.toString(base));
            c.call("SELECT", "2");
            c.call("SET", "other-db", "2");
            c.call("SELECT", "0");
            expected = Datasets.of(t.server());
            assertThat(c.call("BGSAVE")).isEqualTo("Background saving started");
            assertThat(c.call("BGSAVE")).isEqualTo(new BinaryClient.Err("ERR Background save already in progress"));
            assertThat(c.call("SAVE")).isEqualTo(new BinaryClient.Err("ERR Background save already in progress"));
            // Change the keyspace every way we can while the snapshot is being written.
            for (int i = 0; i < n; i += 3) {
                c.send("SET", "k" + i, "v1-" + i);
                c.send("DEL", "k" + (i + 1));
                c.send("SET", "new" + i, "n");
                c.send("INCR", "counter");
                writesDuringSave += 4;
            }
            c.send("FLUSHDB");
            c.send("SELECT", "2");
            c.send("SET", "other-db", "changed");
            c.send("SET", "ttl", "y");
            for (int i = 0; i < writesDuringSave + 4; i++) {
                Object r = c.read();
                assertThat(r).isNotInstanceOf(BinaryClient.Err.class);
            }
            assertThat(inProgress(t)).as("the writes landed while the snapshot ran").isTrue();
            long deadline = System.currentTimeMillis() + 60_000;
            while (inProgress(t) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(inProgress(t)).isFalse();
            assertThat(c.call("GET", "other-db")).isEqualTo("changed".getBytes());
        }
        copy = PersistTestSupport.tempDir("bgsave-load");
        Files.copy(dir.resolve("dump.rdb"), copy.resolve("dump.rdb"));
        try (TestServer t = TestServer.start("--dir", copy.toString())) {
            Map<String, String> actual = new TreeMap<>(Datasets.of(t.server()));
            assertThat(Datasets.diff(expected, actual)).isEmpty();
        }
    }

    @Test
    void lastsaveAndBgsaveScheduleAndSyntax() throws Exception {
        dir = PersistTestSupport.tempDir("bgsave-cmds");
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            long before = (Long) c.call("LASTSAVE");
            assertThat(c.call("BGSAVE", "now")).isEqualTo(new BinaryClient.Err("ERR syntax error"));
            assertThat(c.call("BGSAVE", "SCHEDULE", "x")).isEqualTo(new BinaryClient.Err("ERR syntax error"));
            Thread.sleep(1100);
            c.call("SET", "a", "1");
            assertThat(c.call("BGSAVE", "SCHEDULE")).isEqualTo("Background saving started");
            long deadline = System.currentTimeMillis() + 10_000;
            while (inProgress(t) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat((Long) c.call("LASTSAVE")).isGreaterThan(before);
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isTrue();
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dump.rdb");
            }
        }
    }
}
