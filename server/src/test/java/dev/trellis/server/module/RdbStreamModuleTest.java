package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** RedisModule_RdbSave / RdbLoad through tmrdbstream.c: files relative to dir, errnos, AOF kept on. */
class RdbStreamModuleTest {
    @Test
    void saveThenLoadReplacesTheDataset() throws Exception {
        Path dir = Files.createTempDirectory("rdbstream");
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-module-command", "yes");
             var c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmrdbstream.so")).text()).isEqualTo("OK");
            assertThat(c.call("TMR.LOAD", "missing.rdb").text()).isEqualTo("ERR errno 2");
            assertThat(c.call("TMR.LOAD", "missing.rdb", "7").text()).isEqualTo("ERR errno 22");
            c.call("SET", "kept", "1");
            c.call("SELECT", "2");
            c.call("RPUSH", "list", "a", "b");
            assertThat(c.call("TMR.SAVE", "snap.rdb").text()).isEqualTo("OK");
            assertThat(Files.exists(dir.resolve("snap.rdb"))).isTrue();
            c.call("SET", "later", "x");
            c.call("SELECT", "0");
            c.call("SET", "kept", "changed");
            // The file replaces everything: keys written after the save are gone.
            assertThat(c.call("TMR.LOAD", "snap.rdb").text()).isEqualTo("OK");
            assertThat(c.call("GET", "kept").text()).isEqualTo("1");
            c.call("SELECT", "2");
            assertThat(c.call("LRANGE", "list", "0", "-1").toString()).isEqualTo("*[$a, $b]");
            assertThat(c.call("EXISTS", "later").asLong()).isZero();
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void loadingKeepsTheAofOnWithTheNewDataset() throws Exception {
        Path dir = Files.createTempDirectory("rdbstream-aof");
        try {
            try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-module-command", "yes",
                    "--appendonly", "yes"); var c = s.client()) {
                assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmrdbstream.so")).text()).isEqualTo("OK");
                c.call("SET", "k", "v1");
                assertThat(c.call("TMR.SAVE", "a.rdb").text()).isEqualTo("OK");
                c.call("SET", "k", "v2");
                assertThat(c.call("TMR.LOAD", "a.rdb").text()).isEqualTo("OK");
                assertThat(c.infoField("persistence", "aof_enabled")).isEqualTo("1");
                TestServer.await("AOF base of the loaded dataset", () -> c.infoField("persistence", "aof_rewrite_in_progress").equals("0"));
                c.call("SET", "after", "1");
            }
            // Restarted from the AOF alone: the loaded dataset plus what followed.
            try (TestServer s = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); var c = s.client()) {
                assertThat(c.call("GET", "k").text()).isEqualTo("v1");
                assertThat(c.call("GET", "after").text()).isEqualTo("1");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var files = Files.walk(p)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
