package dev.trellis.server.scripting;

import static dev.trellis.server.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A script running past busy-reply-threshold: other clients get -BUSY, SCRIPT KILL stops it
 * unless it wrote, SHUTDOWN needs NOSAVE.
 */
class ScriptKillTest {
    private static final String BUSY_EVAL = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    @Test
    void aSlowScriptIsKilledEvenThroughPcall() throws Exception {
        try (TestServer s = TestServer.start("--busy-reply-threshold", "100"); RespClient c = s.client();
             RespClient other = s.client()) {
            assertThat(other.call("SCRIPT", "KILL").toString()).isEqualTo("-NOTBUSY No scripts in execution right now.");
            // pcall cannot catch the kill.
            c.sendRaw("EVAL \"while true do pcall(function() local x = 1 end) end\" 0\r\n");
            Thread.sleep(200); // a request io_uring receives in the script's own turn waits for it
            await("busy", () -> other.call("PING").toString().equals(BUSY_EVAL));
            assertThat(other.call("FUNCTION", "KILL").toString())
                    .isEqualTo("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
            assertThat(other.call("SCRIPT", "KILL").toString()).isEqualTo("+OK");
            assertThat(c.read().toString()).startsWith("-ERR Script killed by user with SCRIPT KILL...");
            assertThat(other.call("PING").toString()).isEqualTo("+PONG");
            assertThat(c.call("EVAL", "return 1", "0").toString()).isEqualTo(":1");
        }
    }

    @Test
    void aScriptThatWroteCannotBeKilledAndShutdownNeedsNosave() throws Exception {
        TestServer s = TestServer.start("--busy-reply-threshold", "100");
        RespClient c = s.client();
        RespClient other = s.client();
        try {
            c.sendRaw("EVAL \"redis.call('set', KEYS[1], '1') while true do end\" 1 k\r\n");
            Thread.sleep(200);
            await("busy", () -> other.call("PING").toString().equals(BUSY_EVAL));
            assertThat(other.call("SCRIPT", "KILL").toString()).startsWith(
                    "-UNKILLABLE Sorry the script already executed write commands against the dataset.");
            assertThat(other.call("SHUTDOWN").toString()).isEqualTo(BUSY_EVAL);
        } finally {
            // SHUTDOWN NOSAVE is served during the script: the script is abandoned and the server
            // ends (only a connection that exists can be served while the script runs).
            other.sendRaw("SHUTDOWN NOSAVE\r\n");
            s.server().awaitTermination();
            c.close();
            other.close();
        }
    }
}
