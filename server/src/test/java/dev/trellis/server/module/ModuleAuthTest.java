package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Module authentication callbacks for AUTH and HELLO, blocking ones included (tmauth.c). */
class ModuleAuthTest extends ModuleApiTestBase {
    private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.";

    @BeforeAll
    static void load() {
        start("tmauth");
        assertThat(call("ACL", "SETUSER", "alice", "on", ">secret", "~*", "&*", "+@all")).isEqualTo("+OK");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    private static String whoami(RespClient r) {
        return r.call("ACL", "WHOAMI").toString();
    }

    @Test
    void aCallbackAuthenticatesOrDeniesAndOtherwisePasswordsDecide() {
        try (RespClient r = server.client()) {
            assertThat(r.call("AUTH", "alice", "allow").toString()).isEqualTo("+OK");
            assertThat(whoami(r)).isEqualTo("$alice");
            assertThat(r.call("AUTH", "alice", "deny").toString()).isEqualTo("-ERR Denied by tmauth.");
            assertThat(r.call("AUTH", "alice", "nomatch").toString()).isEqualTo(WRONGPASS);
            assertThat(r.call("AUTH", "alice", "secret").toString()).isEqualTo("+OK");
            assertThat(r.call("AUTH", "nobody", "deny").toString()).isEqualTo("-ERR Denied by tmauth.");
        }
    }

    @Test
    void helloAuthGoesThroughTheCallbacksToo() {
        try (RespClient r = server.client()) {
            assertThat(r.call("HELLO", "2", "AUTH", "alice", "deny", "SETNAME", "x").toString()).isEqualTo("-ERR Denied by tmauth.");
            assertThat(r.call("CLIENT", "GETNAME").toString()).isEqualTo("$(nil)");
            assertThat(r.call("HELLO", "2", "AUTH", "alice", "allow", "SETNAME", "x").toString()).contains("$proto, :2");
            assertThat(r.call("CLIENT", "GETNAME").toString()).isEqualTo("$x");
            assertThat(whoami(r)).isEqualTo("$alice");
        }
    }

    @Test
    void aBlockedAuthenticationAnswersOnceTheModuleUnblocksIt() {
        try (RespClient r = server.client()) {
            long frees = c.call("TMAUTH.FREES").asLong();
            assertThat(r.call("AUTH", "alice", "block:allow").toString()).isEqualTo("+OK");
            assertThat(whoami(r)).isEqualTo("$alice");
            assertThat(r.call("AUTH", "alice", "block:deny").toString()).isEqualTo("-ERR Denied by tmauth.");
            // Skipped by the reply callback, then refused by the password check.
            assertThat(r.call("AUTH", "alice", "block:skip").toString()).isEqualTo(WRONGPASS);
            // An aborted block is not handled either.
            assertThat(r.call("AUTH", "alice", "block:abort").toString()).isEqualTo(WRONGPASS);
            assertThat(c.call("TMAUTH.FREES").asLong()).isEqualTo(frees + 3);
            assertThat(r.call("HELLO", "3", "AUTH", "alice", "block:allow", "SETNAME", "b").toString()).contains("$proto, :3");
            assertThat(r.call("CLIENT", "GETNAME").toString()).isEqualTo("$b");
        }
    }

    @Test
    void commandsPipelinedBehindABlockedAuthWaitForIt() {
        try (RespClient r = server.client()) {
            r.sendRaw("AUTH alice block:allow\r\nACL WHOAMI\r\n");
            assertThat(r.read().toString()).isEqualTo("+OK");
            assertThat(r.read().toString()).isEqualTo("$alice");
        }
    }

    @Test
    void blockingInsideMultiIsRefused() {
        try (RespClient r = server.client()) {
            r.call("MULTI");
            r.call("AUTH", "alice", "block:allow");
            assertThat(r.call("EXEC").toString()).isEqualTo("*[-ERR Blocking module command called from transaction]");
            assertThat(whoami(r)).isEqualTo("$default");
        }
    }

    @Test
    void blockOnAuthOutsideAuthenticationIsAnError() {
        assertThat(call("TMAUTH.BLOCKONAUTH"))
                .isEqualTo("-ERR Module blocking client on auth when not currently undergoing module authentication");
    }

    @Test
    void theCallbacksGoAwayWithTheModuleButItsAuthenticatedClientsStay() throws Exception {
        dev.trellis.server.testing.TestServer s = dev.trellis.server.testing.TestServer.start("--enable-module-command", "yes");
        try (RespClient r = s.client(); RespClient other = s.client()) {
            assertThat(r.call("MODULE", "LOAD", NativeBuild.so("modules/tmauth.so")).toString()).isEqualTo("+OK");
            r.call("ACL", "SETUSER", "alice", "on", ">secret", "~*", "+@all");
            assertThat(other.call("AUTH", "alice", "allow").toString()).isEqualTo("+OK");
            assertThat(r.call("MODULE", "UNLOAD", "tmauth").toString()).isEqualTo("+OK");
            assertThat(other.call("ACL", "WHOAMI").toString()).isEqualTo("$alice"); // untracked: not revoked
            assertThat(other.call("AUTH", "alice", "allow").toString()).isEqualTo(WRONGPASS);
        } finally {
            s.close();
        }
    }
}
