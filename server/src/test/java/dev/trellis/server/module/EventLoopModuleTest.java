package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module event loop (file events, one-shot callbacks, EVENTLOOP events) and the inert defrag API, through tmeventloop.c. */
class EventLoopModuleTest {
    static TestServer server;
    static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-module-command", "yes");
        c = server.client();
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmeventloop.so")).toString()).isEqualTo("+OK");
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @Test
    void pipeCallbacksRunUntilEveryByteArrived() {
        // 3 MB through a 64 KB pipe: the writer is called again each time the pipe drains.
        assertThat(c.call("TME.TRANSFER", "3000000").text()).isEqualTo("done");
        assertThat(c.call("TME.TRANSFER", "10").text()).isEqualTo("done");
        assertThat(c.call("PING").text()).isEqualTo("PONG");
    }

    @Test
    void oneShotCallbackFromAThreadRunsOnTheServer() {
        assertThat(c.call("TME.ONESHOT").text()).isEqualTo("oneshot");
    }

    @Test
    void badArgumentsSetRedisErrnos() {
        var r = c.call("TME.ERRORS").items();
        // EINVAL, ERANGE, ERANGE, EINVAL, 0 (deleting nothing is fine), EINVAL
        assertThat(r.stream().map(v -> v.asLong()).toList()).containsExactly(22L, 34L, 34L, 22L, 0L, 22L);
    }

    @Test
    void everyLoopTurnHasABeforeAndAnAfterSleep() {
        // As in Redis, a client's next request is always served in a later turn than the reply
        // to its previous one, however quickly it arrives.
        var previous = c.call("TME.TURNS").items();
        for (int i = 0; i < 200; i++) {
            var now = c.call("TME.TURNS").items();
            assertThat(now.get(0).asLong()).isEqualTo(now.get(1).asLong());
            assertThat(now.get(0).asLong()).isGreaterThan(previous.get(0).asLong());
            previous = now;
        }
    }

    @Test
    void defragNeverRunsAndCannotBeEnabled() {
        // [not moved, should stop, cursor set refused, cursor get refused, db id unknown]
        assertThat(c.call("TME.DEFRAG").items().stream().map(v -> v.asLong()).toList())
                .containsExactly(1L, 1L, 1L, 1L, -1L);
        assertThat(c.call("CONFIG", "SET", "activedefrag", "yes").text())
                .startsWith("ERR CONFIG SET failed (possibly related to argument 'activedefrag') - Active defragmentation cannot be enabled");
        assertThat(c.call("CONFIG", "GET", "activedefrag").items().get(1).text()).isEqualTo("no");
    }
}
