package dev.trellis.server.commands.list;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * List behaviour that the 7.0 reference cannot check: encodings (7.0 always says quicklist),
 * 7.2's argument checks, keyspace events and propagation.
 */
class ListCommandsTest {
    private static TestServer server;
    private static ServerProbe probe;
    private static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        probe = new ServerProbe(server);
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        c.call("FLUSHALL");
        c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
        probe.takeEvents();
        probe.takePropagated();
    }

    @Test
    void encodingFollowsListMaxListpackSize() {
        c.call("RPUSH", "l", "a", "b", "c");
        assertThat(probe.encoding("l")).isEqualTo("listpack");
        assertThat(c.call("CONFIG", "SET", "list-max-listpack-size", "3").toString()).isEqualTo("+OK");
        c.call("RPUSH", "l", "d");
        assertThat(probe.encoding("l")).isEqualTo("quicklist");
        c.call("RPOP", "l", "3");
        assertThat(probe.encoding("l")).isEqualTo("listpack");
        c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
        c.call("RPUSH", "big", "x".repeat(9000));
        assertThat(probe.encoding("big")).isEqualTo("quicklist");
        assertThat(c.call("CONFIG", "GET", "list-max-ziplist-size").toString()).isEqualTo("*[$list-max-ziplist-size, $-2]");
    }

    @Test
    void manyElementsBecomeQuicklistAndStayReadable() {
        for (int i = 0; i < 2000; i++) {
            c.call("RPUSH", "l", "element-" + i);
        }
        assertThat(probe.encoding("l")).isEqualTo("quicklist");
        assertThat(c.call("LINDEX", "l", "1234").toString()).isEqualTo("$element-1234");
        assertThat(c.call("LRANGE", "l", "-2", "-1").toString()).isEqualTo("*[$element-1998, $element-1999]");
        c.call("LTRIM", "l", "0", "9");
        assertThat(probe.encoding("l")).isEqualTo("listpack");
    }

    @Test
    void countsFromLongMinAreRejectedAsInRedis72() {
        c.call("RPUSH", "l", "a");
        assertThat(c.call("LREM", "l", "-9223372036854775808", "a").toString())
                .isEqualTo("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(c.call("LPOS", "l", "a", "RANK", "-9223372036854775808").toString())
                .isEqualTo("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(c.call("LPOS", "l", "a", "RANK", "-9223372036854775807").toString()).isEqualTo("$(nil)");
    }

    @Test
    void keyspaceEventsNameEachChange() {
        c.call("RPUSH", "l", "a", "b");
        c.call("LPUSH", "l", "z");
        c.call("LSET", "l", "0", "y");
        c.call("LINSERT", "l", "BEFORE", "a", "x");
        c.call("LINSERT", "l", "BEFORE", "nothere", "x");
        c.call("LREM", "l", "0", "x");
        c.call("LREM", "l", "0", "nothere");
        c.call("LTRIM", "l", "0", "-1");
        assertThat(probe.takeEvents()).containsExactly("rpush l", "lpush l", "lset l", "linsert l", "lrem l", "ltrim l");
        c.call("LMOVE", "l", "m", "LEFT", "RIGHT");
        c.call("RPOPLPUSH", "l", "m");
        c.call("RPOP", "l");
        assertThat(probe.takeEvents()).containsExactly("rpush m", "lpop l", "lpush m", "rpop l", "rpop l", "del l");
        c.call("LTRIM", "m", "5", "10");
        assertThat(probe.takeEvents()).containsExactly("ltrim m", "del m");
    }

    @Test
    void lmpopPropagatesAsPopWithCount() {
        c.call("RPUSH", "l", "a", "b", "c");
        assertThat(c.call("LMPOP", "2", "missing", "l", "RIGHT", "COUNT", "5").toString())
                .isEqualTo("*[$l, *[$c, $b, $a]]");
        assertThat(probe.takePropagated()).containsExactly("RPOP l 3");
        assertThat(probe.takeEvents()).containsExactly("rpush l", "rpop l", "del l");
    }

    @Test
    void resp3NullsAndEmptyReplies() {
        c.call("HELLO", "3");
        try {
            assertThat(c.call("LPOP", "missing").toString()).isEqualTo("_(nil)");
            assertThat(c.call("LPOP", "missing", "2").toString()).isEqualTo("_(nil)");
            assertThat(c.call("LMPOP", "1", "missing", "LEFT").toString()).isEqualTo("_(nil)");
        } finally {
            c.call("HELLO", "2");
        }
    }
}
