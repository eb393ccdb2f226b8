package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real third-party module: Debian's RediSearch 1.2 ({@code redis-redisearch}) loaded into
 * Trellis and into redis-server, driven by {@code module-ext/redisearch.txt} (index creation,
 * documents, queries with filters, sorting, paging, highlighting and summaries, aggregations,
 * suggestions, updates, deletion, RDB round trip through DEBUG RELOAD, DUMP payloads).
 * Replies must be identical. Skipped when the module or redis-server is not installed.
 *
 * <p>Each Trellis server loads its own copy of the .so: test servers share one JVM, and
 * dlopen of the same file would hand every server the one instance whose globals (index
 * specs, thread pools, configuration) the first OnLoad set up, which RediSearch, written for
 * one server per process, does not expect.
 */
class RediSearchDifferentialTest {
    static final Path MODULE = Path.of("/usr/lib/redis/modules/redisearch.so");
    static final Path SCRIPT = Path.of("src/test/resources/module-ext/redisearch.txt");

    @TempDir
    Path dir;

    /** A private copy of the module for one server (see the class comment). */
    private String moduleCopy(String name) throws IOException {
        Path copy = dir.resolve(name + "-redisearch.so");
        Files.copy(MODULE, copy);
        return copy.toString();
    }

    @Test
    void repliesMatchRedis() throws IOException {
        assumeTrue(Files.isRegularFile(MODULE), "redis-redisearch not installed: test skipped");
        List<String> mismatches = ModuleDifferentialTest.compare(SCRIPT, moduleCopy("default"),
                "--dir", dir.toString(), "--enable-debug-command", "yes");
        assertThat(mismatches).as("replies differing from redis-server with RediSearch").isEmpty();
    }

    /**
     * SAFEMODE: no thread pool, every query and write runs in the command itself. Without
     * WITHCURSOR: RediSearch 1.2 dereferences a null concurrent context for cursors in
     * SAFEMODE and crashes redis-server as well.
     */
    @Test
    void repliesMatchRedisInSafeMode() throws IOException {
        assumeTrue(Files.isRegularFile(MODULE), "redis-redisearch not installed: test skipped");
        Path script = dir.resolve("safemode.txt");
        Files.write(script, Files.readAllLines(SCRIPT).stream().filter(l -> !l.contains("WITHCURSOR")).toList());
        List<String> mismatches = ModuleDifferentialTest.compare(script, moduleCopy("safemode"),
                "SAFEMODE", "--dir", dir.toString(), "--enable-debug-command", "yes");
        assertThat(mismatches).as("replies differing from redis-server with RediSearch in SAFEMODE").isEmpty();
    }

    /** An RDB file redis-server wrote with RediSearch's index types loads in Trellis and answers the same. */
    @Test
    void loadsAnRdbFileWrittenByRedis() throws IOException {
        assumeTrue(Files.isRegularFile(MODULE), "redis-redisearch not installed: test skipped");
        String[][] writes = {
            {"FT.CREATE", "idx", "SCHEMA", "title", "TEXT", "SORTABLE", "price", "NUMERIC", "SORTABLE", "tags", "TAG"},
            {"FT.ADD", "idx", "d1", "1.0", "PAYLOAD", "pl", "FIELDS", "title", "hello world", "price", "3", "tags", "a,b"},
            {"FT.ADD", "idx", "d2", "0.5", "FIELDS", "title", "hello there", "price", "7", "tags", "b"},
            {"FT.ADD", "idx", "d3", "1.0", "FIELDS", "title", "goodbye", "price", "1", "tags", "c"},
            {"FT.SYNADD", "idx", "hello", "hi"},
            {"FT.SUGADD", "ac", "hello world", "2"},
            {"FT.SUGADD", "ac", "help", "1"},
        };
        String[][] reads = {
            {"FT.SEARCH", "idx", "hello", "WITHSCORES", "WITHPAYLOADS", "SORTBY", "price", "DESC"},
            {"FT.SEARCH", "idx", "hi", "NOCONTENT"},
            {"FT.SEARCH", "idx", "@tags:{b}", "NOCONTENT"},
            {"FT.SEARCH", "idx", "@price:[2 10]", "NOCONTENT"},
            {"FT.SUGGET", "ac", "hel", "WITHSCORES"},
            {"FT.GET", "idx", "d2"},
            {"DUMP", "ac"},
        };
        List<String> expected = new ArrayList<>();
        ReferenceRedis redis = ReferenceRedis.startOrNull("--dir", dir.toString(), "--loadmodule", MODULE.toString());
        assumeTrue(redis != null, "redis-server not installed: test skipped");
        try (ReferenceRedis r = redis; RespClient c = r.client()) {
            for (String[] w : writes) {
                assertThat(c.call(w).isError()).as(String.join(" ", w)).isFalse();
            }
            for (String[] q : reads) {
                expected.add(c.call(q).toString());
            }
            assertThat(c.call("SAVE").toString()).isEqualTo("+OK");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--loadmodule", moduleCopy("rdb"));
             RespClient c = t.client()) {
            List<String> got = new ArrayList<>();
            for (String[] q : reads) {
                got.add(c.call(q).toString());
            }
            assertThat(got).isEqualTo(expected);
        }
    }
}
