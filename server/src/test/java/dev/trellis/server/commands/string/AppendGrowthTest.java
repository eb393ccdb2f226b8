package dev.trellis.server.commands.string;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * APPEND keeps spare room after a string (as Redis's sds does) so long runs of small appends
 * stay linear; every reader must still see exactly the appended bytes, and memory accounting
 * must count the room that is really held.
 */
class AppendGrowthTest {
    private static TestServer server;
    private static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    private static long usage(String key) {
        return c.call("MEMORY", "USAGE", key).asLong();
    }

    @Test
    void manySmallAppendsReadBackExactly() {
        c.call("DEL", "log");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String piece = Integer.toString(i % 97) + ",";
            expected.append(piece);
            assertThat(c.call("APPEND", "log", piece).asLong()).isEqualTo(expected.length());
            if (i % 1000 == 999) {
                assertThat(c.call("STRLEN", "log").asLong()).isEqualTo(expected.length());
            }
        }
        assertThat(c.call("OBJECT", "ENCODING", "log").text()).isEqualTo("raw");
        assertThat(c.call("GET", "log").text()).isEqualTo(expected.toString());
        assertThat(c.call("GETRANGE", "log", "-4", "-1").text()).isEqualTo(expected.substring(expected.length() - 4));
        c.call("APPEND", "log", "end");
        assertThat(c.call("GET", "log").text()).isEqualTo(expected + "end");
    }

    @Test
    void spareRoomIsCountedWhileHeldAndDroppedOnceRead() {
        c.call("SET", "s", "x".repeat(1000));
        long exact = usage("s");
        c.call("APPEND", "s", "y");
        long growing = usage("s");
        // Doubling: the buffer holds about twice the string while appends go on.
        assertThat(growing).isGreaterThan(exact + 900);
        assertThat(growing).isLessThan(exact + 1100);
        for (int i = 0; i < 900; i++) {
            c.call("APPEND", "s", "z");
        }
        assertThat(usage("s")).isEqualTo(growing); // no reallocation while the room lasts
        assertThat(c.call("STRLEN", "s").asLong()).isEqualTo(1901);
        assertThat(c.call("GET", "s").text()).isEqualTo("x".repeat(1000) + "y" + "z".repeat(900));
        assertThat(usage("s")).isLessThan(growing).isGreaterThanOrEqualTo(1901);
    }

    @Test
    void usedMemoryFollowsTheGrowingBuffer() {
        c.call("FLUSHALL");
        long before = usedMemory();
        for (int i = 0; i < 2000; i++) {
            c.call("APPEND", "big", "0123456789".repeat(10)); // 200 KB in 100-byte steps
        }
        long after = usedMemory();
        assertThat(after - before).isGreaterThan(200_000).isLessThan(200_000 * 3);
        c.call("DEL", "big");
        assertThat(usedMemory() - before).isLessThan(10_000);
    }

    @Test
    void watchSeesAppends() {
        try (RespClient other = server.client()) {
            c.call("SET", "w", "a");
            c.call("APPEND", "w", "b");
            c.call("WATCH", "w");
            other.call("APPEND", "w", "c"); // appends into the spare room
            c.call("MULTI");
            c.call("GET", "w");
            assertThat(c.call("EXEC").isNull()).isTrue();
            assertThat(c.call("GET", "w").text()).isEqualTo("abc");
        }
    }

    private static long usedMemory() {
        for (String line : c.call("INFO", "memory").text().split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new AssertionError("no used_memory");
    }
}
