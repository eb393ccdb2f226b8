package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RDB files and DUMP payloads move between Debian's redis-server and Trellis, both ways. */
class RdbInteropTest {
    private final long base = System.currentTimeMillis() + 1_000_000;
    private Path dir;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    @Test
    void redisRdbLoadsIntoTrellis() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        dir = PersistTestSupport.tempDir("rdb-from-redis");
        Map<String, String> expected;
        try (ReferenceRedis redis = PersistTestSupport.redis(dir); BinaryClient c = new BinaryClient(redis.port())) {
            SampleData.apply(c, SampleData.commands(base));
            SampleData.apply(c, SampleData.groupCommands());
            expected = Datasets.of(c, 16);
            assertThat(expected.get("0:stream:small")).contains("group g1").contains("alice:2").contains("bob:0");
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
        assertThat(Files.size(dir.resolve("dump.rdb"))).isPositive();
        try (TestServer t = TestServer.start("--dir", dir.toString())) {
            Map<String, String> actual = Datasets.of(t.server());
            assertThat(Datasets.diff(expected, actual)).isEmpty();
        }
    }

    @Test
    void trellisRdbLoadsIntoRedis() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        dir = PersistTestSupport.tempDir("rdb-to-redis");
        Map<String, String> expected;
        try (TestServer t = TestServer.start("--dir", dir.toString()); BinaryClient c = new BinaryClient(t.port())) {
            SampleData.apply(c, SampleData.commands(base));
            expected = Datasets.of(t.server());
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
        try (ReferenceRedis redis = PersistTestSupport.redis(dir); BinaryClient c = new BinaryClient(redis.port())) {
            PersistTestSupport.awaitLoaded(c);
            Map<String, String> actual = Datasets.of(c, 16);
            assertThat(Datasets.diff(expected, actual)).isEmpty();
        }
    }

    @Test
    void trellisLoadsItsOwnFileWithoutCompressionOrChecksum() throws Exception {
        dir = PersistTestSupport.tempDir("rdb-self");
        Map<String, String> expected;
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--rdbcompression", "no", "--rdbchecksum", "no");
             BinaryClient c = new BinaryClient(t.port())) {
            SampleData.apply(c, SampleData.commands(base));
            expected = Datasets.of(t.server());
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
        byte[] file = Files.readAllBytes(dir.resolve("dump.rdb"));
        assertThat(java.util.Arrays.copyOfRange(file, file.length - 8, file.length)).containsOnly(0);
        try (TestServer t = TestServer.start("--dir", dir.toString())) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
        }
    }

    @Test
    void dumpPayloadsMoveBothWays() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        dir = PersistTestSupport.tempDir("dump-interop");
        try (ReferenceRedis redis = PersistTestSupport.redis(dir); BinaryClient r = new BinaryClient(redis.port());
             TestServer t = TestServer.start(); BinaryClient c = new BinaryClient(t.port())) {
            SampleData.apply(r, SampleData.commands(base));
            SampleData.apply(c, SampleData.commands(base));
            Map<String, String> redisData = Datasets.of(r, 16);
            assertThat(redisData).hasSizeGreaterThan(300);
            for (String dbKey : redisData.keySet()) {
                String db = dbKey.substring(0, dbKey.indexOf(':'));
                byte[] key = dbKey.substring(dbKey.indexOf(':') + 1).getBytes(StandardCharsets.ISO_8859_1);
                byte[] copy = (new String(key, StandardCharsets.ISO_8859_1) + ":copy").getBytes(StandardCharsets.ISO_8859_1);
                if (dbKey.endsWith(":copy")) {
                    continue;
                }
                r.call("SELECT", db);
                c.call("SELECT", db);
                byte[] fromRedis = (byte[]) r.call("DUMP", key);
                byte[] fromTrellis = (byte[]) c.call("DUMP", key);
                assertThat(c.call("RESTORE", copy, "0", fromRedis)).as("our RESTORE of Redis's DUMP of %s", dbKey).isEqualTo("OK");
                assertThat(r.call("RESTORE", copy, "0", fromTrellis)).as("Redis's RESTORE of our DUMP of %s", dbKey).isEqualTo("OK");
                String original = ValueText.read(r, key);
                String ours = original.startsWith("stream|")
                        ? Datasets.of(t.server()).get(db + ":" + new String(copy, StandardCharsets.ISO_8859_1)).replaceAll("\\|-?\\d+$", "")
                        : ValueText.read(c, copy);
                assertThat(ours).as(dbKey).isEqualTo(original);
                assertThat(ValueText.read(r, copy)).as(dbKey).isEqualTo(original);
            }
        }
    }
}
