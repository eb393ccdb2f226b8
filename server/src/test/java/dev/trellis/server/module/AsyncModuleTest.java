package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timers, the dictionary, thread-safe contexts with the GIL and blocked clients, through tmasync.c. */
class AsyncModuleTest {
    static TestServer server;
    static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-module-command", "yes");
        c = server.client();
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmasync.so")).toString()).isEqualTo("+OK");
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void clean() {
        c.call("FLUSHALL");
    }

    static String call(String... args) {
        return c.call(args).toString();
    }

    static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void timersFireOnceInOrderAndCanBeStopped() throws Exception {
        String id = c.call("TMA.TIMER", "t1", "60000", "late").text();
        String info = call("TMA.TIMERINFO", id);
        assertThat(info).startsWith("*[:5").endsWith(", $late]"); // about 60000 ms left
        long left = c.call("TMA.TIMERINFO", id).get(0).asLong();
        assertThat(left).isBetween(50_000L, 60_000L);
        // Handles of earlier tests whose module thread has not unblocked them yet refuse the
        // unload first (as Redis: blocked clients are checked before timers); wait them out.
        await("earlier blocked handles released",
                () -> !call("MODULE", "UNLOAD", "tmasync").contains("blocked clients"));
        assertThat(call("MODULE", "UNLOAD", "tmasync"))
                .isEqualTo("-ERR Error unloading module: the module holds timer that is not fired. Please stop the timer or wait until it fires.");
        assertThat(call("TMA.STOPTIMER", id)).isEqualTo(":1");
        assertThat(call("TMA.STOPTIMER", id)).isEqualTo(":0");
        assertThat(c.call("TMA.TIMERINFO", id).isNull()).isTrue();
        // Twenty timers due at the same moment all fire, in creation order.
        c.call("MULTI");
        for (int i = 0; i < 20; i++) {
            c.call("TMA.TIMER", "seq", "30", Integer.toString(i));
        }
        c.call("EXEC");
        await("timers fired", () -> "19".equals(c.call("GET", "seq").text()));
        String done = c.call("TMA.TIMER", "t2", "20", "v").text();
        await("timer fired", () -> "v".equals(c.call("GET", "t2").text()));
        assertThat(c.call("TMA.TIMERINFO", done).isNull()).isTrue();
    }

    @Test
    void dictIteratesInByteOrderWithSeekOperators() {
        // [compare, next n (key, value)..., prev n keys..., size]
        assertThat(call("TMA.DICT", ">=", "b", "3", "d", "b", "a", "c"))
                .isEqualTo("*[:1, $b, :2, $c, :4, $d, :1, $b, $a, $(nil), :4]");
    }

    @Test
    void dictSeekOperators() {
        String keys = "a ab b ba c";
        assertThat(dict("^", "x", 2, keys)).isEqualTo("*[:0, $a, :1, $ab, :2, $a, $(nil), :5]");
        assertThat(dict("$", "x", 2, keys)).isEqualTo("*[:0, $c, :5, $(nil), $c, $ba, :5]");
        assertThat(dict(">", "ab", 2, keys)).isEqualTo("*[:1, $b, :3, $ba, :4, $b, $ab, :5]");
        assertThat(dict("<", "b", 2, keys)).isEqualTo("*[:1, $ab, :2, $b, :3, $ab, $a, :5]");
        assertThat(dict("<=", "b", 1, keys)).isEqualTo("*[:1, $b, :3, $b, :5]");
        assertThat(dict("==", "ba", 1, keys)).isEqualTo("*[:1, $ba, :4, $ba, :5]");
        assertThat(dict("==", "bb", 1, keys)).isEqualTo("*[:0, $(nil), $(nil), :5]");
        assertThat(dict(">", "c", 1, keys)).isEqualTo("*[:0, $(nil), $(nil), :5]");
    }

    private static String dict(String op, String key, int n, String keys) {
        String[] k = keys.split(" ");
        String[] args = new String[4 + k.length];
        args[0] = "TMA.DICT";
        args[1] = op;
        args[2] = key;
        args[3] = Integer.toString(n);
        System.arraycopy(k, 0, args, 4, k.length);
        return c.call(args).toString();
    }

    @Test
    void blockedClientGetsTheReplyWhenAThreadUnblocksIt() throws Exception {
        try (RespClient other = server.client()) {
            long t0 = System.nanoTime();
            assertThat(other.call("TMA.BLOCK", "150", "from-thread").toString()).isEqualTo("$from-thread");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
            assertThat(other.call("PING").toString()).isEqualTo("+PONG");
        }
        long frees = c.call("TMA.STATS").get(0).asLong();
        assertThat(frees).isPositive();
    }

    @Test
    void aReplyCallbackThatDeclinesLeavesTheClientBlockedWithoutSpinning() throws Exception {
        c.call("DEL", "bl");
        try (RespClient waiter = server.client()) {
            waiter.send("TMA.BPOPLONG".getBytes(), "bl".getBytes(), "3".getBytes(), "0".getBytes());
            await("blocked", () -> call("INFO", "clients").contains("blocked_clients:1"));
            long wakeups = c.call("TMA.STATS").get(3).asLong();
            // Creating the list readies the key; the callback declines (opening the key for
            // writing) and the server keeps answering.
            assertThat(call("RPUSH", "bl", "a")).isEqualTo(":1");
            assertThat(c.call("TMA.STATS").get(3).asLong()).isEqualTo(wakeups + 1);
            assertThat(call("PING")).isEqualTo("+PONG");
            assertThat(call("RPUSH", "bl", "b", "c")).isEqualTo(":3");
            // The module signals the key itself: now it has enough.
            assertThat(call("TMA.SIGNAL", "bl")).isEqualTo("+OK");
            assertThat(waiter.read().toString()).isEqualTo(":3");
            assertThat(c.call("TMA.STATS").get(3).asLong()).isEqualTo(wakeups + 2);
        }
    }

    /**
     * As Redis, a key is ready for a module client only when it is created holding a type
     * clients wait for, or when the module signals it: pushes to a list that exists, a key
     * created as a hash, and a deletion (the client did not ask to hear of deletions) leave the
     * client blocked without calling its reply callback.
     */
    @Test
    void onlyCreationAndSignalsWakeAModuleClient() throws Exception {
        c.call("DEL", "wk");
        try (RespClient waiter = server.client()) {
            waiter.send("TMA.BPOPLONG".getBytes(), "wk".getBytes(), "4".getBytes(), "0".getBytes());
            await("blocked", () -> call("INFO", "clients").contains("blocked_clients:1"));
            long wakeups = c.call("TMA.STATS").get(3).asLong();
            assertThat(call("HSET", "wk", "f", "v")).isEqualTo(":1");
            assertThat(call("DEL", "wk")).isEqualTo(":1");
            assertThat(call("SET", "wk", "s")).isEqualTo("+OK");
            assertThat(call("DEL", "wk")).isEqualTo(":1");
            assertThat(c.call("TMA.STATS").get(3).asLong()).isEqualTo(wakeups);
            assertThat(call("LPUSH", "wk", "1")).isEqualTo(":1"); // created: one wake-up, declined
            assertThat(call("LPUSH", "wk", "2", "3")).isEqualTo(":3");
            assertThat(call("LPUSH", "wk", "4")).isEqualTo(":4");
            assertThat(call("LSET", "wk", "0", "x")).isEqualTo("+OK");
            assertThat(c.call("TMA.STATS").get(3).asLong()).isEqualTo(wakeups + 1);
            assertThat(call("INFO", "clients")).contains("blocked_clients:1");
            assertThat(call("TMA.SIGNAL", "wk")).isEqualTo("+OK");
            assertThat(waiter.read().toString()).isEqualTo(":4");
        }
    }

    @Test
    void measuredBackgroundTimeReachesTheSlowLogOnce() {
        call("CONFIG", "SET", "slowlog-log-slower-than", "100000");
        call("SLOWLOG", "RESET");
        try {
            assertThat(call("TMA.BLOCK", "150", "v")).isEqualTo("$v");
            assertThat(call("SLOWLOG", "LEN")).isEqualTo(":1");
            var entry = c.call("SLOWLOG", "GET", "1").get(0);
            assertThat(entry.get(2).asLong()).isGreaterThanOrEqualTo(140_000); // the thread's measured sleep
            assertThat(entry.get(3).toString()).isEqualTo("*[$TMA.BLOCK, $150, $v]");
        } finally {
            call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void aTimedOutBlockedCommandIsLoggedOnceWhenItEnds() {
        call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        call("SLOWLOG", "RESET");
        try {
            assertThat(call("TMA.BLOCKTO", "50", "300")).isEqualTo("+timeout");
            call("CONFIG", "SET", "slowlog-log-slower-than", "10000"); // log nothing more
            // Logged entries, newest first: the CONFIG SET, the timed-out command (not its blocked attempt).
            String log = c.call("SLOWLOG", "GET", "-1").toString();
            assertThat(log.split("\\$TMA.BLOCKTO", -1)).hasSize(2);
        } finally {
            call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void timeoutCallbackRepliesAndTheLateUnblockOnlyFreesThePrivateData() throws Exception {
        long frees = c.call("TMA.STATS").get(0).asLong();
        long timeouts = c.call("TMA.STATS").get(2).asLong();
        assertThat(call("TMA.BLOCKTO", "50", "300")).isEqualTo("+timeout");
        assertThat(c.call("TMA.STATS").get(2).asLong()).isEqualTo(timeouts + 1);
        await("late unblock freed the private data", () -> c.call("TMA.STATS").get(0).asLong() == frees + 1);
    }

    @Test
    void clientUnblockRunsTheTimeoutCallbackOrFailsWithout() throws Exception {
        try (RespClient blocked = server.client()) {
            long id = blocked.call("CLIENT", "ID").asLong();
            blocked.send("TMA.BLOCKTO".getBytes(), "0".getBytes(), "500".getBytes());
            await("blocked", () -> call("CLIENT", "LIST", "ID", Long.toString(id)).contains("flags=b"));
            assertThat(call("CLIENT", "UNBLOCK", Long.toString(id))).isEqualTo(":1");
            assertThat(blocked.read().toString()).isEqualTo("+timeout");
            blocked.send("TMA.BLOCK".getBytes(), "300".getBytes(), "x".getBytes());
            await("blocked", () -> call("CLIENT", "LIST", "ID", Long.toString(id)).contains("flags=b"));
            // No timeout callback: CLIENT UNBLOCK cannot end it.
            assertThat(call("CLIENT", "UNBLOCK", Long.toString(id))).isEqualTo(":0");
            assertThat(blocked.read().toString()).isEqualTo("$x");
        }
    }

    @Test
    void disconnectCallbackRunsWhenABlockedClientGoesAway() throws Exception {
        long disconnects = c.call("TMA.STATS").get(1).asLong();
        RespClient blocked = server.client();
        long id = blocked.call("CLIENT", "ID").asLong();
        blocked.send("TMA.BLOCK".getBytes(), "300".getBytes(), "x".getBytes());
        await("blocked", () -> call("CLIENT", "LIST", "ID", Long.toString(id)).contains("flags=b"));
        blocked.close();
        await("disconnect callback", () -> c.call("TMA.STATS").get(1).asLong() == disconnects + 1);
        // The module still unblocks the handle later: the server carries on.
        Thread.sleep(400);
        assertThat(call("PING")).isEqualTo("+PONG");
    }

    @Test
    void moduleThreadsTakeTheGilAndReplyThroughAThreadSafeContext() throws Exception {
        try (RespClient worker = server.client(); RespClient other = server.client()) {
            worker.send("TMA.THREADINCR".getBytes(), "n".getBytes(), "2000".getBytes());
            for (int i = 0; i < 200; i++) {
                other.call("INCR", "n");
            }
            assertThat(worker.read().toString()).isEqualTo("*[+done, :2000]");
        }
        assertThat(call("GET", "n")).isEqualTo("$2200");
    }

    @Test
    void tryLockSucceedsWhileTheServerWaitsForIo() {
        assertThat(call("TMA.TRYLOCK", "20")).isEqualTo("+locked");
    }

    @Test
    void blockOnKeysIsServedWhenTheKeyIsReady() throws Exception {
        try (RespClient blocked = server.client()) {
            long id = blocked.call("CLIENT", "ID").asLong();
            blocked.send("TMA.BPOP".getBytes(), "list".getBytes(), "0".getBytes());
            await("blocked", () -> call("CLIENT", "LIST", "ID", Long.toString(id)).contains("flags=b"));
            assertThat(call("SET", "other", "x")).isEqualTo("+OK");
            assertThat(call("RPUSH", "list", "a", "b")).isEqualTo(":2");
            assertThat(blocked.read().toString()).isEqualTo("$a");
            assertThat(call("LRANGE", "list", "0", "-1")).isEqualTo("*[$b]");
            // A wrong-type write leaves it blocked (LPOP fails, so not served); the timeout ends it.
            blocked.send("TMA.BPOP".getBytes(), "s".getBytes(), "300".getBytes());
            await("blocked", () -> call("CLIENT", "LIST", "ID", Long.toString(id)).contains("flags=b"));
            assertThat(call("SET", "s", "string")).isEqualTo("+OK");
            assertThat(blocked.read().toString()).isEqualTo("+timeout");
        }
    }

    /**
     * A timer due at the same millisecond as the block's timeout goes first (Redis times a client
     * out only once the clock is past the deadline), and a client the module already unblocked
     * is not timed out: the timer's OK arrives.
     */
    @Test
    void aTimerThatUnblocksAtTheTimeoutWins() {
        for (int i = 0; i < 10; i++) {
            assertThat(call("TMA.TIMERUNBLOCK", "20", "20")).isEqualTo("+OK");
        }
        assertThat(call("TMA.TIMERUNBLOCK", "10", "200")).isEqualTo("+OK");
    }

    /** An error a thread replies for a blocked client counts (errorstats, failed_calls) when it is delivered. */
    @Test
    void anErrorRepliedFromAThreadCountsAtUnblock() {
        long errors = server.server().stats().errors.getOrDefault("BGERR", 0L);
        assertThat(call("TMA.BGERROR")).isEqualTo("-BGERR from a thread");
        assertThat(server.server().stats().errors.get("BGERR")).isEqualTo(errors + 1);
        assertThat(call("INFO", "commandstats")).containsPattern("cmdstat_tma\\.bgerror:calls=1,[^\r]*,failed_calls=1");
    }

    @Test
    void blockingInsideMultiIsRefused() {
        c.call("MULTI");
        c.call("TMA.BLOCK", "10", "x");
        assertThat(call("EXEC")).isEqualTo("*[-ERR Blocking module command called from transaction]");
    }
}
