package dev.trellis.server.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BZPOPMIN/BZPOPMAX/BZMPOP waking, order and RESP3 replies. */
class BlockingZSetTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[][] args(String... a) {
        byte[][] b = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static void waitBlocked(int n) {
        BooleanSupplier cond = () -> server.server().blocking().blockedClients() == n;
        long deadline = System.currentTimeMillis() + 5000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not blocked in time");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void zaddWakesWaitersInOrderWithTheirOwnEnds() {
        try (RespClient a = server.client(); RespClient b = server.client(); RespClient p = server.client()) {
            p.call("DEL", "zq");
            a.send(args("BZPOPMIN", "zq", "0"));
            waitBlocked(1);
            b.send(args("BZPOPMAX", "zq", "0"));
            waitBlocked(2);
            assertThat(p.call("ZADD", "zq", "1", "low", "2", "mid", "3", "high").toString()).isEqualTo(":3");
            assertThat(a.read().toString()).isEqualTo("*[$zq, $low, $1]");
            assertThat(b.read().toString()).isEqualTo("*[$zq, $high, $3]");
            assertThat(p.call("ZRANGE", "zq", "0", "-1").toString()).isEqualTo("*[$mid]");
        }
    }

    @Test
    void bzmpopServesWithNestedPairsAndTimesOut() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            p.call("DEL", "zm1", "zm2");
            a.call("HELLO", "3");
            assertThat(a.call("BZMPOP", "0.05", "2", "zm1", "zm2", "MIN").toString()).isEqualTo("_(nil)");
            a.send(args("BZMPOP", "0", "2", "zm1", "zm2", "MAX", "COUNT", "2"));
            waitBlocked(1);
            p.call("ZADD", "zm2", "1.5", "x", "2.5", "y", "3.5", "z");
            assertThat(a.read().toString()).isEqualTo("*[$zm2, *[*[$z, ,3.5], *[$y, ,2.5]]]");
        }
    }

    @Test
    void aListDoesNotWakeASortedSetWaiter() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            p.call("DEL", "mixed");
            a.send(args("BZPOPMIN", "mixed", "0"));
            waitBlocked(1);
            p.call("RPUSH", "mixed", "not-a-zset");
            assertThat(server.server().blocking().blockedClients()).isEqualTo(1);
            p.call("DEL", "mixed");
            p.call("ZADD", "mixed", "7", "m");
            assertThat(a.read().toString()).isEqualTo("*[$mixed, $m, $7]");
        }
    }
}
