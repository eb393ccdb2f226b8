package dev.trellis.server.persist;

import dev.trellis.server.testing.ReferenceRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

final class PersistTestSupport {
    private PersistTestSupport() {
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Waits until the server stops answering -LOADING. */
    static void awaitLoaded(BinaryClient c) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Object r = c.call("PING");
            if (!(r instanceof BinaryClient.Err err) || !err.message().startsWith("LOADING")) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("server still loading");
    }

    static ReferenceRedis redis(Path dir, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "--dir";
        args[1] = dir.toString();
        args[2] = "--dbfilename";
        args[3] = "dump.rdb";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return ReferenceRedis.startOrNull(args);
    }
}
