package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * ReplicationRoleChanged, MasterLinkChange and ReplicaChange reach modules on both sides of a
 * link: REPLICAOF, the sync, CLIENT KILL TYPE master (the link is made again), REPLICAOF NO ONE.
 * Through native/modules/tmevents.c on a master and a replica.
 */
class ReplicationEventsModuleTest {
    private static long count(RespClient c, String name) {
        return c.call("TME.COUNT", name).asLong();
    }

    private static void await(RespClient c, String name, long n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (count(c, name) != n) {
            assertThat(System.currentTimeMillis()).as(name + " = " + n).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void bothSidesHearTheLinkAndRoleChanges() throws Exception {
        try (TestServer master = TestServer.start("--enable-module-command", "yes");
             TestServer replica = TestServer.start("--enable-module-command", "yes");
             RespClient m = master.client(); RespClient r = replica.client()) {
            assertThat(m.call("MODULE", "LOAD", NativeBuild.so("modules/tmevents.so")).toString()).isEqualTo("+OK");
            // A copy, so the replica's module has counters of its own (one path, one dlopen instance).
            java.nio.file.Path copy = java.nio.file.Files.createTempFile("tmevents", ".so");
            copy.toFile().deleteOnExit();
            java.nio.file.Files.copy(java.nio.file.Path.of(NativeBuild.so("modules/tmevents.so")), copy,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(r.call("MODULE", "LOAD", copy.toString()).toString()).isEqualTo("+OK");
            m.call("TME.RESET");
            r.call("TME.RESET");
            String port = Integer.toString(master.port());
            r.call("REPLICAOF", "127.0.0.1", port);
            assertThat(count(r, "role:1:127.0.0.1:" + port + ":0")).isEqualTo(1); // NOW_REPLICA, at once
            await(r, "masterlink:0", 1); // LINK_UP after the sync
            await(m, "replica:0", 1); // ONLINE
            assertThat(count(r, "masterlink:1")).isZero();

            assertThat(r.call("CLIENT", "KILL", "TYPE", "master").toString()).isEqualTo(":1");
            assertThat(count(r, "masterlink:1")).isEqualTo(1); // LINK_DOWN
            await(r, "masterlink:0", 2); // made again
            await(m, "replica:1", 1); // OFFLINE, then ONLINE again
            await(m, "replica:0", 2);
            assertThat(r.call("CLIENT", "KILL", "TYPE", "master", "SKIPME", "yes").toString()).isEqualTo(":1");
            await(r, "masterlink:0", 3);

            r.call("REPLICAOF", "NO", "ONE");
            assertThat(count(r, "masterlink:1")).isEqualTo(3);
            assertThat(count(r, "role:0::0:1")).isEqualTo(1); // NOW_MASTER: no host
            assertThat(count(r, "role-bad-replid")).isZero();
            assertThat(r.call("CLIENT", "KILL", "TYPE", "master").toString()).isEqualTo(":0");
            await(m, "replica:1", 3);
            assertThat(count(m, "role:1:127.0.0.1:" + port + ":0")).isZero(); // the master's own role never changed
            assertThat(count(m, "masterlink:0")).isZero();
            assertThat(count(r, "replica:0")).isZero();
        }
    }
}
