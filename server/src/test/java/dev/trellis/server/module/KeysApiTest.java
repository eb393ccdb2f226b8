package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The low-level key API through native/modules/tmkeys.c. The same script was run against
 * Redis 7.0 with the module: the replies match (except times and 7.2-only functions).
 */
class KeysApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmkeys");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @BeforeEach
    void clean() {
        c.call("SELECT", "0");
        c.call("FLUSHALL");
    }

    @Test
    void typeLengthAndOpenModes() {
        call("SET", "s", "hello");
        assertThat(call("TMK.INFO", "r", "s")).isEqualTo("*[:1, :1, :5, :-1, :-1]");
        // Opened for reading, a missing key gives no handle; opened for writing, an empty one.
        assertThat(call("TMK.INFO", "r", "missing")).isEqualTo("*[:0, :0, :-1, :-2, :-2]");
        assertThat(call("TMK.INFO", "w", "missing")).isEqualTo("*[:1, :0, :0, :-1, :-1]");
        call("RPUSH", "l", "a", "b", "c");
        assertThat(call("TMK.INFO", "r", "l")).isEqualTo("*[:1, :2, :3, :-1, :-1]");
        call("ZADD", "z", "1", "m");
        assertThat(call("TMK.INFO", "r", "z")).isEqualTo("*[:1, :5, :1, :-1, :-1]");
        assertThat(call("TMK.EXISTS", "s")).isEqualTo(":1");
        assertThat(call("TMK.EXISTS", "missing")).isEqualTo(":0");
    }

    @Test
    void deleteAndUnlinkNeedWriteMode() {
        call("SET", "s", "hello");
        assertThat(call("TMK.DEL", "r", "s")).isEqualTo(":1");
        assertThat(call("TMK.DEL", "w", "s")).isEqualTo(":0");
        assertThat(call("EXISTS", "s")).isEqualTo(":0");
        call("RPUSH", "l", "a");
        assertThat(call("TMK.UNLINK", "w", "l")).isEqualTo(":0");
        assertThat(call("EXISTS", "l")).isEqualTo(":0");
        assertThat(call("TMK.DEL", "w", "missing")).isEqualTo(":0");
    }

    @Test
    void expiry() {
        call("SET", "s", "hello");
        assertThat(call("TMK.EXPIRE", "w", "s", "100000")).isEqualTo(":0");
        long pttl = c.call("PTTL", "s").asLong();
        assertThat(pttl).isBetween(90_000L, 100_000L);
        assertThat(c.call("TMK.INFO", "r", "s").get(3).asLong()).isBetween(90_000L, 100_000L);
        assertThat(call("TMK.EXPIRE", "w", "s", "-1")).isEqualTo(":0"); // REDISMODULE_NO_EXPIRE
        assertThat(call("TTL", "s")).isEqualTo(":-1");
        assertThat(call("TMK.EXPIRE", "w", "s", "-5")).isEqualTo(":1");
        assertThat(call("TMK.EXPIRE", "r", "s", "100")).isEqualTo(":1");
        assertThat(call("TMK.EXPIRE", "w", "missing", "100")).isEqualTo(":1");
        assertThat(call("TMK.EXPIRE", "w", "s", "4102444800000", "abs")).isEqualTo(":0");
        assertThat(call("PEXPIRETIME", "s")).isEqualTo(":4102444800000");
        assertThat(c.call("TMK.INFO", "r", "s").get(4).asLong()).isEqualTo(4102444800000L);
    }

    @Test
    void expiredKeysAndTheNoExpireFlags() throws Exception {
        server.server().keyspace().activeExpireEnabled(false);
        call("SET", "e", "v", "PX", "1");
        Thread.sleep(20);
        // NOEXPIRE: the key looks missing but is not deleted; ACCESS_EXPIRED still sees it.
        assertThat(call("TMK.INFO", "rx", "e")).isEqualTo("*[:0, :0, :-1, :-2, :-2]");
        assertThat(call("TMK.INFO", "rxa", "e")).startsWith("*[:1, :1, :1, ");
        assertThat(server.server().keyspace().db(0).size()).isEqualTo(1);
        // A plain read deletes it.
        assertThat(call("TMK.INFO", "r", "e")).isEqualTo("*[:0, :0, :-1, :-2, :-2]");
        assertThat(server.server().keyspace().db(0).size()).isZero();
        server.server().keyspace().activeExpireEnabled(true);
    }

    @Test
    void statsAndTouchFlags() {
        call("SET", "s", "v");
        Keyspace ks = server.server().keyspace();
        long hits = ks.keyspaceHits;
        long misses = ks.keyspaceMisses;
        call("TMK.INFO", "r", "s");
        call("TMK.INFO", "r", "missing");
        assertThat(ks.keyspaceHits - hits).isEqualTo(1);
        assertThat(ks.keyspaceMisses - misses).isEqualTo(1);
        call("TMK.INFO", "rs", "s");
        call("TMK.INFO", "re", "missing");
        assertThat(ks.keyspaceHits - hits).isEqualTo(1);
        assertThat(ks.keyspaceMisses - misses).isEqualTo(1);
    }

    @Test
    void stringSetReplacesValueAndTtl() {
        call("SET", "s", "hello", "EX", "1000");
        assertThat(call("TMK.SET", "w", "s", "newval")).isEqualTo(":0");
        assertThat(call("TTL", "s")).isEqualTo(":-1");
        assertThat(call("GET", "s")).isEqualTo("$newval");
        assertThat(call("TMK.SET", "r", "s", "x")).isEqualTo(":1");
        call("RPUSH", "l2", "a");
        assertThat(call("TMK.SET", "w", "l2", "str")).isEqualTo(":0");
        assertThat(call("TYPE", "l2")).isEqualTo("+string");
    }

    @Test
    void dmaWritesReachTheValue() {
        call("SET", "s", "newval", "EX", "1000");
        // In-place writes are seen by a later DMA, by Call before the key is closed, and after.
        assertThat(call("TMK.UPPER", "s")).isEqualTo("*[$NEWVAL, $#EWVAL, $#!WVAL]");
        assertThat(call("GET", "s")).isEqualTo("$#!WVAL");
        assertThat(c.call("TTL", "s").asLong()).isGreaterThan(900); // DMA keeps the TTL
        assertThat(call("TMK.DMA", "r", "missingkey")).isEqualTo("$(nil)");
        assertThat(call("TMK.DMA", "w", "missing")).isEqualTo("*[:0, $<dma-empty-string>]");
        call("RPUSH", "l", "a");
        assertThat(call("TMK.DMA", "w", "l")).isEqualTo("-ERR DMA refused");
        assertThat(call("TMK.DMA", "r", "s")).isEqualTo("*[:6, $data]");
    }

    @Test
    void truncate() {
        call("SET", "s", "#!WVAL");
        assertThat(call("TMK.TRUNCATE", "w", "s", "3")).isEqualTo(":0");
        assertThat(call("GET", "s")).isEqualTo("$#!W");
        assertThat(call("TMK.TRUNCATE", "w", "s", "6")).isEqualTo(":0");
        assertThat(call("GET", "s")).isEqualTo("$#!W\u0000\u0000\u0000");
        assertThat(call("TMK.TRUNCATE", "w", "newkey", "0")).isEqualTo(":0");
        assertThat(call("EXISTS", "newkey")).isEqualTo(":0");
        assertThat(call("TMK.TRUNCATE", "w", "newkey2", "2")).isEqualTo(":0");
        assertThat(call("STRLEN", "newkey2")).isEqualTo(":2");
        assertThat(call("TMK.TRUNCATE", "r", "s", "1")).isEqualTo(":1");
        call("RPUSH", "l", "a");
        assertThat(call("TMK.TRUNCATE", "w", "l", "1")).isEqualTo(":1");
        assertThat(call("TMK.TRUNCATE", "w", "s", String.valueOf(512L * 1024 * 1024 + 1))).isEqualTo(":1");
    }

    @Test
    void databases() {
        call("SET", "k0", "v");
        assertThat(call("TMK.DB", "1")).isEqualTo("*[:0, :1, :0]");
        // The client stays in the database the module selected, as in Redis.
        assertThat(call("SET", "x", "1")).isEqualTo("+OK");
        assertThat(call("DBSIZE")).isEqualTo(":1");
        assertThat(call("TMK.DB", "99")).isEqualTo("*[:1, :1, :1]");
        c.call("SELECT", "0");
        assertThat(call("TMK.NAME", "k0")).isEqualTo("*[$k0, :0, :1]");
        assertThat(call("TMK.RANDOM")).isEqualTo("$k0");
        c.call("DEL", "k0");
        assertThat(call("TMK.RANDOM")).isEqualTo("$(nil)");
    }

    @Test
    void writeOpenedKeysCountAsModifiedForWatch() {
        call("SET", "w", "1");
        try (RespClient other = server.client()) {
            other.call("WATCH", "w");
            other.call("MULTI");
            other.call("GET", "w");
            assertThat(call("TMK.TOUCHW", "w")).isEqualTo("+OK");
            assertThat(other.call("EXEC").toString()).isEqualTo("*(nil)");
        }
    }
}
