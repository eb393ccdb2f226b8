package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GetContextFlags tells a module on a replica that it is one (SLAVE, READONLY, the link state)
 * and never MASTER: modules use it to leave writes to the master, e.g. a key-miss handler that
 * would otherwise count a miss twice (once replicated from the master, once locally).
 */
class ReplicaContextFlagsTest extends ModuleApiTestBase {
    private static final long MASTER = 1 << 2;
    private static final long SLAVE = 1 << 3;
    private static final long READONLY = 1 << 4;
    private static final long STALE = 1 << 14;
    private static final long CONNECTING = 1 << 15;
    private static final long ONLINE = 1 << 17;

    @BeforeAll
    static void load() {
        start("tmmisc");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    private static long flags() {
        return c.call("TMM.IDS").get(1).asLong();
    }

    @Test
    void replicaRoleIsVisibleToModules() throws Exception {
        assertThat(flags() & (MASTER | SLAVE)).isEqualTo(MASTER);
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobody = s.getLocalPort(); // closed again: nothing listens there
        }
        TestServer master = TestServer.start();
        try {
            // Not reached yet: a stale replica, still connecting.
            call("REPLICAOF", "127.0.0.1", Integer.toString(nobody));
            assertThat(flags() & (MASTER | SLAVE | STALE | CONNECTING | ONLINE)).isEqualTo(SLAVE | STALE | CONNECTING);

            assertThat(call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()))).isEqualTo("+OK");
            long deadline = System.currentTimeMillis() + 10_000;
            while ((flags() & ONLINE) == 0) {
                assertThat(System.currentTimeMillis()).as("link up").isLessThan(deadline);
                Thread.sleep(20);
            }
            long f = flags();
            assertThat(f & (MASTER | SLAVE | READONLY | ONLINE | STALE | CONNECTING))
                    .isEqualTo(SLAVE | READONLY | ONLINE);

            call("CONFIG", "SET", "replica-read-only", "no");
            assertThat(flags() & READONLY).isZero();
            call("CONFIG", "SET", "replica-read-only", "yes");
        } finally {
            call("REPLICAOF", "NO", "ONE");
            master.close();
        }
        assertThat(flags() & (MASTER | SLAVE)).isEqualTo(MASTER);
    }
}
