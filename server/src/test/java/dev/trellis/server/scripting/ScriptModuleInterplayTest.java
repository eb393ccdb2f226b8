package dev.trellis.server.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scripts and modules: RM_Call of EVAL, module commands called from scripts (context flags, deny-script). */
class ScriptModuleInterplayTest {
    private static TestServer server;
    private static RespClient c;

    @BeforeAll
    static void start() throws java.io.IOException {
        server = TestServer.start("--enable-module-command", "yes");
        c = server.client();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("trellis-script-modules");
        for (String m : new String[] {"tmmisc", "tmcall", "tmcommands"}) {
            // A copy of our own: dlopen of a path another test loaded would share its static state.
            java.nio.file.Path so = dir.resolve(m + ".so");
            java.nio.file.Files.copy(java.nio.file.Path.of("target", "native", "modules", m + ".so"), so);
            assertThat(c.call("MODULE", "LOAD", so.toString()).toString()).isEqualTo("+OK");
        }
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @Test
    void moduleCommandInsideAScriptSeesTheLuaFlag() {
        long outside = c.call("TMM.IDS").get(1).asLong();
        long inside = c.call("EVAL", "return redis.call('tmm.ids')[2]", "0").asLong();
        assertThat(outside & 1).isZero();        // REDISMODULE_CTX_FLAGS_LUA
        assertThat(inside & 1).isEqualTo(1);
        assertThat(inside & (1 << 21)).isNotZero(); // DENY_BLOCKING: the script client must reply at once
    }

    @Test
    void denyScriptModuleCommandsAreRefused() {
        assertThat(c.call("EVAL", "return redis.call('tmc.allflags')", "0").toString())
                .startsWith("-ERR This Redis command is not allowed from script script: ");
        assertThat(c.call("EVAL", "return redis.call('tmc.echo', 'a')", "0").isError()).isFalse();
    }

    @Test
    void moduleCallRunsEval() {
        String r = c.call("TMCALL.CALL", "-", "EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "mk", "mv").toString();
        assertThat(r).contains("OK");
        assertThat(c.call("GET", "mk").toString()).isEqualTo("$mv");
        // With 'S' (script mode) EVAL itself is refused: it is flagged noscript.
        assertThat(c.call("TMCALL.CALL", "S", "EVAL", "return 1", "0").toString()).contains("ESPIPE");
    }
}
