package dev.trellis.server.commands.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Hashes whose fields carry TTLs but that arrive without any HEXPIRE on this server (loaded
 * from an RDB file at startup, or RESTOREd) still have those fields removed by active expiry,
 * not only when a command happens to read them.
 */
class HashFieldTtlArrivalTest {
    @Test
    void fieldsLoadedFromAnRdbExpireActively() throws Exception {
        Path dir = Files.createTempDirectory("hash-ttl-rdb");
        try {
            String[] args = {"--dir", dir.toString(), "--dbfilename", "dump.rdb"};
            try (TestServer first = TestServer.start(args); RespClient c = first.client()) {
                c.call("HSET", "mixed", "keep", "1", "go", "2");
                c.call("HSET", "whole", "a", "1", "b", "2");
                c.call("HSET", "big", "f", "v");
                for (int i = 0; i < 200; i++) {
                    c.call("HSET", "big", "f" + i, "v".repeat(80)); // hashtable encoding
                }
                assertThat(c.call("HPEXPIRE", "mixed", "1500", "FIELDS", "1", "go").toString()).isEqualTo("*[:1]");
                assertThat(c.call("HPEXPIRE", "whole", "1500", "FIELDS", "2", "a", "b").toString()).isEqualTo("*[:1, :1]");
                assertThat(c.call("HPEXPIRE", "big", "1500", "FIELDS", "1", "f").toString()).isEqualTo("*[:1]");
                assertThat(c.call("SAVE").toString()).isEqualTo("+OK");
            }
            try (TestServer second = TestServer.start(args); RespClient c = second.client()) {
                awaitLoaded(c);
                assertThat(c.call("HLEN", "mixed").toString()).isEqualTo(":2");
                assertThat(c.call("HTTL", "big", "FIELDS", "1", "f").toString()).isNotEqualTo("*[:-1]");
                // Nothing reads the fields from now on: only the active cycle can remove them.
                awaitActiveExpiry(c, "whole");
                assertThat(c.call("HLEN", "mixed").toString()).isEqualTo(":1");
                assertThat(c.call("EXISTS", "whole").toString()).isEqualTo(":0");
                assertThat(c.call("HLEN", "big").toString()).isEqualTo(":200");
                assertThat(c.call("HGETALL", "mixed").toString()).isEqualTo("*[$keep, $1]");
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    @Test
    void restoredFieldsExpireActively() throws Exception {
        byte[] mixed;
        byte[] whole;
        try (TestServer source = TestServer.start(); Jedis j = new Jedis("127.0.0.1", source.port())) {
            j.hset("h", Map.of("keep", "1", "go", "2"));
            j.hset("w", Map.of("a", "1"));
            j.hpexpire("h", 1000, "go");
            j.hpexpire("w", 1000, "a");
            mixed = j.dump("h");
            whole = j.dump("w");
        }
        try (TestServer target = TestServer.start(); Jedis j = new Jedis("127.0.0.1", target.port());
             RespClient c = target.client()) {
            assertThat(j.restore("h".getBytes(), 0, mixed)).isEqualTo("OK");
            assertThat(j.restore("whole".getBytes(), 0, whole)).isEqualTo("OK");
            assertThat(c.call("HLEN", "h").toString()).isEqualTo(":2");
            awaitActiveExpiry(c, "whole");
            assertThat(c.call("HLEN", "h").toString()).isEqualTo(":1");
            assertThat(c.call("HGETALL", "h").toString()).isEqualTo("*[$keep, $1]");
        }
    }

    /**
     * Waits until {@code key} (a hash whose every field has a TTL) is gone, or 5 s passed.
     * EXISTS reads no field, so only the active cycle can delete it.
     */
    private static void awaitActiveExpiry(RespClient c, String key) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline && c.call("EXISTS", key).asLong() == 1) {
            Thread.sleep(50);
        }
        Thread.sleep(300); // fields due at the same time go in the same or the next cycle
    }

    private static void awaitLoaded(RespClient c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            RespValue r = c.call("PING");
            if (!r.toString().startsWith("-LOADING")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("still loading");
    }
}
