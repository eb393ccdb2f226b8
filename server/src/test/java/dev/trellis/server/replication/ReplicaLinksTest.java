package dev.trellis.server.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.ReplicationStream;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The master side of replication: SYNC/PSYNC, the RDB payload and the command stream. */
class ReplicaLinksTest {
    static TestServer server;
    static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @Test
    void syncSendsTheDatasetThenEveryChangeInUnits() throws Exception {
        c.call("SET", "before-sync", "1");
        try (ReplicationStream repl = ReplicationStream.attach(server.port(), false)) {
            String rdb = new String(repl.rdb, StandardCharsets.ISO_8859_1);
            assertThat(rdb).startsWith("REDIS0010").contains("before-sync");
            c.call("SET", "k", "v");
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("INCR", "n");
            c.call("EXEC");
            c.call("SELECT", "3");
            c.call("LPUSH", "l", "x");
            c.call("GET", "k"); // reads are not propagated
            c.call("SELECT", "0");
            c.call("DEL", "k");
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("set k v");
            assertThat(repl.next()).isEqualTo("multi");
            assertThat(repl.next()).isEqualTo("set a 1");
            assertThat(repl.next()).isEqualTo("incr n");
            assertThat(repl.next()).isEqualTo("exec");
            assertThat(repl.next()).isEqualTo("select 3");
            assertThat(repl.next()).isEqualTo("lpush l x");
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("del k");
            assertThat(c.call("INFO", "replication").text()).contains("connected_slaves:1\r\n").contains("slave0:ip=127.0.0.1,");
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (!c.call("INFO", "replication").text().contains("connected_slaves:0")) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void psyncAnswersWithAFullResynchronisation() throws Exception {
        long fullBefore = Long.parseLong(c.infoField("stats", "sync_full"));
        try (ReplicationStream repl = ReplicationStream.attach(server.port(), true)) {
            assertThat(repl.fullResync).matches("\\+FULLRESYNC [0-9a-f]{40} \\d+");
            assertThat(Long.parseLong(c.infoField("stats", "sync_full"))).isEqualTo(fullBefore + 1);
            assertThat(c.call("REPLCONF", "listening-port").toString()).isEqualTo("-ERR syntax error");
            c.call("SET", "p", "1");
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("set p 1");
        }
    }

    @Test
    void redisReplicatesFromTrellis() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        c.call("SET", "seed", "before");
        // The replica writes the RDB it receives into its directory: a private one, so no
        // other reference server started later loads it.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("replica");
        try (ReferenceRedis replica = ReferenceRedis.startOrNull("--dir", dir.toString(),
                "--replicaof", "127.0.0.1", Integer.toString(server.port()));
             RespClient r = replica.client()) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!r.call("INFO", "replication").text().contains("master_link_status:up")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(20);
            }
            c.call("SELECT", "2");
            c.call("RPUSH", "list", "a", "b");
            c.call("SELECT", "0");
            c.call("SET", "after", "sync");
            while (r.call("GET", "after").isNull()) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(r.call("GET", "seed").toString()).isEqualTo("$before");
            r.call("SELECT", "2");
            assertThat(r.call("LRANGE", "list", "0", "-1").toString()).isEqualTo("*[$a, $b]");
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
