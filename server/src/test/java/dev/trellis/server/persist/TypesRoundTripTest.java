package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Values only Trellis (and Redis 7.4) have, such as hash field TTLs, survive files, AOF and DUMP. */
class TypesRoundTripTest {
    private Path dir;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    private static void fill(BinaryClient c, long at) {
        c.call("HSET", "h:small", "a", "1", "b", "2", "c", "3");
        c.call("HPEXPIREAT", "h:small", at, "FIELDS", "2", "a", "c");
        Object[] big = new Object[2 + 400];
        big[0] = "HSET";
        big[1] = "h:big";
        for (int i = 0; i < 200; i++) {
            big[2 + 2 * i] = "f" + i;
            big[3 + 2 * i] = "v" + i;
        }
        c.call(big);
        c.call("HPEXPIREAT", "h:big", at + 7, "FIELDS", "3", "f1", "f50", "f199");
    }

    /** Field TTLs, field by field, read in process. */
    private static String fieldTtls(TestServer t) {
        return Datasets.onServer(t.server(), () -> {
            StringBuilder sb = new StringBuilder();
            for (String k : new String[] {"h:small", "h:big", "h:small:copy", "h:big:copy"}) {
                var e = t.server().keyspace().db(0).peek(k.getBytes());
                if (e == null) {
                    continue;
                }
                var h = (dev.trellis.server.types.hash.RedisHash) e.value();
                java.util.TreeMap<String, Long> m = new java.util.TreeMap<>();
                for (var c = h.cursor(); c.next(); ) {
                    m.put(new String(c.field()), c.expireAt());
                }
                sb.append(k.replace(":copy", "")).append(m).append(h.encoding()).append(';');
            }
            return sb.toString();
        });
    }

    @Test
    void hashFieldTtlsSurviveSaveAofAndDump() throws Exception {
        dir = PersistTestSupport.tempDir("types");
        long at = System.currentTimeMillis() + 3_600_000;
        Map<String, String> expected;
        String ttls;
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--enable-debug-command", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            fill(c, at);
            expected = Datasets.of(t.server());
            ttls = fieldTtls(t);
            assertThat(ttls).contains("a=" + at).contains("f199=" + (at + 7)).contains("b=0");
            for (String k : new String[] {"h:small", "h:big"}) {
                byte[] p = (byte[]) c.call("DUMP", k);
                assertThat(c.call("RESTORE", k + ":copy", "0", p)).isEqualTo("OK");
            }
            assertThat(fieldTtls(t)).isEqualTo(ttls + ttls);
            c.call("DEL", "h:small:copy", "h:big:copy");
            assertThat(c.call("SAVE")).isEqualTo("OK");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("OK");
            assertThat(fieldTtls(t)).isEqualTo(ttls);
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
            AofTest.awaitRewrite(c);
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
            assertThat(fieldTtls(t)).isEqualTo(ttls);
        }
        // And through a command-form AOF base (HSET + HPEXPIREAT).
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--aof-use-rdb-preamble", "no");
             BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("BGREWRITEAOF")).isEqualTo("Background append only file rewriting started");
            AofTest.awaitRewrite(c);
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes")) {
            assertThat(Datasets.diff(expected, Datasets.of(t.server()))).isEmpty();
            assertThat(fieldTtls(t)).isEqualTo(ttls);
        }
    }
}
