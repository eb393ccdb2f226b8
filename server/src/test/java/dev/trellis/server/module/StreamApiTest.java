package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream key API through native/modules/tmstream.c. The same commands were run against
 * Redis 7.0 with the module: the replies and errnos match.
 */
class StreamApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmstream");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @BeforeEach
    void clean() {
        c.call("FLUSHALL");
    }

    @Test
    void addWithGivenAndAutomaticIds() {
        assertThat(call("TMS.ADD", "s", "1-1", "a", "1")).isEqualTo("$1-1");
        assertThat(call("TMS.ADD", "s", "1-1", "a", "1")).isEqualTo("-ERR errno 33"); // EDOM: not greater
        assertThat(call("TMS.ADD", "fresh", "0-0", "a", "1")).isEqualTo("-ERR errno 33");
        assertThat(call("EXISTS", "fresh")).isEqualTo(":0"); // a failed add creates no key
        assertThat(call("TMS.ADD", "s", "2-1", "b", "2", "c", "3")).isEqualTo("$2-1");
        String auto = c.call("TMS.ADD", "s", "*", "d", "4").toString();
        assertThat(auto).matches("\\$\\d+-0");
        assertThat(call("XRANGE", "s", "-", "+")).isEqualTo(
                "*[*[$1-1, *[$a, $1]], *[$2-1, *[$b, $2, $c, $3]], *[" + auto + ", *[$d, $4]]]");
        call("SET", "str", "x");
        assertThat(call("TMS.ADD", "str", "*", "a", "b")).isEqualTo("-ERR errno 95"); // ENOTSUP
    }

    @Test
    void iterateForwardReverseAndExclusive() {
        call("XADD", "s", "1-1", "a", "1");
        call("XADD", "s", "2-1", "b", "2", "c", "3");
        call("XADD", "s", "4-0", "d", "4");
        String e1 = "*[$1-1, *[$a, $1]]";
        String e2 = "*[$2-1, *[$b, $2, $c, $3]]";
        String e4 = "*[$4-0, *[$d, $4]]";
        assertThat(call("TMS.RANGE", "s", "-", "+")).isEqualTo("*[" + e1 + ", " + e2 + ", " + e4 + "]");
        assertThat(call("TMS.RANGE", "s", "-", "+", "REV")).isEqualTo("*[" + e4 + ", " + e2 + ", " + e1 + "]");
        assertThat(call("TMS.RANGE", "s", "1-1", "4-0", "EXCL")).isEqualTo("*[" + e2 + "]");
        assertThat(call("TMS.RANGE", "s", "2-0", "3-0")).isEqualTo("*[" + e2 + "]");
        assertThat(call("TMS.RANGE", "s", "5-0", "+")).isEqualTo("*[]");
    }

    @Test
    void deleteWhileIteratingAndByIdLeavesTheStream() {
        call("XADD", "s", "1-1", "a", "1");
        call("XADD", "s", "3-0", "drop", "1");
        call("XADD", "s", "4-0", "d", "4");
        // The dropped entry is still listed by the pass that deletes it, then gone.
        assertThat(call("TMS.RANGE", "s", "-", "+", "DROP", "drop"))
                .isEqualTo("*[*[$1-1, *[$a, $1]], *[$3-0, *[$drop, $1]], *[$4-0, *[$d, $4]]]");
        assertThat(call("XRANGE", "s", "-", "+")).isEqualTo("*[*[$1-1, *[$a, $1]], *[$4-0, *[$d, $4]]]");
        assertThat(call("TMS.DEL", "s", "9-9")).isEqualTo("-ERR errno 2"); // ENOENT
        assertThat(call("TMS.DEL", "s", "1-1")).isEqualTo("+OK");
        assertThat(call("XLEN", "s")).isEqualTo(":1");
        // Emptied by trimming, the stream stays (the module decides whether to delete it).
        assertThat(call("TMS.TRIM", "s", "MAXLEN", "=", "0")).isEqualTo(":1");
        assertThat(call("EXISTS", "s")).isEqualTo(":1");
        assertThat(call("TYPE", "s")).isEqualTo("+stream");
    }

    @Test
    void trimExactAndApproximate() {
        for (int i = 1; i <= 250; i++) {
            call("XADD", "s", i + "-0", "f", "v");
        }
        // Approximate trims remove whole nodes (100 entries each by default).
        assertThat(call("TMS.TRIM", "s", "MAXLEN", "~", "120")).isEqualTo(":100");
        assertThat(call("TMS.TRIM", "s", "MAXLEN", "=", "120")).isEqualTo(":30");
        assertThat(call("TMS.TRIM", "s", "MINID", "=", "200-0")).isEqualTo(":69");
        assertThat(call("XRANGE", "s", "-", "+", "COUNT", "1")).isEqualTo("*[*[$200-0, *[$f, $v]]]");
        assertThat(call("TMS.TRIM", "s", "MINID", "~", "250-0")).isEqualTo(":1"); // rest of the 2nd node
        assertThat(call("XLEN", "s")).isEqualTo(":50");
        assertThat(call("TMS.TRIM", "s", "MAXLEN", "=", "-1")).isEqualTo("-ERR errno 22");
        assertThat(call("TMS.TRIM", "missing", "MAXLEN", "=", "0")).isEqualTo("-ERR errno 95");
    }

    @Test
    void misuseGetsRedisErrnos() {
        call("XADD", "s", "1-1", "a", "1");
        // add, delete, iterator delete, next field without an entry, stop without start,
        // start twice, exclusive range ending before 0-0, trim: read-only key or misuse.
        assertThat(call("TMS.ERRNOS", "s")).isEqualTo("*[:9, :9, :9, :2, :9, :9, :33, :9, :22]");
        // No key at all (read mode gives a NULL handle): EINVAL everywhere.
        assertThat(call("TMS.ERRNOS", "missing")).isEqualTo("*[:22, :22, :22, :22, :22, :22, :22, :22, :22]");
    }

    @Test
    void addWakesABlockedReader() throws Exception {
        try (RespClient reader = server.client()) {
            reader.send(bytes("XREAD"), bytes("BLOCK"), bytes("5000"), bytes("STREAMS"), bytes("s"), bytes("$"));
            for (int i = 0; i < 100 && !call("INFO", "clients").contains("blocked_clients:1"); i++) {
                Thread.sleep(10);
            }
            assertThat(call("TMS.ADD", "s", "7-1", "f", "v")).isEqualTo("$7-1");
            assertThat(reader.read().toString()).isEqualTo("*[*[$s, *[*[$7-1, *[$f, $v]]]]]");
            // The stream exists now: only the add itself readies it (not the key being written).
            reader.send(bytes("XREAD"), bytes("BLOCK"), bytes("5000"), bytes("STREAMS"), bytes("s"), bytes("$"));
            for (int i = 0; i < 100 && !call("INFO", "clients").contains("blocked_clients:1"); i++) {
                Thread.sleep(10);
            }
            assertThat(call("TMS.ADD", "s", "8-1", "g", "w")).isEqualTo("$8-1");
            assertThat(reader.read().toString()).isEqualTo("*[*[$s, *[*[$8-1, *[$g, $w]]]]]");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
