package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Module values (RDB_TYPE_MODULE_2) in files written by Debian's redis-server load into Trellis
 * and back, and module aux records (RDB_OPCODE_MODULE_AUX, before and after the keys) Trellis
 * writes are read by Redis, with the same C module (native/modules/tmdatatype.c) loaded into
 * both; a file whose module is missing is refused.
 */
class ModuleRdbInteropTest {
    private Path dir;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    private static String module() {
        Path p = Path.of("target", "native", "modules", "tmdatatype.so").toAbsolutePath();
        assumeTrue(Files.isRegularFile(p), "module not built");
        return p.toString();
    }

    /** TMT.STATS: [frees, unlinks, copies, loads, saves, aux-before, aux-after, aux-text]. */
    private static List<?> stats(BinaryClient c) {
        return (List<?>) c.call("TMT.STATS");
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    @Test
    void moduleValuesAndAuxRecordsMoveBothWays() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        String so = module();
        dir = PersistTestSupport.tempDir("module-rdb");
        try (ReferenceRedis redis = PersistTestSupport.redis(dir, "--loadmodule", so); BinaryClient c = new BinaryClient(redis.port())) {
            assertThat(c.call("TMT.SET", "k", "-42", "hello")).isEqualTo("OK");
            assertThat(c.call("TMT.PUSH", "k", "a", "b")).isEqualTo(2L);
            c.call("SET", "plain", "string");
            assertThat(c.call("TMT.AUX", "from-redis")).isEqualTo("OK");
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--loadmodule", so); BinaryClient c = new BinaryClient(t.port())) {
            // (The module saves aux data only through aux_save2, which Redis 7.0 does not call, so
            // this file has no aux records; the other direction below checks them.)
            List<?> k = (List<?>) c.call("TMT.GET", "k");
            assertThat(k.get(0)).isEqualTo(-42L);
            assertThat(text(k.get(1))).isEqualTo("hello");
            assertThat(k.subList(k.size() - 2, k.size()).stream().map(ModuleRdbInteropTest::text)).containsExactly("a", "b");
            assertThat(c.call("TYPE", "k")).isEqualTo("trlsdtype");
            assertThat(c.call("GET", "plain")).isEqualTo("string".getBytes(StandardCharsets.UTF_8));
            assertThat(c.call("TMT.SET", "mine", "7", "from-trellis")).isEqualTo("OK");
            assertThat(c.call("TMT.AUX", "from-trellis")).isEqualTo("OK");
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
        try (ReferenceRedis redis = PersistTestSupport.redis(dir, "--loadmodule", so); BinaryClient c = new BinaryClient(redis.port())) {
            PersistTestSupport.awaitLoaded(c);
            List<?> s = stats(c);
            assertThat(s.get(5)).as("aux record before the keys").isEqualTo(1L);
            assertThat(s.get(6)).as("aux record after the keys").isEqualTo(2L);
            assertThat(text(s.get(7))).isEqualTo("from-trellis");
            assertThat(c.call("DBSIZE")).isEqualTo(3L);
            assertThat(c.call("TYPE", "mine")).isEqualTo("trlsdtype");
        }
        // Without the module the file cannot be read: Trellis refuses to start, as Redis does.
        assertThat(PersistTestSupport.startFailure("--dir", dir.toString())).isNotNull();
    }
}
