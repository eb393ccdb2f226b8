package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RedisModule_Call with 'S' (script mode) refuses writes the server would refuse a script, with
 * ESPIPE: without enough good replicas (-NOREPLICAS), after a failed background save (-MISCONF)
 * and on a read-only replica (-READONLY).
 * Reads, and writes without 'S', still run. Through native/modules/tmcall.c.
 */
class ScriptModeCallTest {
    private static String tc(RespClient c, String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "TMCALL.CALL";
        System.arraycopy(args, 0, a, 1, args.length);
        return c.call(a).toString();
    }

    private static void load(RespClient c) {
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmcall.so")).toString()).isEqualTo("+OK");
    }

    private static String info(RespClient c, String section, String field) {
        for (String line : c.call("INFO", section).text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    @Test
    void writesRefusedAfterAFailedSave() throws Exception {
        Path dir = Files.createTempDirectory("scriptcall");
        try (TestServer t = TestServer.start("--enable-module-command", "yes", "--dir", dir.toString(), "--save", "3600 1");
             RespClient c = t.client()) {
            load(c);
            // The save's target name is taken by a non-empty directory: the save fails.
            Files.createDirectories(dir.resolve("dump.rdb").resolve("occupied"));
            c.call("SET", "a", "1");
            c.call("BGSAVE");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!"err".equals(info(c, "persistence", "rdb_last_bgsave_status"))) {
                assertThat(System.currentTimeMillis()).as("failed save").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(tc(c, "S", "SET", "x", "1")).isEqualTo("*[+NULL, +ESPIPE]");
            assertThat(tc(c, "ES", "SET", "x", "1")).startsWith("*[+error, $MISCONF ");
            assertThat(tc(c, "S", "GET", "a")).isEqualTo("*[+string, $1, :1]");
            assertThat(tc(c, "-", "SET", "x", "1")).isEqualTo("*[+string, $OK, :2]");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void writesRefusedWithoutEnoughGoodReplicas() {
        try (TestServer t = TestServer.start("--enable-module-command", "yes"); RespClient c = t.client()) {
            load(c);
            c.call("SET", "a", "1");
            c.call("CONFIG", "SET", "min-replicas-to-write", "1");
            assertThat(tc(c, "S", "SET", "x", "1")).isEqualTo("*[+NULL, +ESPIPE]");
            assertThat(tc(c, "ES", "SET", "x", "1"))
                    .isEqualTo("*[+error, $NOREPLICAS Not enough good replicas to write.]");
            assertThat(tc(c, "S", "GET", "a")).isEqualTo("*[+string, $1, :1]");
            // Without 'S' the module's write runs, as in Redis (the module command itself is not a write).
            assertThat(tc(c, "-", "SET", "x", "1")).isEqualTo("*[+string, $OK, :2]");
            c.call("CONFIG", "SET", "min-replicas-to-write", "0");
            assertThat(tc(c, "S", "SET", "x", "2")).isEqualTo("*[+string, $OK, :2]");
        }
    }

    @Test
    void writesRefusedOnAReadOnlyReplica() throws Exception {
        try (TestServer master = TestServer.start(); TestServer replica = TestServer.start("--enable-module-command", "yes");
             RespClient m = master.client(); RespClient r = replica.client()) {
            load(r);
            m.call("SET", "a", "1");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            try {
                long deadline = System.currentTimeMillis() + 10_000;
                while (!"up".equals(info(r, "replication", "master_link_status"))) {
                    assertThat(System.currentTimeMillis()).as("link up").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(tc(r, "S", "SET", "x", "1")).isEqualTo("*[+NULL, +ESPIPE]");
                assertThat(tc(r, "ES", "SET", "x", "1"))
                        .isEqualTo("*[+error, $READONLY You can't write against a read only replica.]");
                assertThat(tc(r, "S", "GET", "a")).isEqualTo("*[+string, $1, :1]");
                r.call("CONFIG", "SET", "replica-read-only", "no");
                assertThat(tc(r, "S", "SET", "x", "1")).isEqualTo("*[+string, $OK, :2]");
            } finally {
                r.call("CONFIG", "SET", "replica-read-only", "yes");
                r.call("REPLICAOF", "NO", "ONE");
            }
        }
    }
}
