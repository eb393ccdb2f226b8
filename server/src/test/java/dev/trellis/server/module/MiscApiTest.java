package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Memory and miscellaneous functions through native/modules/tmmisc.c. */
class MiscApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmmisc");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    private static long infoField(String section, String field) {
        for (String line : c.call("INFO", section).text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    @Test
    void moduleAllocationsCountInUsedMemory() {
        call("TMM.HOLD", "0");
        System.gc();
        long before = infoField("memory", "used_memory");
        long size = c.call("TMM.HOLD", String.valueOf(64L << 20)).asLong();
        assertThat(size).isGreaterThanOrEqualTo(64L << 20);
        long during = infoField("memory", "used_memory");
        assertThat(during - before).isGreaterThan(60L << 20);
        call("TMM.HOLD", "0");
        System.gc();
        assertThat(infoField("memory", "used_memory")).isLessThan(during - (60L << 20));
    }

    /**
     * Module allocations count towards maxmemory, as in Redis (whose allocator counts them):
     * RediSearch's index grew past maxmemory while Trellis evicted nothing.
     */
    @Test
    void moduleAllocationsCountTowardsMaxmemory() {
        call("TMM.HOLD", "0");
        call("FLUSHALL");
        long used = infoField("memory", "used_memory");
        try {
            call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            call("CONFIG", "SET", "maxmemory", String.valueOf(used + (16L << 20)));
            assertThat(call("SET", "k1", "v")).isEqualTo("+OK");
            assertThat(call("SET", "k2", "v")).isEqualTo("+OK");
            c.call("TMM.HOLD", String.valueOf(32L << 20));
            assertThat(call("SET", "k3", "v")).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.");
            // Evicting keys cannot bring it under the limit: every key goes, then the write is refused.
            call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            assertThat(call("SET", "k3", "v")).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(c.call("DBSIZE").asLong()).isZero();
            assertThat(infoField("stats", "evicted_keys")).isGreaterThanOrEqualTo(2);
            c.call("TMM.HOLD", "0");
            assertThat(call("SET", "k4", "v")).isEqualTo("+OK");
        } finally {
            call("TMM.HOLD", "0");
            call("CONFIG", "SET", "maxmemory", "0");
            call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void allocatorFamily() {
        assertThat(call("TMM.ALLOCS")).isEqualTo("*[:1, :1, :1, :1, :1, :1, :1]");
    }

    @Test
    void poolAllocator() {
        assertThat(call("TMM.POOL")).isEqualTo("*[:1, :1, :1, :1, :1, :1]");
    }

    @Test
    void logging() {
        try (LogCapture log = new LogCapture()) {
            assertThat(call("TMM.LOG", "warning", "hello")).isEqualTo("+OK");
            assertThat(call("TMM.LOG", "debug", "hidden")).isEqualTo("+OK"); // below the level
            assertThat(call("TMM.LOGNULL", "no context")).isEqualTo("+OK");
            assertThat(call("TMM.LOG", "warning", "x".repeat(3000))).isEqualTo("+OK");
            String text = log.text();
            assertThat(text).contains(" # <tmmisc> said: hello (42)").contains(" # <module> no context")
                    .doesNotContain("hidden");
            String longLine = text.lines().filter(l -> l.contains("<tmmisc> said: xxx")).findFirst().orElseThrow();
            assertThat(longLine.substring(longLine.indexOf("<tmmisc>"))).hasSize(1023); // LOG_MAX_LEN
        }
    }

    @Test
    void clocks() {
        long now = System.currentTimeMillis();
        RespValue t = c.call("TMM.TIME");
        assertThat(t.get(0).asLong()).isBetween(now - 5000, now + 5000);
        assertThat(t.get(1).asLong() / 1000).isBetween(now - 5000, now + 5000);
        assertThat(t.get(2).asLong()).isPositive();
        // The cached clock is the command's start time: the same throughout the command.
        assertThat(t.get(3).asLong()).isEqualTo(t.get(4).asLong());
        assertThat(t.get(3).asLong() / 1000).isBetween(now - 5000, now + 5000);
    }

    @Test
    void identityAndFlags() {
        long id = c.call("CLIENT", "ID").asLong();
        RespValue ids = c.call("TMM.IDS");
        assertThat(ids.get(0).asLong()).isEqualTo(id);
        long flags = ids.get(1).asLong();
        assertThat(flags & (1 << 2)).isNotZero(); // MASTER
        assertThat(flags & (1 << 22)).isZero();   // not RESP3
        assertThat(ids.get(2).asLong()).isEqualTo(0x070204); // Redis 7.2.4
        assertThat(ids.get(3).asLong()).isEqualTo(5);
        assertThat(ids.get(4).asLong()).isEqualTo(15);
        assertThat(ids.get(5).asLong()).isEqualTo((1 << 25) - 1);
        assertThat(ids.get(6).asLong()).isZero();
        try (RespClient c3 = server.client()) {
            c3.call("HELLO", "3");
            assertThat(c3.call("TMM.IDS").get(1).asLong() & (1 << 22)).isNotZero();
            c3.call("MULTI");
            c3.call("TMM.IDS");
            RespValue exec = c3.call("EXEC");
            assertThat(exec.get(0).get(1).asLong() & (1 << 1)).isNotZero(); // MULTI
        }
        c.call("CONFIG", "SET", "maxmemory", "100gb");
        try {
            assertThat(c.call("TMM.IDS").get(1).asLong() & (1 << 8)).isNotZero(); // MAXMEMORY
        } finally {
            c.call("CONFIG", "SET", "maxmemory", "0");
        }
    }

    @Test
    void randomness() {
        RespValue r = c.call("TMM.RANDOM", "64");
        assertThat(r.get(0).text()).isNotEmpty(); // 64 random bytes (not valid UTF-8 text)
        assertThat(r.get(1).text()).matches("[0-9a-f]{64}");
        assertThat(c.call("TMM.RANDOM", "64").get(1).text()).isNotEqualTo(r.get(1).text());
    }

    @Test
    void infoModulesShowsOptions() {
        String info = c.call("INFO", "modules").text();
        assertThat(info).contains("module:name=tmmisc,ver=2,api=1,filters=0,usedby=[],using=[],"
                + "options=[handle-io-errors|no-implicit-signal-modified]");
    }
}
