package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real third-party module: Debian's RediSearch 1.2 ({@code redis-redisearch}) loaded into
 * Trellis and into redis-server, driven by {@code module-ext/redisearch.txt} (index creation,
 * documents, queries with filters, sorting, paging, highlighting and summaries, aggregations,
 * suggestions, updates, deletion, RDB round trip through DEBUG RELOAD, DUMP payloads).
 * Replies must be identical. Skipped when the module or redis-server is not installed.
 */
class RediSearchDifferentialTest {
    static final Path MODULE = Path.of("/usr/lib/redis/modules/redisearch.so");

    @TempDir
    Path dir;

    @Test
    void repliesMatchRedis() throws IOException {
        assumeTrue(Files.isRegularFile(MODULE), "redis-redisearch not installed: test skipped");
        List<String> mismatches = ModuleDifferentialTest.compare(Path.of("src/test/resources/module-ext/redisearch.txt"),
                MODULE.toString(), "--dir", dir.toString(), "--enable-debug-command", "yes");
        assertThat(mismatches).as("replies differing from redis-server with RediSearch").isEmpty();
    }
}
