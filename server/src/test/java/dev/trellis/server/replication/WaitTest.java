package dev.trellis.server.replication;

import static dev.trellis.server.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.ReplicationStream;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * WAIT numreplicas timeout: blocks until enough replicas acknowledged the client's last write
 * (asking them with REPLCONF GETACK), answering how many did; with a real Trellis replica and a
 * hand-driven one that acknowledges only when told to.
 */
class WaitTest {
    @Test
    void argumentsAndNoReplicas() {
        try (TestServer t = TestServer.start(); RespClient c = t.client()) {
            assertThat(c.call("WAIT", "0", "0").toString()).isEqualTo(":0");
            assertThat(c.call("WAIT", "x", "0").toString()).isEqualTo("-ERR value is not an integer or out of range");
            assertThat(c.call("WAIT", "1", "x").toString()).isEqualTo("-ERR timeout is not an integer or out of range");
            assertThat(c.call("WAIT", "1", "-1").toString()).isEqualTo("-ERR timeout is negative");
            long t0 = System.nanoTime();
            assertThat(c.call("WAIT", "1", "200").toString()).isEqualTo(":0");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(190);
            // Inside MULTI it cannot block: the count comes at once.
            c.call("MULTI");
            c.call("WAIT", "1", "0");
            assertThat(c.call("EXEC").toString()).isEqualTo("*[:0]");
        }
    }

    @Test
    void waitsForTheAcknowledgementOfTheClientsLastWrite() throws Exception {
        try (TestServer t = TestServer.start(); RespClient c = t.client(); RespClient other = t.client();
             ReplicationStream repl = ReplicationStream.attach(t.port(), true)) {
            // No write yet: the replica's (initial) acknowledgement covers offset 0.
            assertThat(c.call("WAIT", "1", "0").toString()).isEqualTo(":1");
            c.call("SET", "k", "v");
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("set k v");
            long offset = Long.parseLong(c.infoField("replication", "master_repl_offset"));
            // Not acknowledged: WAIT asks for it (GETACK in the stream) and times out with 0.
            assertThat(c.call("WAIT", "1", "100").toString()).isEqualTo(":0");
            assertThat(repl.next()).isEqualTo("replconf GETACK *");
            // Another client that wrote nothing is not held up by this write.
            assertThat(other.call("WAIT", "1", "0").toString()).isEqualTo(":1");
            // A blocked WAIT is answered by the acknowledgement of its offset, not of an older one.
            c.sendRaw("WAIT 1 0\r\n");
            assertThat(repl.next()).isEqualTo("replconf GETACK *");
            await("blocked", () -> other.call("INFO", "clients").text().contains("blocked_clients:1"));
            repl.send("REPLCONF", "ACK", Long.toString(offset - 1));
            Thread.sleep(100);
            assertThat(other.call("INFO", "clients").text()).contains("blocked_clients:1");
            repl.send("REPLCONF", "ACK", Long.toString(offset));
            assertThat(c.read().toString()).isEqualTo(":1");
            assertThat(c.infoField("replication", "slave0")).contains(",offset=" + offset + ",");
        }
    }

    /** As Redis, a module's blocked client is assumed to have propagated something when it ends. */
    @Test
    void aModuleBlockedClientWaitsForTheOffsetAtItsUnblock() throws Exception {
        try (TestServer t = TestServer.start("--enable-module-command", "yes"); RespClient c = t.client();
             RespClient other = t.client(); ReplicationStream repl = ReplicationStream.attach(t.port(), true)) {
            assertThat(c.call("MODULE", "LOAD", java.nio.file.Path.of("target", "native", "modules", "tmasync.so").toAbsolutePath().toString()).toString())
                    .isEqualTo("+OK");
            other.call("SET", "k", "v");
            assertThat(c.call("WAIT", "1", "0").toString()).isEqualTo(":1"); // nothing of its own yet
            assertThat(c.call("TMA.THREADINCR", "n", "3").toString()).isEqualTo("*[+done, :3]");
            assertThat(c.call("WAIT", "1", "100").toString()).isEqualTo(":0");
            repl.send("REPLCONF", "ACK", c.infoField("replication", "master_repl_offset"));
            assertThat(c.call("WAIT", "1", "5000").toString()).isEqualTo(":1");
        }
    }

    @Test
    void withATrellisReplica() throws Exception {
        try (TestServer master = TestServer.start(); TestServer replica = TestServer.start();
             RespClient m = master.client(); RespClient r = replica.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(r.infoField("replication", "master_link_status")));
            for (int i = 0; i < 20; i++) {
                m.call("INCR", "n");
                // The replica acknowledges at once when asked, far sooner than its 1 s heartbeat.
                assertThat(m.call("WAIT", "1", "5000").toString()).isEqualTo(":1");
                assertThat(r.call("GET", "n").toString()).isEqualTo("$" + (i + 1));
            }
            assertThat(r.call("WAIT", "0", "0").toString()).startsWith("-ERR WAIT cannot be used with replica instances.");
            // CLIENT UNBLOCK ends a WAIT with the count so far.
            m.call("SET", "k", "v");
            try (RespClient w = master.client()) {
                long id = w.call("CLIENT", "ID").asLong();
                w.call("SET", "mine", "1");
                r.call("REPLICAOF", "NO", "ONE");
                await("replica gone", () -> "0".equals(m.infoField("replication", "connected_slaves")));
                w.sendRaw("WAIT 1 0\r\n");
                await("blocked", () -> m.call("INFO", "clients").text().contains("blocked_clients:1"));
                assertThat(m.call("CLIENT", "UNBLOCK", Long.toString(id)).toString()).isEqualTo(":1");
                assertThat(w.read().toString()).isEqualTo(":0");
            }
        }
    }
}
