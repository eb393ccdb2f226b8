package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyspace notifications, post-notification jobs and server events, through tmevents.c. */
class EventsModuleTest {
    static TestServer server;
    static RespClient c;
    static java.nio.file.Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("tmevents");
        server = TestServer.start("--enable-module-command", "yes", "--enable-debug-command", "yes", "--dir", dir.toString());
        c = server.client();
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmevents.so")).toString()).isEqualTo("+OK");
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
        java.io.File[] files = dir.toFile().listFiles();
        if (files != null) {
            for (java.io.File f : files) {
                f.delete();
            }
        }
        dir.toFile().delete();
    }

    @BeforeEach
    void reset() {
        c.call("FLUSHALL");
        c.call("TME.RESET");
    }

    static long count(String name) {
        return c.call("TME.COUNT", name).asLong();
    }

    static void await(String name, long atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (count(name) < atLeast) {
            assertThat(System.currentTimeMillis()).as(name).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void keyspaceEventsReachSubscribersWhateverTheConfigSays() {
        assertThat(c.call("CONFIG", "GET", "notify-keyspace-events").get(1).text()).isEmpty();
        c.call("SET", "k", "v");
        c.call("HSET", "h", "f", "v");
        c.call("GET", "missing");
        c.call("DEL", "k");
        c.call("SADD", "s", "x"); // sets are not subscribed
        assertThat(count("ks:set")).isEqualTo(1);
        assertThat(count("ks:new")).isEqualTo(3); // k, h and s: "new" is subscribed whatever the type
        assertThat(count("ks:hset")).isEqualTo(1);
        assertThat(count("ks:keymiss")).isEqualTo(1);
        assertThat(count("ks:del")).isEqualTo(1);
        assertThat(count("ks:sadd")).isZero();
        assertThat(c.call("TME.NOTIFY", "k").toString()).isEqualTo("+OK");
        assertThat(count("ks:notified")).isEqualTo(1);
    }

    /**
     * The key a callback gets stays valid until the command is over, as Redis's argv does:
     * RediSearch keeps the "rename_from" key without retaining it and reads it in the
     * "rename_to" callback (its index followed the wrong name after RENAME otherwise).
     */
    @Test
    void keysGivenToCallbacksLiveUntilTheCommandEnds() {
        c.call("SET", "from-key", "v");
        assertThat(c.call("RENAME", "from-key", "to-key!").toString()).isEqualTo("+OK");
        assertThat(count("rename:from-key:to-key!")).isEqualTo(1);
        // In a pipeline, and with names of one length (one allocation size), still each pair.
        c.call("SET", "a1", "v");
        c.sendRaw("RENAME a1 b1\r\nRENAME b1 c1\r\nRENAME c1 d1\r\n");
        for (int i = 0; i < 3; i++) {
            assertThat(c.read().toString()).isEqualTo("+OK");
        }
        assertThat(count("rename:a1:b1") + count("rename:b1:c1") + count("rename:c1:d1")).isEqualTo(3);
        assertThat(c.call("GET", "d1").text()).isEqualTo("v");
    }

    @Test
    void postNotificationJobsRunAfterTheCommandAndMayWrite() {
        assertThat(c.call("SET", "job:1", "x").toString()).isEqualTo("+OK");
        assertThat(count("job")).isEqualTo(1);
        assertThat(c.call("GET", "jobs-done").toString()).isEqualTo("$1");
        c.call("MULTI");
        c.call("SET", "job:2", "x");
        c.call("SET", "job:3", "x");
        c.call("EXEC");
        assertThat(c.call("GET", "jobs-done").toString()).isEqualTo("$3");
    }

    @Test
    void expiredKeysNotifyToo() throws Exception {
        c.call("SET", "e", "v", "PX", "1");
        await("ks:expired", 1);
    }

    @Test
    void notificationFlags() {
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try {
            long all = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 13);
            assertThat(c.call("TME.FLAGS").toString()).isEqualTo("*[:" + (all | 3) + ", :" + ((1 << 15) - 1) + "]");
        } finally {
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void flushSwapAndConfigEvents() {
        c.call("SELECT", "2");
        c.call("FLUSHDB");
        c.call("SELECT", "0");
        c.call("FLUSHALL", "ASYNC");
        assertThat(count("flush-start:2:1")).isEqualTo(1);
        assertThat(count("flush-end:2:1")).isEqualTo(1);
        assertThat(count("flush-start:-1:0")).isEqualTo(1);
        assertThat(count("flush-end:-1:0")).isEqualTo(1);
        c.call("SWAPDB", "1", "3");
        assertThat(count("swapdb:1:3")).isEqualTo(1);
        c.call("CONFIG", "SET", "maxmemory-samples", "6", "hz", "11");
        c.call("CONFIG", "SET", "maxmemory-samples", "5", "hz", "10");
        assertThat(count("config:maxmemory-samples")).isEqualTo(2);
        assertThat(count("config:hz")).isEqualTo(2);
    }

    @Test
    void keyEventsSeeTheKeyStillInPlace() throws Exception {
        c.call("SET", "s", "abcd");
        c.call("SET", "s", "abcde"); // overwritten: the old value is still there
        assertThat(count("key-overwritten:s:4:4:4")).isEqualTo(1);
        c.call("INCR", "n");
        c.call("INCR", "n"); // changed in place: no event
        assertThat(count("key-overwritten:n:1:1:1")).isZero();
        c.call("DEL", "s");
        assertThat(count("key-deleted:s:5:5:5")).isEqualTo(1);
        c.call("RPUSH", "l", "a", "b");
        c.call("LPOP", "l", "2"); // emptied: deleted (empty by then, as Redis)
        assertThat(count("key-deleted:l:0:0:1")).isEqualTo(1);
        server.server().keyspace().activeExpireEnabled(false);
        try {
            c.call("SET", "e", "xyz", "PX", "1");
            Thread.sleep(5);
            assertThat(c.call("GET", "e").isNull()).isTrue(); // lazily expired, seen before removal
            assertThat(count("key-expired:e:3:3:3")).isEqualTo(1);
        } finally {
            server.server().keyspace().activeExpireEnabled(true);
        }
    }

    @Test
    void aofRewritesAreReportedAsPersistenceEvents() throws Exception {
        c.call("CONFIG", "SET", "appendonly", "yes"); // starts a rewrite for the first base
        try {
            await("persistence:1", 1); // AOF_START
            await("persistence:3", 1); // ended
            assertThat(c.call("BGREWRITEAOF").toString()).startsWith("+Background append only file rewriting");
            await("persistence:1", 2);
            await("persistence:3", 2);
            assertThat(c.call("DEBUG", "LOADAOF").toString()).isEqualTo("+OK");
            assertThat(count("loading:1")).isEqualTo(1); // AOF_START
            assertThat(count("loading:0")).isZero();
            assertThat(count("loading:3")).isEqualTo(1); // ended
        } finally {
            for (int i = 0; i < 200 && c.call("INFO", "persistence").toString().contains("aof_rewrite_in_progress:1"); i++) {
                Thread.sleep(10);
            }
            c.call("CONFIG", "SET", "appendonly", "no");
        }
    }

    /**
     * LoadingProgress comes at Redis's progress points (every loading-process-events-interval-bytes
     * of RDB, every 1024 AOF commands from the first), at most hz times a second: DEBUG LOADAOF
     * of an RDB preamble and a command tail reports both parts.
     */
    @Test
    void loadingProgressDuringAnAofLoad() throws Exception {
        c.call("CONFIG", "SET", "appendonly", "yes");
        try {
            await("persistence:3", 1); // the first base is written
            c.call("CONFIG", "SET", "rdbcompression", "no");
            c.call("DEBUG", "POPULATE", "200", "big", "10000");
            assertThat(c.call("BGREWRITEAOF").toString()).startsWith("+Background append only file rewriting");
            await("persistence:3", 2);
            for (int i = 0; i < 3000; i++) {
                c.call("SET", "tail" + i, "x");
            }
            c.call("CONFIG", "SET", "loading-process-events-interval-bytes", "1024");
            c.call("CONFIG", "SET", "hz", "500");
            c.call("CONFIG", "SET", "dynamic-hz", "no");
            c.call("CONFIG", "SET", "key-load-delay", "50");
            assertThat(c.call("DEBUG", "LOADAOF").toString()).isEqualTo("+OK");
            assertThat(count("progress:0")).isGreaterThan(2); // the RDB preamble
            // Commands 1, 1025 and 2049; the first may come too soon after the preamble's last.
            assertThat(count("progress:1")).isBetween(2L, 3L);
            assertThat(count("progress-bad")).isZero();
            assertThat(count("progress-backwards")).isZero();
            assertThat(c.call("DBSIZE").toString()).isEqualTo(":3200");
        } finally {
            c.call("CONFIG", "SET", "key-load-delay", "0");
            c.call("CONFIG", "SET", "hz", "10");
            c.call("CONFIG", "SET", "dynamic-hz", "yes");
            c.call("CONFIG", "SET", "loading-process-events-interval-bytes", "2097152");
            c.call("CONFIG", "SET", "rdbcompression", "yes");
            for (int i = 0; i < 200 && c.call("INFO", "persistence").toString().contains("aof_rewrite_in_progress:1"); i++) {
                Thread.sleep(10);
            }
            c.call("CONFIG", "SET", "appendonly", "no");
            c.call("FLUSHALL");
        }
    }

    @Test
    void clientModuleCronAndPersistenceEvents() throws Exception {
        try (RespClient other = server.client()) {
            other.call("PING");
        }
        await("client-disconnected", 1);
        assertThat(count("client-connected")).isGreaterThanOrEqualTo(1);
        assertThat(count("client-bad-info")).isZero();
        await("cron", 1);
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("examples/helloworld.so")).toString()).isEqualTo("+OK");
        assertThat(c.call("MODULE", "UNLOAD", "helloworld").toString()).isEqualTo("+OK");
        assertThat(count("module-loaded:helloworld")).isEqualTo(1);
        assertThat(count("module-unloaded:helloworld")).isEqualTo(1);
        c.call("SAVE");
        assertThat(count("persistence:2")).isEqualTo(1); // synchronous RDB save
        assertThat(count("persistence:3")).isEqualTo(1); // ended
        c.call("DEBUG", "RELOAD");
        assertThat(count("loading-start")).isEqualTo(1);
        assertThat(count("loading-end")).isEqualTo(1);
    }

    @Test
    void subscriptionRules() {
        assertThat(c.call("TME.BADEVENT").toString()).isEqualTo("*[:1, :1]");
        assertThat(c.call("TME.SUPPORTED", "2", "1").toString()).isEqualTo(":1"); // FlushDB END
        assertThat(c.call("TME.SUPPORTED", "2", "2").toString()).isEqualTo(":0");
        assertThat(c.call("TME.SUPPORTED", "17", "3").toString()).isEqualTo(":1"); // Key OVERWRITTEN
        assertThat(c.call("TME.SUPPORTED", "99", "0").toString()).isEqualTo(":0");
        assertThat(c.call("TME.SUBSCRIBE", "0").toString()).isEqualTo(":1"); // unsubscribes cron
        c.call("TME.RESET");
        try {
            Thread.sleep(300);
            assertThat(count("cron")).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.call("TME.SUBSCRIBE", "1");
        }
    }

    @Test
    void keysReadFromAFileRaiseLoadedForModulesOnly() throws Exception {
        c.call("SET", "a", "1");
        c.call("HSET", "h", "f", "v");
        try (RespClient sub = server.client()) {
            c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "*");
            c.call("TME.RESET");
            assertThat(c.call("DEBUG", "RELOAD").toString()).isEqualTo("+OK");
            assertThat(count("ks:loaded")).isEqualTo(2);
            // Not a pub/sub event: the next message the subscriber sees is the SET's.
            c.call("SET", "after", "1");
            assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $*, $__keyspace@0__:after, $set]");
        } finally {
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void contextFlagsSayMultiWhileExecRuns() {
        c.call("SET", "outside", "1");
        assertThat(count("ks:set")).isEqualTo(1);
        assertThat(count("ks-in-exec:set")).isZero();
        c.call("MULTI");
        c.call("SET", "inside", "1");
        c.call("DEL", "outside");
        assertThat(c.call("EXEC").toString()).isEqualTo("*[+OK, :1]");
        assertThat(count("ks-in-exec:set")).isEqualTo(1);
        assertThat(count("ks-in-exec:del")).isEqualTo(1);
    }

    @Test
    void whatJobsWriteIsPropagatedWithTheCommandThatQueuedThem() throws Exception {
        try (dev.trellis.server.testing.ReplicationStream repl =
                     dev.trellis.server.testing.ReplicationStream.attach(server.port(), false)) {
            c.call("SET", "job:1", "x");
            assertThat(repl.next()).isEqualTo("multi");
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("set job:1 x");
            assertThat(repl.next()).isEqualTo("incr jobs-done");
            assertThat(repl.next()).isEqualTo("exec");
        }
    }

    @Test
    void jobsQueuedAsAKeyExpiresJoinTheUnitOfItsDel() throws Exception {
        try (dev.trellis.server.testing.ReplicationStream repl =
                     dev.trellis.server.testing.ReplicationStream.attach(server.port(), false)) {
            c.call("SET", "keyjob:e", "x", "PX", "20"); // removed by the active expiry
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).startsWith("set keyjob:e x");
            assertThat(repl.next()).isEqualTo("multi");
            assertThat(repl.next()).isEqualTo("del keyjob:e");
            assertThat(repl.next()).isEqualTo("incr jobs-done");
            assertThat(repl.next()).isEqualTo("exec");
        }
        assertThat(c.call("GET", "jobs-done").toString()).isEqualTo("$1");
    }

    @Test
    void jobsQueuedAsAKeyIsEvictedJoinTheUnitOfItsDel() throws Exception {
        try (dev.trellis.server.testing.ReplicationStream repl =
                     dev.trellis.server.testing.ReplicationStream.attach(server.port(), false)) {
            c.call("SET", "keyjob:v", "x");
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            c.call("CONFIG", "SET", "maxmemory", "1");
            try {
                assertThat(c.call("SET", "y", "1").toString()).startsWith("-OOM");
            } finally {
                c.call("CONFIG", "SET", "maxmemory", "0");
                c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            }
            assertThat(repl.next()).isEqualTo("select 0");
            assertThat(repl.next()).isEqualTo("set keyjob:v x");
            assertThat(repl.next()).isEqualTo("multi");
            assertThat(repl.next()).isEqualTo("del keyjob:v");
            assertThat(repl.next()).isEqualTo("incr jobs-done");
            assertThat(repl.next()).isEqualTo("exec");
        }
    }

    @Test
    void nestedNotificationsOnlyWhenTheModuleAllowsThem() throws Exception {
        // The callback's own SET of "inner" is not told to it by default...
        c.call("SET", "nest:inner", "1");
        assertThat(count("ks:set")).isEqualTo(1);
        assertThat(c.call("GET", "inner").toString()).isEqualTo("$1");
        // ...and is with REDISMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS.
        c.call("TME.NESTED", "on");
        try {
            c.call("SET", "nest:nest:deep", "1");
            assertThat(count("ks:set")).isEqualTo(4);
            assertThat(c.call("GET", "deep").toString()).isEqualTo("$1");
        } finally {
            c.call("TME.NESTED", "off");
        }
    }

    @Test
    void publishMessageReachesSubscribers() throws Exception {
        try (RespClient sub = server.client()) {
            sub.call("SUBSCRIBE", "news");
            assertThat(c.call("TME.PUBLISH", "news", "hello").toString()).isEqualTo(":1");
            assertThat(sub.read().toString()).isEqualTo("*[$message, $news, $hello]");
            assertThat(c.call("TME.PUBLISH", "nobody", "x").toString()).isEqualTo(":0");
        }
    }

    @Test
    void aMessageToTheCallerFollowsTheCommandsReply() throws Exception {
        try (RespClient self = server.client()) {
            self.call("HELLO", "3");
            self.call("SUBSCRIBE", "mine");
            // As Redis 7.2+: the command's own reply first, then the push it caused.
            assertThat(self.call("TME.PUBLISH", "mine", "hi").toString()).isEqualTo(":1");
            assertThat(self.read().toString()).isEqualTo(">[$message, $mine, $hi]");
            assertThat(self.call("PUBLISH", "mine", "again").toString()).isEqualTo(":1");
            assertThat(self.read().toString()).isEqualTo(">[$message, $mine, $again]");
            // In a transaction, after EXEC's whole reply.
            self.call("MULTI");
            self.call("PUBLISH", "mine", "m1");
            self.call("TME.PUBLISH", "mine", "m2");
            assertThat(self.call("EXEC").toString()).isEqualTo("*[:1, :1]");
            assertThat(self.read().toString()).isEqualTo(">[$message, $mine, $m1]");
            assertThat(self.read().toString()).isEqualTo(">[$message, $mine, $m2]");
        }
    }
}
