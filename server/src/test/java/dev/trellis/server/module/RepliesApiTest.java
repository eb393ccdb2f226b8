package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RedisModule_ReplyWith* through native/modules/tmreplies.c, in RESP2 and RESP3. The expected
 * replies were checked against Redis 7.0 with the same module (doubles as "%.17g", like the
 * server's own replies).
 */
class RepliesApiTest extends ModuleApiTestBase {
    static RespClient c3;

    @BeforeAll
    static void load() {
        start("tmreplies");
        c3 = server.client();
        assertThat(c3.call("HELLO", "3").type()).isEqualTo('%');
    }

    @AfterAll
    static void unload() {
        c3.close();
        stop();
    }

    private static String r2(String kind) {
        return c.call("TMR.REPLY", kind).toString();
    }

    private static String r3(String kind) {
        return c3.call("TMR.REPLY", kind).toString();
    }

    @Test
    void scalars() {
        assertThat(r2("longlong")).isEqualTo(":-9223372036854775808");
        assertThat(r2("simple")).isEqualTo("+fine");
        assertThat(r2("stringbuffer")).isEqualTo("$bin\u0000ary");
        assertThat(r2("cstring")).isEqualTo("$c string");
        assertThat(c.call("TMR.REPLY", "string", "argument").toString()).isEqualTo("$argument");
        assertThat(r2("emptystring")).isEqualTo("$");
        assertThat(r2("nullarray")).isEqualTo("*(nil)");
        assertThat(r3("nullarray")).isEqualTo("_(nil)");
        assertThat(r2("emptyarray")).isEqualTo("*[]");
        assertThat(r2("null")).isEqualTo("$(nil)");
        assertThat(r3("null")).isEqualTo("_(nil)");
    }

    @Test
    void errors() {
        assertThat(r2("error")).isEqualTo("-MYERR something went wrong");
        assertThat(r2("errorfmt")).isEqualTo("-ERR bad thing: 42");
        assertThat(server.server().stats().errors).containsKey("MYERR");
    }

    @Test
    void resp3TypesAndTheirResp2Forms() {
        assertThat(r2("map")).isEqualTo("*[$a, :1, $b, $2.5]");
        assertThat(r3("map")).isEqualTo("%[$a, :1, $b, ,2.5]");
        assertThat(r2("set")).isEqualTo("*[$x, $y]");
        assertThat(r3("set")).isEqualTo("~[$x, $y]");
        assertThat(r2("emptymap")).isEqualTo("*[]");
        assertThat(r3("emptymap")).isEqualTo("%[]");
        assertThat(r3("emptyset")).isEqualTo("~[]");
        assertThat(r2("verbatim")).isEqualTo("$plain text");
        assertThat(r3("verbatim")).isEqualTo("=txt:plain text");
        assertThat(r3("verbatimtype")).isEqualTo("=mkd:# title");
        assertThat(r2("bool")).isEqualTo("*[:1, :0]");
        assertThat(r3("bool")).isEqualTo("*[#t, #f]");
        assertThat(r2("double")).isEqualTo("*[$3.1400000000000001, $inf, $10]");
        assertThat(r3("double")).isEqualTo("*[,3.1400000000000001, ,inf, ,10]");
        assertThat(r2("longdouble")).isEqualTo("$0.5");
        assertThat(r3("longdouble")).isEqualTo(",0.5");
        assertThat(r2("bignumber")).isEqualTo("$123456789012345678901234567890");
        assertThat(r3("bignumber")).isEqualTo("(123456789012345678901234567890");
    }

    @Test
    void attributesOnlyInResp3() {
        assertThat(r2("attribute")).isEqualTo("-ERR attributes need RESP3");
        c3.sendRaw("*2\r\n$9\r\nTMR.REPLY\r\n$9\r\nattribute\r\n");
        // The attribute map comes first, then the reply it annotates.
        assertThat(c3.read().toString()).isEqualTo("|[$ttl, :100]");
        assertThat(c3.read().toString()).isEqualTo("$value");
    }

    @Test
    void postponedLengths() {
        assertThat(r2("postponed")).isEqualTo("*[:1, *[$a, *[$x, $y], $b, *[$z]], $end]");
        assertThat(r3("postponed")).isEqualTo("*[:1, %[$a, *[$x, $y], $b, ~[$z]], $end]");
        StringBuilder many = new StringBuilder("*[");
        for (int i = 0; i < 1000; i++) {
            many.append(i == 0 ? ":" : ", :").append(i);
        }
        assertThat(r2("postponed-many")).isEqualTo(many.append(']').toString());
        assertThat(r2("postponed-attr")).isEqualTo("-ERR attributes need RESP3");
        c3.sendRaw("*2\r\n$9\r\nTMR.REPLY\r\n$14\r\npostponed-attr\r\n");
        assertThat(c3.read().toString()).isEqualTo("|[$k, $v]");
        assertThat(c3.read().toString()).isEqualTo(":7");
    }

    @Test
    void postponedMisuseIsLoggedNotFatal() {
        try (LogCapture log = new LogCapture()) {
            // The element is sent without its never-set header; the server keeps serving.
            c.sendRaw("*2\r\n$9\r\nTMR.REPLY\r\n$19\r\npostponed-unmatched\r\n");
            assertThat(c.read().toString()).isEqualTo(":1");
            assertThat(r2("setlen-unopened")).isEqualTo("+OK");
            assertThat(log.text()).contains("API misuse detected in module tmreplies: "
                    + "RedisModule_ReplyWith*(REDISMODULE_POSTPONED_LEN) not matched by the same number of "
                    + "RedisModule_SetReply*Len() calls.")
                    .contains("API misuse detected in module tmreplies: RedisModule_ReplySet*Length() called "
                            + "without previous RedisModule_ReplyWith*(ctx,REDISMODULE_POSTPONED_LEN) call.");
            assertThat(c.call("PING").toString()).isEqualTo("+PONG");
        }
    }

    @Test
    void callRepliesSentOn() {
        assertThat(c.call("TMR.CALL", "-", "CONFIG", "GET", "daemonize").toString()).isEqualTo("*[$daemonize, $no]");
        // '0' answers in the caller's protocol; '3' in RESP3, which a RESP2 caller cannot receive.
        assertThat(c3.call("TMR.CALL", "0", "CONFIG", "GET", "daemonize").toString()).isEqualTo("%[$daemonize, $no]");
        assertThat(c.call("TMR.CALL", "0", "CONFIG", "GET", "daemonize").toString()).isEqualTo("*[$daemonize, $no]");
        assertThat(c3.call("TMR.CALL", "3", "CONFIG", "GET", "daemonize").toString()).isEqualTo("%[$daemonize, $no]");
        assertThat(c.call("TMR.CALL", "3", "CONFIG", "GET", "daemonize").toString())
                .isEqualTo("-ERR reply not sendable to this client");
    }

    @Test
    void errorsInsideCallRepliesCountOnlyWhenSent() {
        c.call("SET", "str", "x");
        long before = server.server().stats().errors.getOrDefault("WRONGTYPE", 0L);
        var lpush = server.server().commands().lookup("lpush".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long failedBefore = lpush.failedCalls;
        assertThat(c.call("TMR.CALL", "-", "LPUSH", "str", "v").toString())
                .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(server.server().stats().errors.get("WRONGTYPE")).isEqualTo(before + 1);
        // The called command failed: its commandstats say so (whether or not the error is sent on).
        assertThat(lpush.failedCalls).isEqualTo(failedBefore + 1);
    }

    /** An error Call made itself ('E': unknown command, arity) counts too once the module sends it on. */
    @Test
    void errorsMadeByCallCountWhenSent() {
        long before = server.server().stats().errors.getOrDefault("ERR", 0L);
        assertThat(c.call("TMR.CALL", "E", "NOSUCHCMD").toString())
                .startsWith("-ERR unknown command 'NOSUCHCMD', with args beginning with:");
        assertThat(server.server().stats().errors.get("ERR")).isEqualTo(before + 1);
        assertThat(c.call("TMR.CALL", "E", "GET").toString()).isEqualTo("-ERR wrong number of arguments for 'get' command");
        assertThat(server.server().stats().errors.get("ERR")).isEqualTo(before + 2);
    }
}
