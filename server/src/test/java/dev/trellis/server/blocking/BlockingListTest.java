package dev.trellis.server.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocking list commands across connections: waking, order, timeouts, unblocking. */
class BlockingListTest {
    private static TestServer server;
    private static final List<String> propagated = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.server().propagation().addSink((db, argv) -> {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : argv) {
                sb.append(sb.isEmpty() ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
            }
            propagated.add(sb.toString());
        });
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
        waitFor(() -> server.server().blocking().blockedClients() == 0);
        propagated.clear();
    }

    private static byte[][] args(String... a) {
        byte[][] b = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static void waitFor(BooleanSupplier cond) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
    }

    private static void waitBlocked(int n) {
        waitFor(() -> server.server().blocking().blockedClients() == n);
    }

    @Test
    void timeoutRepliesNullAfterTheFractionalDelay() {
        try (RespClient a = server.client()) {
            long t0 = System.nanoTime();
            assertThat(a.call("BLPOP", "nolist", "0.2").toString()).isEqualTo("*(nil)");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isGreaterThanOrEqualTo(190).isLessThan(3000);
            a.call("HELLO", "3");
            assertThat(a.call("BRPOP", "nolist", "0.05").toString()).isEqualTo("_(nil)");
            assertThat(a.call("BLMOVE", "nolist", "dst", "LEFT", "LEFT", "0.05").toString()).isEqualTo("_(nil)");
        }
    }

    @Test
    void pushWakesTheBlockedClientAfterThePushReplies() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            a.send(args("BLPOP", "q1", "q2", "0"));
            waitBlocked(1);
            assertThat(b.call("RPUSH", "q2", "x", "y").toString()).isEqualTo(":2");
            assertThat(a.read().toString()).isEqualTo("*[$q2, $x]");
            assertThat(b.call("LRANGE", "q2", "0", "-1").toString()).isEqualTo("*[$y]");
            assertThat(server.server().blocking().blockedClients()).isZero();
            // Replicas see the pop that happened, not the blocking command.
            assertThat(propagated).containsExactly("RPUSH q2 x y", "LPOP q2");
        }
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() {
        try (RespClient a = server.client(); RespClient b = server.client(); RespClient c = server.client();
             RespClient p = server.client()) {
            a.send(args("BLPOP", "fifo", "0"));
            waitBlocked(1);
            b.send(args("BLPOP", "fifo", "0"));
            waitBlocked(2);
            c.send(args("BRPOP", "fifo", "0"));
            waitBlocked(3);
            p.call("RPUSH", "fifo", "1", "2");
            assertThat(a.read().toString()).isEqualTo("*[$fifo, $1]");
            assertThat(b.read().toString()).isEqualTo("*[$fifo, $2]");
            waitBlocked(1);
            p.call("RPUSH", "fifo", "3");
            assertThat(c.read().toString()).isEqualTo("*[$fifo, $3]");
        }
    }

    @Test
    void pipelinedCommandsWaitUntilTheClientIsUnblocked() throws Exception {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            a.send(args("BLPOP", "pipe", "0"));
            a.send(args("SET", "after", "1"));
            a.send(args("GET", "after"));
            waitBlocked(1);
            Thread.sleep(50);
            assertThat(p.call("EXISTS", "after").toString()).isEqualTo(":0");
            p.call("LPUSH", "pipe", "v");
            assertThat(a.read().toString()).isEqualTo("*[$pipe, $v]");
            assertThat(a.read().toString()).isEqualTo("+OK");
            assertThat(a.read().toString()).isEqualTo("$1");
        }
    }

    @Test
    void transactionWakesAfterExecWithWhatIsLeft() {
        try (RespClient a = server.client(); RespClient b = server.client(); RespClient p = server.client()) {
            a.send(args("BLPOP", "txk", "0"));
            b.send(args("BLPOP", "txk2", "0"));
            waitBlocked(2);
            p.call("MULTI");
            p.call("LPUSH", "txk", "gone");
            p.call("LPOP", "txk");
            p.call("LPUSH", "txk2", "kept");
            assertThat(p.call("EXEC").toString()).isEqualTo("*[:1, $gone, :1]");
            assertThat(b.read().toString()).isEqualTo("*[$txk2, $kept]");
            // The element pushed and popped inside EXEC never reached the first client.
            assertThat(server.server().blocking().blockedClients()).isEqualTo(1);
            p.call("LPUSH", "txk", "late");
            assertThat(a.read().toString()).isEqualTo("*[$txk, $late]");
        }
    }

    @Test
    void blockingInsideMultiAnswersAtOnce() {
        try (RespClient a = server.client()) {
            a.call("MULTI");
            a.call("BLPOP", "none", "0");
            a.call("BLMOVE", "none", "x", "LEFT", "LEFT", "0");
            assertThat(a.call("EXEC").toString()).isEqualTo("*[*(nil), $(nil)]");
        }
    }

    @Test
    void blmoveChainsServeTheNextWaiter() {
        try (RespClient a = server.client(); RespClient b = server.client(); RespClient p = server.client()) {
            a.send(args("BLMOVE", "src", "mid", "RIGHT", "LEFT", "0"));
            waitBlocked(1);
            b.send(args("BLPOP", "mid", "0"));
            waitBlocked(2);
            p.call("RPUSH", "src", "hop");
            assertThat(a.read().toString()).isEqualTo("$hop");
            assertThat(b.read().toString()).isEqualTo("*[$mid, $hop]");
            assertThat(p.call("EXISTS", "src", "mid").toString()).isEqualTo(":0");
            assertThat(propagated).containsExactly("RPUSH src hop", "LMOVE src mid RIGHT LEFT", "LPOP mid");
        }
    }

    @Test
    void wrongTypeValueDoesNotWakeAListWaiter() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            a.send(args("BLPOP", "typed", "0"));
            waitBlocked(1);
            p.call("SET", "typed", "string");
            p.call("DEL", "typed");
            assertThat(server.server().blocking().blockedClients()).isEqualTo(1);
            p.call("RPUSH", "typed", "ok");
            assertThat(a.read().toString()).isEqualTo("*[$typed, $ok]");
        }
    }

    @Test
    void swapdbMakesKeysReady() throws Exception {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            a.send(args("BLPOP", "swapped", "0"));
            waitBlocked(1);
            p.call("SELECT", "1");
            p.call("RPUSH", "swapped", "from-db1");
            CompletableFuture<Void> done = new CompletableFuture<>();
            server.server().execute(() -> {
                try {
                    server.server().keyspace().swap(0, 1);
                    server.server().blocking().handleReadyKeys();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            done.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(a.read().toString()).isEqualTo("*[$swapped, $from-db1]");
        }
    }

    @Test
    void clientUnblockEndsTheBlockAsTimeoutOrError() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            long id = a.call("CLIENT", "ID").asLong();
            assertThat(p.call("CLIENT", "UNBLOCK", Long.toString(id)).toString()).isEqualTo(":0");
            a.send(args("BLPOP", "ub", "0"));
            waitBlocked(1);
            assertThat(p.call("INFO", "clients").text()).contains("blocked_clients:1");
            assertThat(p.call("CLIENT", "UNBLOCK", Long.toString(id), "TIMEOUT").toString()).isEqualTo(":1");
            assertThat(a.read().toString()).isEqualTo("*(nil)");
            a.send(args("BRPOPLPUSH", "ub", "x", "0"));
            waitBlocked(1);
            assertThat(p.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR").toString()).isEqualTo(":1");
            assertThat(a.read().toString()).isEqualTo("-UNBLOCKED client unblocked via CLIENT UNBLOCK");
            assertThat(p.call("INFO", "clients").text()).contains("blocked_clients:0");
            assertThat(a.call("PING").toString()).isEqualTo("+PONG");
        }
    }

    @Test
    void disconnectingWhileBlockedLeavesNoWaiter() {
        try (RespClient p = server.client()) {
            try (RespClient a = server.client()) {
                a.send(args("BLPOP", "dc", "0"));
                waitBlocked(1);
            }
            waitBlocked(0);
            p.call("RPUSH", "dc", "stays");
            assertThat(p.call("LLEN", "dc").toString()).isEqualTo(":1");
        }
    }

    @Test
    void aBlockedCommandCountsOnceInCommandstats() {
        try (RespClient a = server.client(); RespClient p = server.client()) {
            p.call("CONFIG", "RESETSTAT");
            a.send(args("BLPOP", "stat", "0"));
            waitBlocked(1);
            p.call("LPUSH", "stat", "v");
            a.read();
            long id = a.call("CLIENT", "ID").asLong();
            a.send(args("BLPOP", "stat", "0"));
            waitBlocked(1);
            p.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR");
            a.read();
            RespValue info = p.call("INFO", "commandstats");
            assertThat(info.text()).containsPattern("cmdstat_blpop:calls=2,.*,failed_calls=1");
        }
    }
}
