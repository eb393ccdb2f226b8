package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SHUTDOWN while a dataset loads: the load stops (its decoder thread too), the half-loaded
 * dataset is not saved over the file, and the server ends promptly, as Redis exits during
 * loading. The process-level case (SIGTERM, exit code) is in {@code ProcessLaunchTest}.
 */
class ShutdownDuringLoadTest {
    /** More keys than the decoder may queue ahead (256 batches of 512), so it waits on the server thread. */
    static final int KEYS = 200_000;

    private Path dir;

    @AfterEach
    void cleanup() {
        PersistTestSupport.deleteTree(dir);
    }

    /** Writes an RDB of {@link #KEYS} keys into {@code dir}. */
    static void writeDataset(Path dir) {
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "", "--enable-debug-command", "yes"); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(c.call("DEBUG", "POPULATE", Integer.toString(KEYS))).isEqualTo("OK");
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
    }

    private static Thread decoderThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("trellis-rdb-load") && t.isAlive()) {
                return t;
            }
        }
        return null;
    }

    @Test
    void shutdownDuringAofLoadEndsTheServer() throws Exception {
        dir = PersistTestSupport.tempDir("shutdown-aof-loading");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes");
             BinaryClient c = new BinaryClient(t.port())) {
            for (int i = 0; i < 20_000; i++) {
                c.send("SET", "k" + i, "v" + i);
            }
            for (int i = 0; i < 20_000; i++) {
                c.read();
            }
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        byte[] before = Files.readAllBytes(incr);
        var loading = PersistTestSupport.startLoading(dir, "--key-load-delay", "1000", "--appendonly", "yes", "--save", "3600 1");
        try (BinaryClient c = new BinaryClient(loading.port())) {
            TestServer.await("loading", () -> PersistCommandsTest.info(c, "loading").equals("1"));
            c.send("SHUTDOWN");
            loading.ready().get(10, TimeUnit.SECONDS); // the whole load would take 20 s
            loading.server().awaitTermination();
        }
        assertThat(Files.readAllBytes(incr)).as("the AOF being loaded is left as it was").isEqualTo(before);
        assertThat(dir.resolve("dump.rdb")).as("nothing saved").doesNotExist();
    }

    @Test
    void shutdownDuringLoadStopsTheDecoderAndSavesNothing() throws Exception {
        dir = PersistTestSupport.tempDir("shutdown-loading");
        writeDataset(dir);
        Path rdb = dir.resolve("dump.rdb");
        byte[] before = Files.readAllBytes(rdb);
        // One key per millisecond: the load would take minutes. Save points are set, so a
        // plain SHUTDOWN would save, were it not loading.
        var loading = PersistTestSupport.startLoading(dir, "--save", "3600 1", "--key-load-delay", "1000");
        try (BinaryClient c = new BinaryClient(loading.port())) {
            TestServer.await("loading", () -> PersistCommandsTest.info(c, "loading").equals("1"));
            // The decoder runs ahead of the slow server thread until its queue is full, then waits.
            java.util.concurrent.atomic.AtomicReference<Thread> decoder = new java.util.concurrent.atomic.AtomicReference<>();
            TestServer.await("decoder waiting", () -> {
                decoder.set(decoderThread());
                return decoder.get() != null && decoder.get().getState() == Thread.State.TIMED_WAITING;
            });
            assertThat(c.call("GET", "key:1")).isEqualTo(new BinaryClient.Err("LOADING Redis is loading the dataset in memory"));
            c.send("SHUTDOWN");
            loading.ready().get(10, TimeUnit.SECONDS); // the startup waiter is released
            loading.server().awaitTermination();
            TestServer.await("decoder gone", () -> !decoder.get().isAlive());
        }
        assertThat(Files.readAllBytes(rdb)).as("the file being loaded is left as it was").isEqualTo(before);
    }
}
