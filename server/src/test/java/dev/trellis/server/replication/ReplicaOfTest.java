package dev.trellis.server.replication;

import static dev.trellis.server.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The replica side: REPLICAOF a Trellis or a Redis master, read-only, offsets, NO ONE. */
class ReplicaOfTest {
    @Test
    void replicaOfTrellis() throws Exception {
        try (TestServer master = TestServer.start(); TestServer replica = TestServer.start();
             RespClient m = master.client(); RespClient r = replica.client()) {
            m.call("SET", "before", "1");
            r.call("SET", "local", "gone after the sync");
            assertThat(r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())).toString()).isEqualTo("+OK");
            await("link up", () -> "up".equals(r.infoField("replication", "master_link_status")));
            assertThat(r.infoField("replication", "role")).isEqualTo("slave");
            assertThat(r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())).toString())
                    .isEqualTo("+OK Already connected to specified master");
            m.call("SET", "after", "2");
            m.call("SELECT", "1");
            m.call("HSET", "h", "f", "v");
            m.call("MULTI");
            m.call("INCR", "n");
            m.call("INCR", "n");
            m.call("EXEC");
            await("offsets", () -> m.infoField("replication", "master_repl_offset").equals(r.infoField("replication", "master_repl_offset")));
            assertThat(r.call("GET", "before").toString()).isEqualTo("$1");
            assertThat(r.call("GET", "after").toString()).isEqualTo("$2");
            assertThat(r.call("GET", "local").isNull()).isTrue();
            r.call("SELECT", "1");
            assertThat(r.call("HGET", "h", "f").toString()).isEqualTo("$v");
            assertThat(r.call("GET", "n").toString()).isEqualTo("$2");
            assertThat(r.call("SET", "x", "1").toString()).isEqualTo("-READONLY You can't write against a read only replica.");
            assertThat(m.infoField("replication", "connected_slaves")).isEqualTo("1");

            assertThat(r.call("REPLICAOF", "NO", "ONE").toString()).isEqualTo("+OK");
            assertThat(r.infoField("replication", "role")).isEqualTo("master");
            assertThat(r.call("SET", "x", "1").toString()).isEqualTo("+OK");
        }
    }

    @Test
    void replicaOfRedis() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        // A disk-based sync: the master writes its RDB into a private directory.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("master");
        try (ReferenceRedis master = ReferenceRedis.startOrNull("--dir", dir.toString());
             TestServer replica = TestServer.start();
             RespClient m = master.client(); RespClient r = replica.client()) {
            m.call("SET", "a", "1");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(r.infoField("replication", "master_link_status")));
            m.call("LPUSH", "l", "x", "y");
            m.call("PEXPIRE", "a", "100000");
            await("offsets", () -> m.infoField("replication", "master_repl_offset").equals(r.infoField("replication", "master_repl_offset")));
            assertThat(r.call("GET", "a").toString()).isEqualTo("$1");
            assertThat(r.call("LRANGE", "l", "0", "-1").toString()).isEqualTo("*[$y, $x]");
            assertThat(r.call("PTTL", "a").asLong()).isPositive();
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }
}
