package dev.trellis.server.persist.rdb;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.BackgroundFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A point-in-time snapshot written while the server keeps serving (BGSAVE, and the base of an
 * AOF rewrite): the server thread serialises keys in short steps between other work, and a
 * background thread writes, syncs and renames the file. The outcome is reported on the server
 * thread.
 */
public final class BackgroundSave {
    /** Keys per step when no delay is configured; a step also stops after about a millisecond. */
    private static final int STEP_KEYS = 4096;
    private static final long STEP_NANOS = 1_000_000;
    /** Serialised bytes the writer may lag behind before the walk waits for it. */
    private static final long MAX_PENDING = 64L << 20;

    private final Server server;
    private final RdbSnapshot snapshot;
    private final BackgroundFileWriter writer;
    private final boolean checksum;
    /** rdb-key-save-delay, read live: a test that slowed a save down may speed it up again. */
    private final LongSupplier keyDelayMicros;
    private long delayStartNanos;
    private final Consumer<Exception> onDone;
    private final long startedMs = System.currentTimeMillis();
    private boolean walking;
    private boolean cancelled;

    /**
     * Starts writing a snapshot of this moment to {@code target} (through {@code tmp}).
     * {@code onDone} runs on the server thread with null or the failure.
     */
    public BackgroundSave(Server server, Path tmp, Path target, RdbSnapshot.Options opt, boolean compression,
                          boolean checksum, LongSupplier keyDelayMicros, String threadName, Consumer<Exception> onDone) throws IOException {
        this(server, tmp, target, opt, null, compression, checksum, keyDelayMicros, threadName, onDone);
    }

    /** A snapshot in {@code format} (null: RDB). */
    public BackgroundSave(Server server, Path tmp, Path target, RdbSnapshot.Options opt, RdbSnapshot.Format format,
                          boolean compression, boolean checksum, LongSupplier keyDelayMicros, String threadName,
                          Consumer<Exception> onDone) throws IOException {
        this.server = server;
        this.checksum = checksum;
        this.keyDelayMicros = keyDelayMicros;
        this.onDone = onDone;
        this.writer = new BackgroundFileWriter(tmp, target, threadName, err -> server.execute(() -> finished(err)));
        RdbOutput out = new RdbOutput(writer, compression);
        this.snapshot = new RdbSnapshot(server.keyspace(), out, opt, () -> mayWrite(server), format);
        snapshot.writeHeader();
        snapshot.attach();
        walking = true;
        server.execute(this::step);
    }

    /** Whether the running command may change the key it looks up (no command: assume so). */
    static boolean mayWrite(Server server) {
        Client c = server.dispatcher().current();
        return c == null || c.cmd == null || !c.cmd.has(CommandFlags.READONLY) || c.cmd.has(CommandFlags.WRITE);
    }

    public long startedMs() {
        return startedMs;
    }

    public long keysWritten() {
        return snapshot.keysWritten();
    }

    public long totalKeys() {
        return snapshot.totalKeys();
    }

    public long bytesWritten() {
        return snapshot.output().size();
    }

    private void step() {
        if (cancelled || !walking) {
            return;
        }
        try {
            if (writer.failure() != null) {
                throw new IOException(writer.failure().getMessage(), writer.failure());
            }
            if (writer.pendingBytes() > MAX_PENDING) {
                server.scheduler().schedule(this::step, 1, TimeUnit.MILLISECONDS);
                return;
            }
            boolean finished;
            if (keyDelayMicros.getAsLong() > 0) {
                finished = snapshot.step(1);
            } else {
                long deadline = System.nanoTime() + STEP_NANOS;
                do {
                    finished = snapshot.step(256);
                } while (!finished && System.nanoTime() < deadline && snapshot.output().buffered() < (1 << 20));
                snapshot.output().maybeFlush();
            }
            if (finished) {
                snapshot.writeTrailer(checksum);
                snapshot.detach();
                walking = false;
                writer.finish();
                return;
            }
            delayStartNanos = System.nanoTime();
            delayThenStep();
        } catch (Exception e) {
            ServerLog.get().warning("Background snapshot failed: " + e.getMessage());
            snapshot.detach();
            walking = false;
            writer.abort();
        }
    }

    /** Waits out the key delay in short naps, so a delay lowered meanwhile takes effect. */
    private void delayThenStep() {
        long remainingNanos = delayStartNanos + keyDelayMicros.getAsLong() * 1000 - System.nanoTime();
        if (remainingNanos <= 0) {
            server.execute(this::step);
        } else {
            server.scheduler().schedule(this::delayThenStep, Math.min(remainingNanos, 50_000_000L), TimeUnit.NANOSECONDS);
        }
    }

    /** Abandons the snapshot (SHUTDOWN, FLUSHALL, a replaced rewrite); onDone hears a failure. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        snapshot.detach();
        if (walking) {
            walking = false;
        }
        writer.abort();
    }

    public boolean cancelled() {
        return cancelled;
    }

    private void finished(Exception err) {
        onDone.accept(cancelled && err == null ? new IOException("cancelled") : err);
    }
}
