package dev.trellis.server.tx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MULTI/EXEC/WATCH semantics that need more than one connection, or timing. */
class TransactionsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-debug-command", "yes");
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

    @Test
    void queuedCommandsRunOnlyAtExec() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            assertThat(a.call("MULTI").toString()).isEqualTo("+OK");
            assertThat(a.call("SET", "k", "v").toString()).isEqualTo("+QUEUED");
            assertThat(b.call("GET", "k").toString()).isEqualTo("$(nil)");
            assertThat(a.call("EXEC").toString()).isEqualTo("*[+OK]");
            assertThat(b.call("GET", "k").toString()).isEqualTo("$v");
        }
    }

    @Test
    void watchedKeyModifiedByAnotherClientAbortsExec() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            a.call("SET", "x", "1");
            a.call("WATCH", "x");
            b.call("SET", "x", "2");
            a.call("MULTI");
            a.call("SET", "x", "3");
            assertThat(a.call("EXEC").toString()).isEqualTo("*(nil)");
            assertThat(a.call("GET", "x").toString()).isEqualTo("$2");
            // The abort ended the transaction and the watch.
            assertThat(a.call("EXEC").toString()).isEqualTo("-ERR EXEC without MULTI");
            a.call("MULTI");
            a.call("SET", "x", "4");
            assertThat(a.call("EXEC").toString()).isEqualTo("*[+OK]");
        }
    }

    @Test
    void watchedKeyDeletedOrWrittenInAnotherDatabaseOnlyCountsThere() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            a.call("WATCH", "x");
            b.call("SELECT", "1");
            b.call("SET", "x", "other-db");
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*[+PONG]");
            a.call("SET", "y", "1");
            a.call("WATCH", "y");
            b.call("SELECT", "0");
            b.call("DEL", "y");
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*(nil)");
        }
    }

    @Test
    void expiryOfAWatchedKeyAbortsExec() throws Exception {
        try (RespClient a = server.client()) {
            a.call("SET", "t", "1", "PX", "400");
            a.call("WATCH", "t");
            // Alive when watched (the PTTL comes after the WATCH)...
            org.junit.jupiter.api.Assumptions.assumeTrue(a.call("PTTL", "t").asLong() > 0, "machine too slow");
            Thread.sleep(500);
            // ...and expired since: that is a change.
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*(nil)");
        }
    }

    @Test
    void watchingAnAlreadyExpiredKeyIsNotAChangeWhenItIsDeleted() throws Exception {
        try (RespClient a = server.client()) {
            a.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                a.call("SET", "stale", "1", "PX", "5");
                Thread.sleep(30);
                a.call("WATCH", "stale");
                assertThat(a.call("EXISTS", "stale").toString()).isEqualTo(":0"); // lazily deleted now
                a.call("MULTI");
                a.call("PING");
                assertThat(a.call("EXEC").toString()).isEqualTo("*[+PONG]");
            } finally {
                a.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void flushOfAWatchedExistingKeyAborts_butNotOfAMissingOne() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            a.call("WATCH", "missing");
            b.call("FLUSHDB");
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*[+PONG]");

            a.call("SET", "present", "1");
            a.call("WATCH", "present");
            b.call("FLUSHALL");
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*(nil)");
        }
    }

    @Test
    void swapdbTouchesKeysThatExistOnEitherSide() throws Exception {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            b.call("SELECT", "1");
            b.call("SET", "s", "in-db1");
            a.call("WATCH", "s"); // missing in db 0, present in db 1
            swap(0, 1);
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*(nil)");

            a.call("WATCH", "none"); // missing on both sides
            swap(0, 1);
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("*[+PONG]");
        }
    }

    private static void swap(int x, int y) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        server.server().execute(() -> {
            try {
                server.server().keyspace().swap(x, y);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void execAbortIsNullInResp3() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            a.call("HELLO", "3");
            a.call("WATCH", "r3");
            b.call("SET", "r3", "x");
            a.call("MULTI");
            a.call("PING");
            assertThat(a.call("EXEC").toString()).isEqualTo("_(nil)");
        }
    }

    @Test
    void resetAndDisconnectEndTheTransaction() {
        try (RespClient a = server.client()) {
            a.call("MULTI");
            a.call("SET", "r", "1");
            assertThat(a.call("RESET").toString()).isEqualTo("+RESET");
            assertThat(a.call("EXEC").toString()).isEqualTo("-ERR EXEC without MULTI");
            assertThat(a.call("EXISTS", "r").toString()).isEqualTo(":0");
        }
        try (RespClient a = server.client()) {
            a.call("MULTI");
            a.call("SET", "gone", "1");
        }
        try (RespClient a = server.client()) {
            assertThat(a.call("EXISTS", "gone").toString()).isEqualTo(":0");
            assertThat(server.server().transactions().watchedKeys()).isZero();
        }
    }

    @Test
    void errorsInsideExecDoNotStopTheOtherCommands() {
        try (RespClient a = server.client()) {
            a.call("SET", "str", "abc");
            a.call("MULTI");
            a.call("INCR", "str");
            a.call("SET", "after", "1");
            assertThat(a.call("EXEC").toString())
                    .isEqualTo("*[-ERR value is not an integer or out of range, +OK]");
        }
    }

    @Test
    void pipelinedTransactionWithQueueingErrorIsDiscardedWhole() {
        try (RespClient a = server.client()) {
            a.send(b("MULTI"));
            a.send(b("SET"), b("p"), b("1"));
            a.send(b("GET"));
            a.send(b("EXEC"));
            assertThat(a.read().toString()).isEqualTo("+OK");
            assertThat(a.read().toString()).isEqualTo("+QUEUED");
            assertThat(a.read().toString()).isEqualTo("-ERR wrong number of arguments for 'get' command");
            assertThat(a.read().toString()).isEqualTo("-EXECABORT Transaction discarded because of previous errors.");
            assertThat(a.call("EXISTS", "p").toString()).isEqualTo(":0");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
