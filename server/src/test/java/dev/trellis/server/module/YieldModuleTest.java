package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * RedisModule_Yield through tmyield.c: once a long module operation has run for
 * busy-reply-threshold ms, other clients' requests are answered -BUSY (with the module's
 * message), allow-busy commands run, and the client running the operation waits its turn.
 */
class YieldModuleTest {
    private static TestServer start() {
        TestServer s = TestServer.start("--enable-module-command", "yes", "--busy-reply-threshold", "50");
        try (RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmyield.so")).text()).isEqualTo("OK");
        }
        return s;
    }

    @Test
    void otherClientsGetBusyAndAllowBusyCommandsRun() throws Exception {
        try (TestServer s = start(); RespClient c = s.client(); RespClient other = s.client()) {
            assertThat(other.call("PING").text()).isEqualTo("PONG");
            // The running client's next request waits for the operation to end.
            c.sendRaw("TMY.SPIN \"Slow module operation\"\r\nPING\r\n");
            Thread.sleep(100); // the requests below reach the server after the operation began
            long t0 = System.nanoTime();
            assertThat(other.call("GET", "k").toString()).isEqualTo("-BUSY Slow module operation");
            assertThat(other.call("TMY.SPINNING").toString()).isEqualTo(":1");
            assertThat(other.call("TMY.STOP").toString()).isEqualTo("+OK");
            assertThat(c.read().toString()).isEqualTo(":1");
            assertThat(c.read().toString()).isEqualTo("+PONG");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
            // Served normally again, and the rejection was counted as an error.
            assertThat(other.call("PING").text()).isEqualTo("PONG");
            assertThat(other.infoField("errorstats", "errorstat_BUSY")).isEqualTo("count=1");
        }
    }

    @Test
    void withoutAMessageTheReplyIsRedissDefault() throws Exception {
        try (TestServer s = start(); RespClient c = s.client(); RespClient other = s.client()) {
            other.call("PING");
            c.sendRaw("TMY.SPIN\r\n");
            Thread.sleep(100);
            assertThat(other.call("PING").toString()).isEqualTo("-BUSY Redis is busy running a module command.");
            other.call("TMY.STOP");
            assertThat(c.read().toString()).isEqualTo(":1");
        }
    }

    /** A thread holding the GIL yields: the server thread, waiting for the lock, serves for it. */
    @Test
    void aThreadHoldingTheLockLetsTheServerThreadServe() throws Exception {
        try (TestServer s = start(); RespClient c = s.client(); RespClient other = s.client()) {
            other.call("PING");
            c.sendRaw("TMY.THREADSPIN \"busy in a thread\"\r\n");
            // Until the thread spins, TMY.SPINNING (allow-busy) is answered :0 the ordinary way.
            TestServer.await("spinning", () -> other.call("TMY.SPINNING").toString().equals(":1"));
            assertThat(other.call("PING").toString()).isEqualTo("-BUSY busy in a thread");
            assertThat(other.call("TMY.STOP").toString()).isEqualTo("+OK");
            assertThat(c.read().toString()).isEqualTo(":1");
            assertThat(other.call("PING").text()).isEqualTo("PONG");
        }
    }
}
