package dev.trellis.server.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys that appear by RENAME, MOVE, SWAPDB, RESTORE or COPY wake the clients waiting on them. */
class BlockingWakeTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void flush() {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
        }
    }

    private static byte[][] args(String... a) {
        byte[][] b = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static void waitBlocked(int n) {
        long deadline = System.currentTimeMillis() + 5000;
        while (server.server().blocking().blockedClients() != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not blocked in time");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void rename() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            a.send(args("BLPOP", "renamed", "0"));
            waitBlocked(1);
            p.call("RPUSH", "original", "r");
            assertThat(p.call("RENAME", "original", "renamed").toString()).isEqualTo("+OK");
            assertThat(a.read().toString()).isEqualTo("*[$renamed, $r]");
        }
    }

    @Test
    void moveIntoTheWaitersDatabase() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            a.call("SELECT", "2");
            a.send(args("BZPOPMIN", "moved", "0"));
            waitBlocked(1);
            p.call("ZADD", "moved", "1", "m");
            assertThat(p.call("MOVE", "moved", "2").toString()).isEqualTo(":1");
            assertThat(a.read().toString()).isEqualTo("*[$moved, $m, $1]");
        }
    }

    @Test
    void swapdb() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            a.send(args("BRPOP", "swapped", "0"));
            waitBlocked(1);
            p.call("SELECT", "5");
            p.call("RPUSH", "swapped", "s");
            assertThat(p.call("SWAPDB", "0", "5").toString()).isEqualTo("+OK");
            assertThat(a.read().toString()).isEqualTo("*[$swapped, $s]");
        }
    }

    @Test
    void restoreAndCopy() {
        try (RespClient a = server.client(); RespClient b = server.client(); RespClient p = server.client();
             redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
            p.call("RPUSH", "source", "payload");
            byte[] dump = j.dump("source".getBytes(StandardCharsets.UTF_8));
            a.send(args("BLPOP", "restored", "0"));
            b.send(args("BLPOP", "copied", "0"));
            waitBlocked(2);
            assertThat(j.restore("restored".getBytes(StandardCharsets.UTF_8), 0, dump)).isEqualTo("OK");
            assertThat(a.read().toString()).isEqualTo("*[$restored, $payload]");
            assertThat(p.call("COPY", "source", "copied").toString()).isEqualTo(":1");
            assertThat(b.read().toString()).isEqualTo("*[$copied, $payload]");
        }
    }
}
