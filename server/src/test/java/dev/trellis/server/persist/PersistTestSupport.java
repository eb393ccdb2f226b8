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

    /** A server whose startup (loading) runs in the background: {@code ready} completes when it is done. */
    record LoadingServer(dev.trellis.server.Server server, int port, java.util.concurrent.CompletableFuture<Void> ready) {
    }

    /**
     * Starts a server on {@code dir} (a free port, loglevel warning, then {@code args}) without
     * waiting for its startup tasks, so that tests can talk to it while it loads.
     */
    static LoadingServer startLoading(Path dir, String... args) throws Exception {
        int port = dev.trellis.server.testing.TestServer.freePort();
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--port", Integer.toString(port),
                "--loglevel", "warning", "--dir", dir.toString()));
        all.addAll(java.util.List.of(args));
        dev.trellis.server.config.Config config = new dev.trellis.server.config.Config();
        new dev.trellis.server.config.ConfigLoader(config).loadCommandLine(all.toArray(new String[0]), null);
        dev.trellis.server.Server s = new dev.trellis.server.Server(config);
        s.start();
        java.util.concurrent.CompletableFuture<Void> ready = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                s.runStartupTasks();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return new LoadingServer(s, port, ready);
    }

    /** Starts a server expected to refuse to start (bad files); returns the failure, shutting it down. */
    static Throwable startFailure(String... args) throws Exception {
        int port = dev.trellis.server.testing.TestServer.freePort();
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--port", Integer.toString(port), "--save", "",
                "--loglevel", "nothing"));
        all.addAll(java.util.List.of(args));
        dev.trellis.server.config.Config config = new dev.trellis.server.config.Config();
        new dev.trellis.server.config.ConfigLoader(config).loadCommandLine(all.toArray(new String[0]), null);
        dev.trellis.server.Server s = new dev.trellis.server.Server(config);
        s.start();
        try {
            s.runStartupTasks();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } finally {
            s.execute(() -> s.shutdown(false, true, true));
            s.awaitTermination();
            dev.trellis.server.log.ServerLog.get().level(dev.trellis.server.log.ServerLog.WARNING);
        }
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
