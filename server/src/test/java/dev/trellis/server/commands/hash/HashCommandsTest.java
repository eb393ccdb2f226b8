package dev.trellis.server.commands.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.commands.list.ServerProbe;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hash encodings (with CONFIG SET), keyspace events and RESP3 shapes. */
class HashCommandsTest {
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
        c.call("CONFIG", "SET", "hash-max-listpack-entries", "512", "hash-max-listpack-value", "64");
        probe.takeEvents();
    }

    private static String call(String... args) {
        return c.call(args).toString();
    }

    @Test
    void encodingsFollowTheConfiguredLimits() {
        call("HSET", "h", "a", "1");
        assertThat(probe.encoding("h")).isEqualTo("listpack");
        call("HSET", "long", "a", "x".repeat(65));
        assertThat(probe.encoding("long")).isEqualTo("hashtable");
        call("HSET", "longfield", "f".repeat(65), "1");
        assertThat(probe.encoding("longfield")).isEqualTo("hashtable");
        call("HINCRBYFLOAT", "incr", "f".repeat(65), "1");
        assertThat(probe.encoding("incr")).isEqualTo("hashtable");
        assertThat(call("CONFIG", "SET", "hash-max-ziplist-entries", "2")).isEqualTo("+OK");
        call("HSET", "h", "b", "2");
        assertThat(probe.encoding("h")).isEqualTo("listpack");
        call("HSET", "h", "c", "3");
        assertThat(probe.encoding("h")).isEqualTo("hashtable");
        call("HDEL", "h", "a", "b");
        assertThat(probe.encoding("h")).isEqualTo("hashtable"); // never converts back
        call("CONFIG", "SET", "hash-max-listpack-value", "3");
        call("HSET", "v", "abcd", "1");
        assertThat(probe.encoding("v")).isEqualTo("hashtable");
        call("HSET", "many", "a", "1", "b", "2", "c", "3");
        assertThat(probe.encoding("many")).isEqualTo("hashtable");
    }

    @Test
    void eventsNameEachChange() {
        call("HSET", "h", "a", "1");
        call("HSETNX", "h", "a", "2");
        call("HSETNX", "h", "b", "2");
        call("HINCRBY", "h", "n", "1");
        call("HINCRBYFLOAT", "h", "n", "1.5");
        call("HDEL", "h", "nothere");
        call("HDEL", "h", "a", "b", "n");
        assertThat(probe.takeEvents()).containsExactly("hset h", "hset h", "hincrby h", "hincrbyfloat h", "hdel h", "del h");
    }

    @Test
    void resp3RepliesAreMapsAndPairs() {
        call("HSET", "h", "a", "1");
        c.call("HELLO", "3");
        try {
            assertThat(call("HGETALL", "h")).isEqualTo("%[$a, $1]");
            assertThat(call("HGETALL", "missing")).isEqualTo("%[]");
            assertThat(call("HRANDFIELD", "h", "-2", "WITHVALUES")).isEqualTo("*[*[$a, $1], *[$a, $1]]");
            assertThat(call("HRANDFIELD", "h", "1", "WITHVALUES")).isEqualTo("*[*[$a, $1]]");
            assertThat(call("HGET", "h", "nothere")).isEqualTo("_(nil)");
        } finally {
            c.call("HELLO", "2");
        }
    }

    @Test
    void bigHashesPageThroughHscan() {
        for (int i = 0; i < 1000; i++) {
            call("HSET", "big", "f" + i, "v" + i);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            var r = c.call("HSCAN", "big", cursor);
            cursor = r.get(0).text();
            var items = r.get(1).items();
            for (int i = 0; i < items.size(); i += 2) {
                seen.add(items.get(i).text() + "=" + items.get(i + 1).text());
            }
            calls++;
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(1000).contains("f7=v7");
        assertThat(calls).isGreaterThan(10);
    }
}
