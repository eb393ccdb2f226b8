package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hash key API and hash field TTLs (Redis 7.4 semantics) through native/modules/tmaggregates.c:
 * HashSet's NX/XX over an expired field, and keys opened with REDISMODULE_OPEN_KEY_ACCESS_EXPIRED.
 */
class HashFieldExpiryApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmaggregates");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @BeforeEach
    void clean() {
        c.call("FLUSHALL");
        server.server().keyspace().activeExpireEnabled(false);
    }

    @AfterEach
    void restore() {
        server.server().keyspace().activeExpireEnabled(true);
    }

    /** Gives {@code fields} of {@code key} a 1 ms TTL and waits until it has passed. */
    private static void expireFields(String key, String... fields) throws InterruptedException {
        String[] a = new String[fields.length + 5];
        a[0] = "HPEXPIRE";
        a[1] = key;
        a[2] = "1";
        a[3] = "FIELDS";
        a[4] = Integer.toString(fields.length);
        System.arraycopy(fields, 0, a, 5, fields.length);
        call(a);
        Thread.sleep(5);
    }

    @Test
    void nxReplacesAnExpiredFieldAsANewOne() throws Exception {
        call("HSET", "h", "f1", "v1", "f2", "v2");
        expireFields("h", "f1");
        // Counted as an insert (0 without COUNT_ALL, errno ENOENT), and the old TTL is gone.
        assertThat(call("TMA.HSET", "w", "h", "n", "f1", "new")).isEqualTo("*[:0, +ENOENT]");
        assertThat(call("HGET", "h", "f1")).isEqualTo("$new");
        assertThat(call("HTTL", "h", "FIELDS", "1", "f1")).isEqualTo("*[:-1]");
        assertThat(call("HLEN", "h")).isEqualTo(":2");
    }

    @Test
    void xxFailsOnAnExpiredFieldAndLeavesIt() throws Exception {
        call("HSET", "h", "f1", "v1", "f2", "v2");
        expireFields("h", "f1");
        assertThat(call("TMA.HSET", "w", "h", "x", "f1", "new")).isEqualTo("*[:0, +ENOENT]");
        assertThat(call("HLEN", "h")).isEqualTo(":2"); // not lazily deleted
        assertThat(call("HGETALL", "h")).isEqualTo("*[$f2, $v2]");
    }

    @Test
    void accessExpiredSeesExpiredFields() throws Exception {
        call("HSET", "h", "f1", "v1", "f2", "v2");
        expireFields("h", "f1");
        String seen = call("TMA.HEXPIRED", "h", "f1");
        assertThat(seen).startsWith("*[$v1, *[").contains("$f1, $v1").contains("$f2, $v2");
        assertThat(call("TMA.HGET", "h", "f1", "f2")).isEqualTo("*[:0, $(nil), $v2, :0, :1]"); // normal access
        assertThat(call("HEXISTS", "h", "f1")).isEqualTo(":0"); // a command drops it
        assertThat(call("TMA.HEXPIRED", "h", "f1")).isEqualTo("*[$(nil), *[$f2, $v2]]");
    }

    @Test
    void accessExpiredOpensAnExpiredKeyWithoutDeletingIt() throws Exception {
        call("HSET", "h", "f1", "v1");
        call("PEXPIRE", "h", "1");
        Thread.sleep(5);
        assertThat(call("TMA.HEXPIRED", "h", "f1")).isEqualTo("*[$v1, *[$f1, $v1]]");
        assertThat(call("TMA.HEXPIRED", "h", "f1")).isEqualTo("*[$v1, *[$f1, $v1]]"); // still there
        assertThat(call("EXISTS", "h")).isEqualTo(":0");
        assertThat(call("TMA.HEXPIRED", "h", "f1")).isEqualTo("-ERR no key");
    }
}
