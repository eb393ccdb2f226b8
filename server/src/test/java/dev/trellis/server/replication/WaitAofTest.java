package dev.trellis.server.replication;

import static dev.trellis.server.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAITAOF numlocal numreplicas timeout: blocks until the client's last write is fsynced to this
 * server's AOF and to the AOFs of enough replicas, answering [local, replicas].
 */
class WaitAofTest {
    @TempDir
    Path dir;

    @Test
    void argumentsAndErrors() {
        try (TestServer t = TestServer.start("--dir", dir.toString()); RespClient c = t.client()) {
            assertThat(c.call("WAITAOF", "2", "0", "0").toString()).isEqualTo("-ERR value is out of range, value must between 0 and 1");
            assertThat(c.call("WAITAOF", "0", "-1", "0").toString()).isEqualTo("-ERR value is out of range, must be positive");
            assertThat(c.call("WAITAOF", "0", "0", "-1").toString()).isEqualTo("-ERR timeout is negative");
            assertThat(c.call("WAITAOF", "1", "0", "0").toString())
                    .isEqualTo("-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
            // Nothing asked of the AOF: answered at once with what there is.
            assertThat(c.call("WAITAOF", "0", "0", "0").toString()).isEqualTo("*[:0, :0]");
        }
    }

    @Test
    void localCopyUnderEachFsyncPolicy() throws Exception {
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             RespClient c = t.client()) {
            long before = Long.parseLong(c.infoField("replication", "master_repl_offset"));
            c.call("INCR", "n");
            // With the AOF alone, each propagated command moves the offset one step, as Redis.
            assertThat(Long.parseLong(c.infoField("replication", "master_repl_offset"))).isEqualTo(before + 1);
            // everysec: answered once the background fsync covered the write.
            assertThat(c.call("WAITAOF", "1", "0", "5000").toString()).isEqualTo("*[:1, :0]");

            c.call("CONFIG", "SET", "appendfsync", "always");
            c.call("INCR", "n");
            assertThat(c.call("WAITAOF", "1", "0", "0").toString()).isEqualTo("*[:1, :0]");

            // no: never known to be on disk, so the wait times out.
            c.call("CONFIG", "SET", "appendfsync", "no");
            c.call("INCR", "n");
            assertThat(c.call("WAITAOF", "1", "0", "100").toString()).isEqualTo("*[:0, :0]");
            // Inside MULTI it cannot block.
            c.call("MULTI");
            c.call("WAITAOF", "1", "0", "0");
            assertThat(c.call("EXEC").toString()).isEqualTo("*[*[:0, :0]]");
        }
    }

    @Test
    void turningTheAofOffReleasesLocalWaitsWithAnError() throws Exception {
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "no");
             RespClient c = t.client(); RespClient admin = t.client()) {
            c.call("INCR", "n");
            c.sendRaw("WAITAOF 1 0 0\r\n");
            await("blocked", () -> admin.call("INFO", "clients").text().contains("blocked_clients:1"));
            admin.call("CONFIG", "SET", "appendonly", "no");
            assertThat(c.read().toString())
                    .isEqualTo("-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
        }
    }

    @Test
    void withATrellisReplicaThatReportsItsFsyncedOffset() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("m"));
        java.nio.file.Files.createDirectories(dir.resolve("r"));
        try (TestServer master = TestServer.start("--dir", dir.resolve("m").toString(), "--appendonly", "yes",
                "--appendfsync", "always");
             TestServer replica = TestServer.start("--dir", dir.resolve("r").toString(), "--appendonly", "yes");
             RespClient m = master.client(); RespClient r = replica.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(r.infoField("replication", "master_link_status")));
            for (int i = 0; i < 3; i++) {
                m.call("INCR", "n");
                assertThat(m.call("WAITAOF", "1", "1", "10000").toString()).isEqualTo("*[:1, :1]");
            }
            assertThat(r.call("WAITAOF", "0", "0", "0").toString())
                    .startsWith("-ERR WAITAOF cannot be used with replica instances.");
            // A replica without an AOF never acknowledges one.
            r.call("CONFIG", "SET", "appendonly", "no");
            m.call("INCR", "n");
            assertThat(m.call("WAITAOF", "0", "1", "300").toString()).isEqualTo("*[:1, :0]");
        }
    }

    /**
     * A replica's full sync replaces its dataset, so its AOF starts again from a base of the
     * master's data: restarted from that AOF, the replica has the master's keys, not its old ones.
     */
    @Test
    void aReplicaRewritesItsAofAfterAFullSync() throws Exception {
        Path rdir = java.nio.file.Files.createDirectories(dir.resolve("r"));
        java.nio.file.Files.createDirectories(dir.resolve("m"));
        try (TestServer master = TestServer.start("--dir", dir.resolve("m").toString());
             RespClient m = master.client()) {
            m.call("SET", "from-master", "1");
            try (TestServer replica = TestServer.start("--dir", rdir.toString(), "--appendonly", "yes");
                 RespClient r = replica.client()) {
                r.call("SET", "old", "1");
                r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
                await("link up", () -> "up".equals(r.infoField("replication", "master_link_status")));
                await("rewrite done", () -> r.infoField("persistence", "aof_rewrite_in_progress").equals("0")
                        && r.infoField("persistence", "aof_rewrite_scheduled").equals("0"));
                m.call("SET", "after", "2");
                await("applied", () -> r.call("GET", "after").toString().equals("$2"));
            }
        }
        try (TestServer again = TestServer.start("--dir", rdir.toString(), "--appendonly", "yes");
             RespClient c = again.client()) {
            assertThat(c.call("DBSIZE").toString()).isEqualTo(":2");
            assertThat(c.call("EXISTS", "old").toString()).isEqualTo(":0");
            assertThat(c.call("GET", "from-master").toString()).isEqualTo("$1");
            assertThat(c.call("GET", "after").toString()).isEqualTo("$2");
        }
    }
}
