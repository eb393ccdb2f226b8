package dev.trellis.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.ReplicationStream;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * min-replicas-to-write / min-replicas-max-lag: a master without enough replicas acknowledged
 * within the lag refuses writes with -NOREPLICAS (also at MULTI queueing and at EXEC), reads
 * still run, and INFO replication counts the good replicas.
 */
class MinReplicasTest {
    private static final String NOREPLICAS = "-NOREPLICAS Not enough good replicas to write.";

    @Test
    void writesRefusedWithoutEnoughGoodReplicas() throws Exception {
        try (TestServer t = TestServer.start(); RespClient c = t.client()) {
            c.call("SET", "x", "before");
            assertThat(c.infoField("replication", "min_slaves_good_slaves")).isNull(); // feature off: no field
            assertThat(c.call("CONFIG", "SET", "min-replicas-to-write", "1").toString()).isEqualTo("+OK");
            assertThat(c.infoField("replication", "min_slaves_good_slaves")).isEqualTo("0");
            assertThat(c.call("SET", "x", "1").toString()).isEqualTo(NOREPLICAS);
            assertThat(c.call("LPUSH", "l", "a").toString()).isEqualTo(NOREPLICAS);
            assertThat(c.call("GET", "x").toString()).isEqualTo("$before");
            assertThat(c.call("PING").toString()).isEqualTo("+PONG");
            // Refused while queueing: the transaction is then aborted.
            assertThat(c.call("MULTI").toString()).isEqualTo("+OK");
            assertThat(c.call("SET", "x", "2").toString()).isEqualTo(NOREPLICAS);
            assertThat(c.call("GET", "x").toString()).isEqualTo("+QUEUED");
            assertThat(c.call("EXEC").toString())
                    .isEqualTo("-EXECABORT Transaction discarded because of previous errors.");
            // A write queued before the setting changed: EXEC itself is refused.
            c.call("CONFIG", "SET", "min-replicas-to-write", "0");
            assertThat(c.call("MULTI").toString()).isEqualTo("+OK");
            assertThat(c.call("SET", "x", "3").toString()).isEqualTo("+QUEUED");
            try (RespClient admin = t.client()) {
                admin.call("CONFIG", "SET", "min-replicas-to-write", "1");
            }
            assertThat(c.call("EXEC").toString())
                    .isEqualTo("-EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write.");
            assertThat(c.call("EXEC").toString()).isEqualTo("-ERR EXEC without MULTI");
            assertThat(c.call("INFO", "errorstats").text()).contains("errorstat_NOREPLICAS:count=3");
            assertThat(c.call("INFO", "commandstats").text()).containsPattern("cmdstat_set:calls=1,[^\r]*,rejected_calls=2,");
            // A max lag of 0 turns the check off, as Redis.
            c.call("CONFIG", "SET", "min-replicas-max-lag", "0");
            assertThat(c.infoField("replication", "min_slaves_good_slaves")).isNull();
            assertThat(c.call("SET", "x", "4").toString()).isEqualTo("+OK");
        }
    }

    @Test
    void aReplicaThatAcknowledgesInTimeCounts() throws Exception {
        try (TestServer t = TestServer.start("--min-replicas-to-write", "1", "--min-replicas-max-lag", "2");
             RespClient c = t.client()) {
            assertThat(c.call("SET", "x", "1").toString()).isEqualTo(NOREPLICAS);
            try (ReplicationStream repl = ReplicationStream.attach(t.port(), true)) {
                // Attached (online): good until it fails to acknowledge for longer than the lag.
                assertThat(c.infoField("replication", "min_slaves_good_slaves")).isEqualTo("1");
                assertThat(c.call("SET", "x", "2").toString()).isEqualTo("+OK");
                assertThat(repl.next()).isEqualTo("select 0");
                assertThat(repl.next()).isEqualTo("set x 2");
                long deadline = System.currentTimeMillis() + 10_000;
                while (!"0".equals(c.infoField("replication", "min_slaves_good_slaves"))) {
                    assertThat(System.currentTimeMillis()).as("replica goes stale").isLessThan(deadline);
                    Thread.sleep(50);
                }
                assertThat(c.call("SET", "x", "3").toString()).isEqualTo(NOREPLICAS);
                repl.send("REPLCONF", "ACK", "0");
                deadline = System.currentTimeMillis() + 10_000;
                while (!"1".equals(c.infoField("replication", "min_slaves_good_slaves"))) {
                    assertThat(System.currentTimeMillis()).as("ack makes it good again").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(c.call("SET", "x", "4").toString()).isEqualTo("+OK");
            }
            // The replica went away.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!"0".equals(c.infoField("replication", "connected_slaves"))) {
                assertThat(System.currentTimeMillis()).as("replica gone").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(c.infoField("replication", "min_slaves_good_slaves")).isEqualTo("0");
            assertThat(c.call("SET", "x", "5").toString()).isEqualTo(NOREPLICAS);
        }
    }
}
