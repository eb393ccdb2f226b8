package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a command run by RedisModule_Call sees of its client: Redis marks such clients
 * DENY_BLOCKING (they must reply at once), visible in GetContextFlags and refused by MONITOR.
 */
class CallContextTest extends ModuleApiTestBase {
    private static final long DENY_BLOCKING = 1 << 21;

    @BeforeAll
    static void load() {
        start("tmmisc");
        assertThat(call("MODULE", "LOAD", NativeBuild.so("modules/tmcall.so"))).isEqualTo("+OK");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @Test
    void aCommandRunByCallIsDenyBlocking() {
        assertThat(c.call("TMM.IDS").get(1).asLong() & DENY_BLOCKING).isZero();
        // TMCALL.CALL replies [array, [integer, id], [integer, flags], ...].
        long flags = c.call("TMCALL.CALL", "-", "TMM.IDS").get(2).get(1).asLong();
        assertThat(flags & DENY_BLOCKING).isNotZero();
    }

    @Test
    void monitorIsRefusedInsideCall() {
        assertThat(call("TMCALL.CALL", "-", "MONITOR"))
                .isEqualTo("*[+error, $ERR MONITOR isn't allowed for DENY BLOCKING client]");
    }
}
