package dev.trellis.server.commands.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.commands.list.ServerProbe;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hash field expiration (Redis 7.4 commands, newer than the 7.0 reference): replies, errors,
 * events, lazy and active removal, propagation.
 */
class HashFieldExpiryTest {
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
        activeExpire(true);
        c.call("FLUSHALL");
        probe.takeEvents();
        probe.takePropagated();
        probe.takeStream();
    }

    private static void activeExpire(boolean on) {
        probe.onServer(() -> {
            server.server().keyspace().activeExpireEnabled(on);
            return null;
        });
    }

    private static String call(String... args) {
        return c.call(args).toString();
    }

    @Test
    void hexpireSetsTtlsAndReportsPerField() {
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertThat(probe.encoding("h")).isEqualTo("listpack");
        assertThat(call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "nofield")).isEqualTo("*[:1, :-2]");
        assertThat(probe.encoding("h")).isEqualTo("listpackex");
        assertThat(call("HTTL", "h", "FIELDS", "3", "a", "b", "nofield")).isEqualTo("*[:100, :-1, :-2]");
        long pttl = c.call("HPTTL", "h", "FIELDS", "1", "a").get(0).asLong();
        assertThat(pttl).isBetween(99_000L, 100_000L);
        long at = c.call("HPEXPIRETIME", "h", "FIELDS", "1", "a").get(0).asLong();
        assertThat(at - System.currentTimeMillis()).isBetween(98_000L, 100_100L);
        assertThat(c.call("HEXPIRETIME", "h", "FIELDS", "1", "a").get(0).asLong()).isEqualTo((at + 999) / 1000);
        assertThat(call("HTTL", "missing", "FIELDS", "2", "a", "b")).isEqualTo("*[:-2, :-2]");
        assertThat(call("HEXPIRE", "missing", "10", "FIELDS", "1", "a")).isEqualTo("*[:-2]");
        assertThat(probe.takeEvents()).containsExactly("hset h", "hexpire h");
    }

    @Test
    void conditionsNxXxGtLt() {
        call("HSET", "h", "a", "1", "b", "2");
        assertThat(call("HEXPIRE", "h", "100", "XX", "FIELDS", "1", "a")).isEqualTo("*[:0]");
        assertThat(call("HEXPIRE", "h", "100", "GT", "FIELDS", "1", "a")).isEqualTo("*[:0]");
        assertThat(call("HEXPIRE", "h", "100", "LT", "FIELDS", "1", "a")).isEqualTo("*[:1]");
        assertThat(call("HEXPIRE", "h", "200", "NX", "FIELDS", "2", "a", "b")).isEqualTo("*[:0, :1]");
        assertThat(call("HEXPIRE", "h", "150", "GT", "FIELDS", "2", "a", "b")).isEqualTo("*[:1, :0]");
        assertThat(call("HEXPIRE", "h", "120", "LT", "FIELDS", "2", "a", "b")).isEqualTo("*[:1, :1]");
        assertThat(call("HEXPIRE", "h", "300", "XX", "FIELDS", "1", "a")).isEqualTo("*[:1]");
        assertThat(call("HTTL", "h", "FIELDS", "2", "a", "b")).isEqualTo("*[:300, :120]");
    }

    @Test
    void timeInThePastDeletesFields() {
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        probe.takeEvents();
        assertThat(call("HEXPIREAT", "h", "1", "FIELDS", "2", "a", "nofield")).isEqualTo("*[:2, :-2]");
        assertThat(call("HPEXPIRE", "h", "0", "FIELDS", "1", "b")).isEqualTo("*[:2]");
        assertThat(call("HGETALL", "h")).isEqualTo("*[$c, $3]");
        assertThat(probe.takeEvents()).containsExactly("hdel h", "hdel h");
        assertThat(probe.takePropagated()).containsExactly("HDEL h a", "HDEL h b");
        assertThat(call("HEXPIRE", "h", "0", "FIELDS", "1", "c")).isEqualTo("*[:2]");
        assertThat(call("EXISTS", "h")).isEqualTo(":0");
        assertThat(probe.takeEvents()).containsExactly("hdel h", "del h");
    }

    @Test
    void argumentErrors() {
        call("HSET", "h", "a", "1");
        assertThat(call("HEXPIRE", "h", "10", "FIELD", "1", "a"))
                .isEqualTo("-ERR Mandatory argument FIELDS is missing or not at the right position");
        assertThat(call("HEXPIRE", "h", "10", "NX", "XX", "FIELDS", "1", "a"))
                .isEqualTo("-ERR Mandatory argument FIELDS is missing or not at the right position");
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "2", "a"))
                .isEqualTo("-ERR The `numfields` parameter must match the number of arguments");
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "0", "a"))
                .isEqualTo("-ERR Parameter `numFields` should be greater than 0");
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "abc", "a"))
                .isEqualTo("-ERR Parameter `numFields` should be greater than 0");
        assertThat(call("HEXPIRE", "h", "-1", "FIELDS", "1", "a")).isEqualTo("-ERR invalid expire time, must be >= 0");
        assertThat(call("HEXPIRE", "h", "abc", "FIELDS", "1", "a")).isEqualTo("-ERR value is not an integer or out of range");
        assertThat(call("HEXPIRE", "h", "70368744177663", "FIELDS", "1", "a"))
                .isEqualTo("-ERR invalid expire time in 'hexpire' command");
        assertThat(call("HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a"))
                .isEqualTo("-ERR invalid expire time in 'hpexpireat' command");
        assertThat(call("HPEXPIREAT", "h", "70368744177663", "FIELDS", "1", "a")).isEqualTo("*[:1]");
        assertThat(call("HTTL", "h", "FIELDS", "0", "a")).isEqualTo("-ERR Number of fields must be a positive integer");
        assertThat(call("HTTL", "h", "FIELDZ", "1", "a"))
                .isEqualTo("-ERR Mandatory argument FIELDS is missing or not at the right position");
        assertThat(call("HPERSIST", "h", "FIELDS", "2", "a"))
                .isEqualTo("-ERR The `numfields` parameter must match the number of arguments");
        assertThat(call("HEXPIRE", "h", "10", "FIELDS", "1")).isEqualTo("-ERR wrong number of arguments for 'hexpire' command");
        call("SET", "s", "x");
        assertThat(call("HEXPIRE", "s", "10", "FIELDS", "1", "a")).startsWith("-WRONGTYPE");
        assertThat(call("HTTL", "s", "FIELDS", "1", "a")).startsWith("-WRONGTYPE");
        assertThat(call("HPERSIST", "s", "FIELDS", "1", "a")).startsWith("-WRONGTYPE");
    }

    @Test
    void persistRemovesTtls() {
        call("HSET", "h", "a", "1", "b", "2");
        call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        probe.takeEvents();
        assertThat(call("HPERSIST", "h", "FIELDS", "3", "a", "b", "nofield")).isEqualTo("*[:1, :-1, :-2]");
        assertThat(call("HTTL", "h", "FIELDS", "1", "a")).isEqualTo("*[:-1]");
        assertThat(call("HPERSIST", "h", "FIELDS", "1", "a")).isEqualTo("*[:-1]");
        assertThat(call("HPERSIST", "missing", "FIELDS", "1", "a")).isEqualTo("*[:-2]");
        assertThat(probe.takeEvents()).containsExactly("hpersist h");
    }

    @Test
    void hsetClearsTtlAndHincrbyKeepsIt() {
        call("HSET", "h", "a", "1", "b", "2");
        call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "b");
        call("HSET", "h", "a", "5");
        call("HINCRBY", "h", "b", "5");
        call("HINCRBYFLOAT", "h", "b", "0.5");
        assertThat(call("HTTL", "h", "FIELDS", "2", "a", "b")).isEqualTo("*[:-1, :100]");
        assertThat(call("HGET", "h", "b")).isEqualTo("$7.5");
    }

    @Test
    void expiredFieldsAreRemovedLazily() throws Exception {
        activeExpire(false);
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        call("HPEXPIRE", "h", "1", "FIELDS", "2", "a", "b");
        Thread.sleep(20);
        probe.takeEvents();
        assertThat(call("HLEN", "h")).isEqualTo(":3"); // HLEN does not expire, as in Redis
        assertThat(call("HGETALL", "h")).isEqualTo("*[$c, $3]");
        assertThat(call("HKEYS", "h")).isEqualTo("*[$c]");
        assertThat(call("HSCAN", "h", "0")).isEqualTo("*[$0, *[$c, $3]]");
        assertThat(call("HTTL", "h", "FIELDS", "1", "a")).isEqualTo("*[:-2]");
        probe.takeStream();
        assertThat(call("HGET", "h", "a")).isEqualTo("$(nil)");
        assertThat(probe.takeEvents()).containsExactly("hexpired h");
        assertThat(probe.takeStream()).containsExactly("HDEL h a");
        assertThat(call("HLEN", "h")).isEqualTo(":2");
        assertThat(call("HMGET", "h", "b", "c")).isEqualTo("*[$(nil), $3]");
        assertThat(probe.takeEvents()).containsExactly("hexpired h");
        call("HPEXPIRE", "h", "1", "FIELDS", "1", "c");
        Thread.sleep(20);
        probe.takeEvents();
        assertThat(call("HEXISTS", "h", "c")).isEqualTo(":0");
        assertThat(call("EXISTS", "h")).isEqualTo(":0");
        assertThat(probe.takeEvents()).containsExactly("hexpired h", "del h");
    }

    @Test
    void hrandfieldExpiresFirst() throws Exception {
        activeExpire(false);
        call("HSET", "h", "a", "1", "b", "2");
        call("HPEXPIRE", "h", "1", "FIELDS", "1", "a");
        Thread.sleep(20);
        assertThat(call("HRANDFIELD", "h", "-5")).isEqualTo("*[$b, $b, $b, $b, $b]");
        assertThat(call("HLEN", "h")).isEqualTo(":1");
        call("HPEXPIRE", "h", "1", "FIELDS", "1", "b");
        Thread.sleep(20);
        assertThat(call("HRANDFIELD", "h")).isEqualTo("$(nil)");
        assertThat(call("EXISTS", "h")).isEqualTo(":0");
    }

    @Test
    void expiredFieldsAreRemovedActively() throws Exception {
        call("HSET", "small", "a", "1", "b", "2");
        call("HSET", "gone", "x", "1");
        for (int i = 0; i < 600; i++) {
            call("HSET", "big", "f" + i, "v" + i);
        }
        assertThat(probe.encoding("big")).isEqualTo("hashtable");
        call("HPEXPIRE", "small", "30", "FIELDS", "1", "a");
        call("HPEXPIRE", "gone", "30", "FIELDS", "1", "x");
        String[] args = new String[4 + 300];
        args[0] = "HPEXPIRE";
        args[1] = "big";
        args[2] = "30";
        args[3] = "FIELDS";
        String[] withCount = new String[args.length + 1];
        System.arraycopy(args, 0, withCount, 0, 4);
        withCount[4] = "300";
        for (int i = 0; i < 300; i++) {
            withCount[5 + i] = "f" + (i * 2);
        }
        c.call(withCount);
        assertThat(call("HTTL", "big", "FIELDS", "2", "f0", "f1")).isEqualTo("*[:1, :-1]");
        probe.takeEvents();
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline
                && !(call("HLEN", "big").equals(":300") && call("HLEN", "small").equals(":1") && call("EXISTS", "gone").equals(":0"))) {
            Thread.sleep(20);
        }
        assertThat(call("HLEN", "big")).isEqualTo(":300");
        assertThat(call("HLEN", "small")).isEqualTo(":1");
        assertThat(call("EXISTS", "gone")).isEqualTo(":0");
        assertThat(probe.takeEvents()).contains("hexpired big", "hexpired small", "hexpired gone", "del gone");
        assertThat(call("HGET", "big", "f1")).isEqualTo("$v1");
    }

    @Test
    void activeExpiryFollowsAHashToItsNewKey() throws Exception {
        for (String k : new String[] {"renamed", "moved", "copied", "swapped"}) {
            call("HSET", k, "a", "1", "b", "2");
            call("HPEXPIRE", k, "60", "FIELDS", "1", "a");
        }
        assertThat(call("RENAME", "renamed", "new")).isEqualTo("+OK");
        assertThat(call("MOVE", "moved", "1")).isEqualTo(":1");
        assertThat(call("COPY", "copied", "copy")).isEqualTo(":1");
        assertThat(call("SWAPDB", "0", "2")).isEqualTo("+OK"); // everything now lives in db 2
        RespClient db1 = server.client();
        RespClient db2 = server.client();
        try {
            db1.call("SELECT", "1");
            db2.call("SELECT", "2");
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline && !(db2.call("HLEN", "new").toString().equals(":1")
                    && db1.call("HLEN", "moved").toString().equals(":1")
                    && db2.call("HLEN", "copy").toString().equals(":1")
                    && db2.call("HLEN", "copied").toString().equals(":1")
                    && db2.call("HLEN", "swapped").toString().equals(":1"))) {
                Thread.sleep(20);
            }
            assertThat(db2.call("HLEN", "new").toString()).isEqualTo(":1");
            assertThat(db1.call("HLEN", "moved").toString()).isEqualTo(":1");
            assertThat(db2.call("HLEN", "copy").toString()).isEqualTo(":1");
            assertThat(db2.call("HLEN", "copied").toString()).isEqualTo(":1");
            assertThat(db2.call("HLEN", "swapped").toString()).isEqualTo(":1");
            assertThat(db2.call("HGETALL", "new").toString()).isEqualTo("*[$b, $2]");
        } finally {
            db1.close();
            db2.close();
            call("SWAPDB", "0", "2");
        }
    }

    @Test
    void relativeExpiresPropagateAsAbsolute() {
        call("HSET", "h", "a", "1", "b", "2");
        probe.takePropagated();
        call("HEXPIRE", "h", "100", "NX", "FIELDS", "3", "a", "nofield", "b");
        String p = probe.takePropagated().getFirst();
        assertThat(p).matches("HPEXPIREAT h \\d+ NX FIELDS 2 a b");
        long at = Long.parseLong(p.split(" ")[2]);
        assertThat(at - System.currentTimeMillis()).isBetween(98_000L, 100_100L);
        call("HINCRBYFLOAT", "h", "x", "1.5");
        assertThat(probe.takePropagated()).containsExactly("HSET h x 1.5");
    }

    @Test
    void hscanNoValues() {
        call("HSET", "h", "a", "1", "b", "2");
        assertThat(call("HSCAN", "h", "0", "NOVALUES")).isEqualTo("*[$0, *[$a, $b]]");
        for (int i = 0; i < 600; i++) {
            call("HSET", "big", "f" + i, "v");
        }
        RespClient.class.getName();
        var reply = c.call("HSCAN", "big", "0", "COUNT", "10000", "NOVALUES");
        assertThat(reply.get(0).toString()).isEqualTo("$0");
        assertThat(reply.get(1).items()).hasSize(600);
    }
}
