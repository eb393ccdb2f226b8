package dev.trellis.server.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** A master that becomes a replica ends its blocked clients, as Redis's disconnectAllBlockedClients. */
class BlockingRoleChangeTest {
    @Test
    void replicaofEndsBlockedClientsWithUnblockedAndClosesThem() throws Exception {
        try (TestServer s = TestServer.start(); RespClient admin = s.client(); RespClient waiting = s.client()) {
            waiting.send("BLPOP".getBytes(), "q".getBytes(), "0".getBytes());
            TestServer.await("blocked", () -> admin.infoField("clients", "blocked_clients").equals("1"));
            // A master nobody listens on: the link never comes up, which does not matter here.
            assertThat(admin.call("REPLICAOF", "127.0.0.1", "1").toString()).isEqualTo("+OK");
            assertThat(waiting.read().toString())
                    .isEqualTo("-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)");
            assertThat(waiting.isClosedByServer()).isTrue();
            assertThat(admin.infoField("clients", "blocked_clients")).isEqualTo("0");
            assertThat(admin.call("REPLICAOF", "NO", "ONE").toString()).isEqualTo("+OK");
            assertThat(admin.call("RPUSH", "q", "v").toString()).isEqualTo(":1"); // nobody pops it any more
        }
    }
}
