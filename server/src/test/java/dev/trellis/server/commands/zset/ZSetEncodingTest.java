package dev.trellis.server.commands.zset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import dev.trellis.server.types.Values;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When sorted sets switch between the listpack and skiplist encodings, as Redis 7.0 does. */
class ZSetEncodingTest {
    private static TestServer server;
    private static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start("--zset-max-listpack-entries", "4", "--zset-max-listpack-value", "8");
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void flush() {
        c.call("FLUSHALL");
        c.call("CONFIG", "SET", "zset-max-listpack-entries", "4", "zset-max-listpack-value", "8");
    }

    /** The value's encoding, read on the server thread. */
    static String encoding(TestServer s, String key) throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        s.server().execute(() -> {
            KeyEntry e = s.server().keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8));
            f.complete(e == null ? null : Values.encoding(e.value()));
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void growsIntoSkiplistPastTheEntryLimit() throws Exception {
        c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertThat(encoding(server, "z")).isEqualTo("listpack");
        c.call("ZADD", "z", "5", "e");
        assertThat(encoding(server, "z")).isEqualTo("skiplist");
        c.call("ZREM", "z", "a", "b", "c");
        assertThat(encoding(server, "z")).as("never shrinks back by itself").isEqualTo("skiplist");
        assertThat(c.call("ZRANGE", "z", "0", "-1", "WITHSCORES").toString()).isEqualTo("*[$d, $4, $e, $5]");
    }

    @Test
    void longMemberConverts() throws Exception {
        c.call("ZADD", "z", "1", "a");
        c.call("ZADD", "z", "1", "123456789");
        assertThat(encoding(server, "z")).isEqualTo("skiplist");
        c.call("ZADD", "y", "1", "123456789");
        assertThat(encoding(server, "y")).as("created for a long first member").isEqualTo("skiplist");
        c.call("ZADD", "x", "1", "12345678");
        assertThat(encoding(server, "x")).isEqualTo("listpack");
    }

    @Test
    void updatingAnExistingMemberNeverConverts() throws Exception {
        c.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        c.call("ZADD", "z", "10", "a", "20", "b", "30", "c", "40", "d");
        c.call("ZINCRBY", "z", "1", "a");
        assertThat(encoding(server, "z")).isEqualTo("listpack");
    }

    @Test
    void zeroEntriesMeansAlwaysSkiplist() throws Exception {
        c.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
        c.call("ZADD", "z", "1", "a");
        assertThat(encoding(server, "z")).isEqualTo("skiplist");
    }

    @Test
    void storeResultsTakeTheSmallestEncodingThatFits() throws Exception {
        c.call("ZADD", "big", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f");
        assertThat(encoding(server, "big")).isEqualTo("skiplist");
        c.call("ZUNIONSTORE", "u", "1", "big");
        assertThat(encoding(server, "u")).isEqualTo("skiplist");
        c.call("ZINTERSTORE", "i", "1", "big", "WEIGHTS", "1");
        c.call("ZREMRANGEBYRANK", "big", "0", "2");
        c.call("ZUNIONSTORE", "u2", "1", "big");
        assertThat(encoding(server, "u2")).isEqualTo("listpack");
        c.call("ZDIFFSTORE", "d", "1", "big");
        assertThat(encoding(server, "d")).isEqualTo("listpack");
        c.call("ZRANGESTORE", "r", "i", "0", "3");
        assertThat(encoding(server, "r")).isEqualTo("listpack");
        c.call("ZRANGESTORE", "r2", "i", "0", "4");
        assertThat(encoding(server, "r2")).isEqualTo("skiplist");
        c.call("ZRANGESTORE", "r3", "i", "-inf", "+inf", "BYSCORE");
        assertThat(encoding(server, "r3")).as("converted while adding past the limit").isEqualTo("skiplist");
        c.call("ZRANGESTORE", "r4", "i", "-inf", "3", "BYSCORE");
        assertThat(encoding(server, "r4")).isEqualTo("listpack");
    }

    @Test
    void negativeZeroIsStoredAsZeroOnlyInListpacks() throws Exception {
        c.call("ZADD", "z", "-0", "a");
        assertThat(c.call("ZSCORE", "z", "a").text()).isEqualTo("0");
        c.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
        c.call("ZADD", "y", "-0", "a");
        assertThat(c.call("ZSCORE", "y", "a").text()).isEqualTo("-0");
        assertThat(c.call("ZADD", "x", "INCR", "-0", "a").text()).as("the reply shows the computed score").isEqualTo("-0");
    }
}
