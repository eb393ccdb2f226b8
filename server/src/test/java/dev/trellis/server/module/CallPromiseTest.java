package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RedisModule_Call with 'K': blocking commands return a promise whose handler gets the reply later (tmpromise.c). */
class CallPromiseTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmpromise");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @BeforeEach
    void clean() {
        call("FLUSHALL");
    }

    private static RespClient other() {
        return server.client();
    }

    private static void send(RespClient r, String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        r.send(b);
    }

    private static void awaitBlocked(int n) throws InterruptedException {
        TestServer.await("blocked_clients=" + n, () -> c.infoField("clients", "blocked_clients").equals(Integer.toString(n)));
    }

    private static long handlerCalls() {
        return c.call("TMP.STATS").get(0).asLong();
    }

    @Test
    void blpopThroughCallWithKBlocksAndTheHandlerGetsThePoppedElement() throws Exception {
        try (RespClient a = other()) {
            send(a, "TMP.CALL", "BLPOP", "l", "0");
            awaitBlocked(1); // the caller, blocked by the module; the Call's own client is not counted
            long before = handlerCalls();
            assertThat(call("LPUSH", "l", "a")).isEqualTo(":1");
            assertThat(a.read().toString()).isEqualTo("*[$l, $a]");
            assertThat(call("LLEN", "l")).isEqualTo(":0");
            assertThat(handlerCalls()).isEqualTo(before + 1);
            awaitBlocked(0);
        }
    }

    @Test
    void theHandlerRunsWithAContextThatMayCall() throws Exception {
        assertThat(call("TMP.FORGET", "BLPOP", "q", "0")).isEqualTo("+promise");
        assertThat(call("INFO", "clients")).contains("blocked_clients:0");
        assertThat(call("RPUSH", "q", "x", "y")).isEqualTo(":2");
        assertThat(call("GET", "tmp:last")).isEqualTo("$x");
        assertThat(call("LRANGE", "q", "0", "-1")).isEqualTo("*[$y]");
    }

    @Test
    void aTimeoutGivesTheHandlerTheNullReply() throws Exception {
        try (RespClient a = other()) {
            send(a, "TMP.CALL", "BLPOP", "none", "0.05");
            assertThat(a.read().toString()).isEqualTo("*(nil)");
        }
    }

    @Test
    void aCommandThatDoesNotBlockAnswersAtOnce() {
        call("RPUSH", "l", "v");
        assertThat(call("TMP.CALL", "BLPOP", "l", "0")).isEqualTo("*[$l, $v]");
        assertThat(call("TMP.CALL", "GET", "nothing")).isEqualTo("$(nil)");
    }

    @Test
    void abortEndsTheCommandWithoutItsHandler() {
        long before = handlerCalls();
        // [aborted, private data handed back, second abort succeeded]
        assertThat(call("TMP.ABORT", "BLPOP", "l", "0")).isEqualTo("*[:1, :1, :0]");
        assertThat(call("LPUSH", "l", "z")).isEqualTo(":1");
        assertThat(call("LLEN", "l")).isEqualTo(":1"); // nobody popped it
        assertThat(call("GET", "tmp:last")).isEqualTo("$(nil)");
        assertThat(handlerCalls()).isEqualTo(before);
    }

    @Test
    void withoutKBlockingCommandsAnswerAsOnTimeoutAndTheContextDeniesBlocking() {
        assertThat(call("TMP.NOK", "BLPOP", "l", "0")).isEqualTo("*(nil)");
        assertThat(call("TMP.NOK", "TMP.DENYFLAG")).isEqualTo(":1");
        assertThat(call("TMP.CALL", "TMP.DENYFLAG")).isEqualTo(":0");
        assertThat(call("TMP.DENYFLAG")).isEqualTo(":0");
        // Inside EXEC a command must answer at once too.
        call("MULTI");
        call("TMP.DENYFLAG");
        assertThat(call("EXEC")).isEqualTo("*[:1]");
    }

    @Test
    void aCallerThatDisconnectsAbortsItsPendingCommand() throws Exception {
        RespClient a = other();
        send(a, "TMP.CALL", "BLPOP", "l", "0");
        awaitBlocked(1);
        a.close();
        awaitBlocked(0);
        assertThat(call("LPUSH", "l", "1")).isEqualTo(":1");
        assertThat(call("LLEN", "l")).isEqualTo(":1");
        assertThat(call("PING")).isEqualTo("+PONG");
    }

    @Test
    void unloadingTheModuleAbortsItsPromises() throws Exception {
        TestServer s = TestServer.start("--enable-module-command", "yes");
        try (RespClient r = s.client()) {
            String so = NativeBuild.so("modules/tmpromise.so");
            assertThat(r.call("MODULE", "LOAD", so).toString()).isEqualTo("+OK");
            assertThat(r.call("TMP.FORGET", "BLPOP", "q", "0").toString()).isEqualTo("+promise");
            assertThat(r.call("MODULE", "UNLOAD", "tmpromise").toString()).isEqualTo("+OK");
            assertThat(r.call("RPUSH", "q", "v").toString()).isEqualTo(":1");
            assertThat(r.call("LLEN", "q").toString()).isEqualTo(":1"); // its BLPOP is gone
            assertThat(r.call("PING").toString()).isEqualTo("+PONG");
        } finally {
            s.close();
        }
    }

    @Test
    void theServedCommandAndTheHandlersWritesFormOneUnit() throws Exception {
        assertThat(call("TMP.FORGET", "BLPOP", "q", "0")).isEqualTo("+promise");
        try (dev.trellis.server.testing.ReplicationStream repl =
                     dev.trellis.server.testing.ReplicationStream.attach(server.port(), false)) {
            call("RPUSH", "q", "x", "y");
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("rpush q x y");
            // The served BLPOP propagates as LPOP ('!'), wrapped with the handler's SET.
            assertThat(repl.next()).isEqualTo("multi");
            assertThat(repl.next()).isEqualTo("lpop q");
            assertThat(repl.next()).isEqualTo("set tmp:last x");
            assertThat(repl.next()).isEqualTo("exec");
        }
    }
}
