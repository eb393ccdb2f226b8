package dev.trellis.server.persist.aof;

import dev.trellis.server.Server;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.DurableFiles;
import dev.trellis.server.persist.PersistConfig;
import dev.trellis.server.persist.Persistence;
import dev.trellis.server.persist.rdb.BackgroundSave;
import dev.trellis.server.persist.rdb.RdbFiles;
import dev.trellis.server.persist.rdb.RdbOutput;
import dev.trellis.server.persist.rdb.RdbSnapshot;
import dev.trellis.server.replication.Propagation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The append-only file, Redis 7's multi-part AOF: a base (RDB or commands) plus incremental
 * files of commands, listed by a manifest in the AOF directory.
 *
 * <p>What is appended is the propagation stream (effects, MULTI/EXEC units, DEL for expired
 * keys), with SELECT when the database changes. Commands accumulate in a buffer; before any
 * reply reaches a socket the buffer is written to the file (and with appendfsync always,
 * synced): connections hand their flush to a {@link Server.ReplyBarrier}, and one task per
 * event-loop round writes and syncs for all of them (group commit). With everysec a
 * background thread syncs once a second.
 *
 * <p>BGREWRITEAOF switches writes to a new incremental file, then writes a point-in-time base
 * in the background; when it is complete the manifest names the new base and the files since,
 * and the older files are deleted.
 */
public final class Aof implements Propagation.Sink, Server.ReplyBarrier {
    private enum State { OFF, ON, WAIT_REWRITE }

    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final Persistence persistence;
    private final PersistConfig cfg;
    private State state = State.OFF;
    private AofManifest manifest;
    private FileChannel incr;
    private long incrSize;
    private volatile long fsyncedSize;
    private long currentSize;
    private long baseSize;
    private final AofBuffer buf = new AofBuffer();
    private int selectedDb = -1;
    private long lastTimestamp;
    private String writeError;
    private volatile String fsyncError;
    private long lastWriteErrorLog;
    private long lastFsyncMs = System.currentTimeMillis();
    private long delayedFsync;

    private BackgroundSave rewrite;
    private Path rewriteTmp;
    private int rewriteCounter;
    private Path tempIncr;
    private boolean rewriteScheduled;
    private long rewriteStartMs;
    private long lastRewriteTimeSec = -1;
    private boolean lastRewriteOk = true;
    private long rewrites;
    private long rewriteFailures;

    private List<Runnable> held = new ArrayList<>();
    private List<Runnable> releasing = new ArrayList<>();

    // The settings read on every command, kept here as CONFIG SET changes them (a lookup by
    // name per command is measurable at these rates).
    private static final int FSYNC_NO = 0;
    private static final int FSYNC_EVERYSEC = 1;
    private static final int FSYNC_ALWAYS = 2;
    private int fsyncPolicy;
    private boolean timestamps;
    private boolean noFsyncOnRewrite;

    private void readConfig() {
        fsyncPolicy = switch (cfg.appendFsync()) {
            case "always" -> FSYNC_ALWAYS;
            case "no" -> FSYNC_NO;
            default -> FSYNC_EVERYSEC;
        };
        timestamps = cfg.aofTimestamps();
        noFsyncOnRewrite = cfg.noAppendfsyncOnRewrite();
    }
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushAndRelease;
    private ScheduledExecutorService fsyncThread;
    private volatile boolean fsyncPending;

    /**
     * WAITAOF's local half: the replication offset (master_repl_offset) known to be on disk, or
     * -1 while the AOF is off or its first rewrite has not finished (Redis's fsynced_reploff). It
     * changes on the server thread only; fsyncs record their offset in {@link #fsyncedPending},
     * taken over by {@link #takeFsyncedOffset}. Completions of an earlier generation (a file of
     * a stopped AOF) are ignored, so the offset never jumps to another history.
     */
    private long fsyncedReplOff = -1;
    private final AtomicLong fsyncedPending = new AtomicLong();
    private volatile int fsyncGen;
    private final List<Runnable> fsyncListeners = new ArrayList<>();

    public Aof(Server server, Persistence persistence) {
        this.server = server;
        this.persistence = persistence;
        this.cfg = persistence.config();
        readConfig();
        for (String name : new String[] {"appendfsync", "aof-timestamp-enabled", "no-appendfsync-on-rewrite"}) {
            server.config().onChange(name, v -> readConfig());
        }
        server.config().onChange("appendonly", v -> applyConfig());
        server.debugSubcommand("loadaof", c -> {
            String err = debugLoadAof();
            if (err != null) {
                throw dev.trellis.server.command.CommandError.of(err);
            }
            c.reply().ok();
        });
        // What DEBUG LOADAOF replays is already in the files: never append it again.
        server.propagation().exclude((c, cmd) -> replaying != null && c == replaying);
    }

    /** The client replaying the files during DEBUG LOADAOF, or null. */
    private dev.trellis.server.client.Client replaying;

    private Path dir() {
        return cfg.dir().resolve(cfg.appendDirName());
    }

    private String prefix() {
        return cfg.appendFilename();
    }

    public boolean enabled() {
        return state != State.OFF;
    }

    public boolean rewriteInProgress() {
        return rewrite != null;
    }

    /** The reason writes are refused (last write or fsync failed), or null. */
    public String writeError() {
        if (state == State.OFF) {
            return null;
        }
        return writeError != null ? writeError : fsyncError;
    }

    // --- the propagation stream ------------------------------------------------------------

    @Override
    public void command(int dbId, byte[][] argv) {
        if (state == State.OFF || (state == State.WAIT_REWRITE && rewrite == null)) {
            return;
        }
        if (timestamps) {
            long now = System.currentTimeMillis() / 1000;
            if (now > lastTimestamp) {
                lastTimestamp = now;
                buf.ascii("#TS:" + now + "\r\n");
            }
        }
        if (dbId >= 0 && dbId != selectedDb) {
            buf.command(new byte[][] {SELECT, Integer.toString(dbId).getBytes(StandardCharsets.US_ASCII)}, 2);
            selectedDb = dbId;
        }
        buf.command(argv, argv.length);
    }

    // --- writing before replying -------------------------------------------------------

    private boolean pendingDurability() {
        return !buf.isEmpty() || (fsyncPolicy == FSYNC_ALWAYS && fsyncedSize != incrSize);
    }

    @Override
    public boolean hold(Runnable resume) {
        if (state == State.OFF || incr == null || !pendingDurability()) {
            return false;
        }
        held.add(resume);
        if (!flushScheduled) {
            flushScheduled = true;
            server.execute(flushTask);
        }
        return true;
    }

    @Override
    public void syncNow() {
        if (state != State.OFF && incr != null) {
            flush(true);
        }
    }

    private void flushAndRelease() {
        flushScheduled = false;
        flush(false);
        takeFsyncedOffset();
        // Swap the lists: a released flush may hold again (into the fresh list).
        List<Runnable> go = held;
        held = releasing;
        releasing = go;
        for (int i = 0; i < go.size(); i++) {
            go.get(i).run();
        }
        go.clear();
    }

    /** Writes the buffer to the incremental file and syncs as appendfsync says (flushAppendOnlyFile). */
    public void flush(boolean force) {
        if (incr == null) {
            return;
        }
        int policy = fsyncPolicy;
        if (!buf.isEmpty()) {
            int len = buf.length();
            int written = 0;
            try {
                ByteBuffer bb = ByteBuffer.wrap(buf.array(), 0, len);
                while (bb.hasRemaining()) {
                    written += incr.write(bb);
                }
            } catch (IOException e) {
                long now = System.currentTimeMillis();
                if (now - lastWriteErrorLog > 30_000) {
                    lastWriteErrorLog = now;
                    ServerLog.get().warning("Error writing to the AOF file: " + e.getMessage());
                }
                if (policy == FSYNC_ALWAYS) {
                    ServerLog.get().warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
                    Runtime.getRuntime().halt(1);
                }
                writeError = e.getMessage() == null ? "I/O error" : e.getMessage();
                persistence.diskStateChanged();
                if (written > 0) {
                    buf.consume(written);
                    incrSize += written;
                    currentSize += written;
                }
                return;
            }
            if (writeError != null) {
                ServerLog.get().notice("AOF write error looks solved, Redis can write again.");
                writeError = null;
            }
            incrSize += len;
            currentSize += len;
            buf.clear();
        }
        if (noFsyncOnRewrite && rewrite != null) {
            return;
        }
        if (policy != FSYNC_NO && fsyncedSize == incrSize && !fsyncPending) {
            // Everything written is on disk: so is the stream up to now (also what a module's
            // Call kept out of the AOF, which WAITAOF would otherwise wait for in vain).
            recordFsynced(fsyncGen, server.stats().masterReplOffset);
        }
        if (policy == FSYNC_ALWAYS && fsyncedSize != incrSize) {
            try {
                incr.force(false);
            } catch (IOException e) {
                ServerLog.get().warning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': "
                        + e.getMessage() + ". Exiting...");
                Runtime.getRuntime().halt(1);
            }
            fsyncedSize = incrSize;
            lastFsyncMs = System.currentTimeMillis();
            recordFsynced(fsyncGen, server.stats().masterReplOffset);
        } else if (policy == FSYNC_EVERYSEC && (force || System.currentTimeMillis() - lastFsyncMs >= 1000)) {
            backgroundFsync(incr, incrSize);
            lastFsyncMs = System.currentTimeMillis();
        }
    }

    private synchronized ScheduledExecutorService fsyncThread() {
        if (fsyncThread == null) {
            fsyncThread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("trellis-aof-fsync").daemon(true).unstarted(r));
        }
        return fsyncThread;
    }

    private void backgroundFsync(FileChannel ch, long upTo) {
        if (fsyncedSize >= upTo && ch == incr) {
            return;
        }
        if (fsyncPending) {
            delayedFsync++;
            return;
        }
        fsyncPending = true;
        int gen = fsyncGen;
        long off = server.stats().masterReplOffset;
        fsyncThread().execute(() -> {
            try {
                ch.force(false);
                if (ch == incr) {
                    fsyncedSize = Math.max(fsyncedSize, upTo);
                }
                fsyncError = null;
                recordFsynced(gen, off);
                server.execute(this::takeFsyncedOffset);
            } catch (IOException e) {
                fsyncError = e.getMessage();
                persistence.diskStateChanged();
                ServerLog.get().warning("Fail to fsync the AOF file: " + e.getMessage());
            } finally {
                fsyncPending = false;
            }
        });
    }

    private void backgroundFsyncAndClose(FileChannel ch) {
        int gen = fsyncGen;
        long off = server.stats().masterReplOffset;
        fsyncThread().execute(() -> {
            try (ch) {
                ch.force(false);
                recordFsynced(gen, off);
                server.execute(this::takeFsyncedOffset);
            } catch (IOException e) {
                ServerLog.get().warning("Fail to fsync the AOF file: " + e.getMessage());
            }
        });
    }

    // --- WAITAOF ------------------------------------------------------------------------

    private void recordFsynced(int gen, long offset) {
        if (gen == fsyncGen) {
            fsyncedPending.accumulateAndGet(offset, Math::max);
        }
    }

    /** Takes over the offset the latest fsyncs reached (beforeSleep's update) and tells WAITAOF. */
    private void takeFsyncedOffset() {
        if (state != State.ON || fsyncedReplOff == -1) {
            return;
        }
        long now = fsyncedPending.get();
        if (now != fsyncedReplOff) {
            fsyncedReplOff = now;
            for (int i = 0; i < fsyncListeners.size(); i++) {
                fsyncListeners.get(i).run();
            }
        }
    }

    /**
     * The replication offset known to be fsynced to the AOF, or -1 while the AOF is off or still
     * writing its first base (WAITAOF's local acknowledgement; a replica's REPLCONF FACK).
     */
    public long fsyncedReplOffset() {
        return fsyncedReplOff;
    }

    /** Runs {@code r} on the server thread when the fsynced offset moves or the AOF stops. */
    public void addFsyncListener(Runnable r) {
        fsyncListeners.add(r);
    }

    // --- cron ---------------------------------------------------------------------------

    public void cron() {
        if (state == State.OFF) {
            return;
        }
        readConfig(); // also a safety net for a change no listener reported
        if (!buf.isEmpty() || fsyncPolicy == FSYNC_EVERYSEC) {
            flush(false); // retries after write errors; everysec's once-a-second sync
        }
        takeFsyncedOffset();
        if (rewrite == null && !persistence.bgsaveInProgress()) {
            if (rewriteScheduled || (state == State.WAIT_REWRITE)) {
                startRewrite();
                return;
            }
            long perc = cfg.autoAofRewritePercentage();
            if (state == State.ON && perc > 0 && currentSize > cfg.autoAofRewriteMinSize()) {
                long base = baseSize > 0 ? baseSize : 1;
                long growth = currentSize * 100 / base - 100;
                if (growth >= perc) {
                    ServerLog.get().notice("Starting automatic rewriting of AOF on " + growth + "% growth");
                    startRewrite();
                }
            }
        }
    }

    // --- startup --------------------------------------------------------------------------

    /** Loads the AOF (appendonly yes at startup), then opens it for appending. */
    public void loadAtStartup(CompletableFuture<Void> done) {
        try {
            manifest = loadManifestOrUpgrade();
        } catch (IOException | AofManifest.BadManifest e) {
            done.completeExceptionally(e);
            return;
        }
        if (manifest.isEmpty()) {
            openOnStart(done);
            return;
        }
        AofLoader loader;
        try {
            loader = new AofLoader(server, dir(), manifest, cfg.aofLoadTruncated());
        } catch (IOException | AofLoader.Failed e) {
            done.completeExceptionally(e);
            return;
        }
        if (loader.totalSize == 0) {
            loader.close();
            openOnStart(done);
            return;
        }
        long t0 = System.nanoTime();
        persistence.loading().start(loader.totalSize, false, true);
        persistence.runSliced(max -> loader.step(max), loader::position, () -> {
            loader.close();
            persistence.loading().stop();
            baseSize = loader.baseSize;
            persistence.afterLoad();
            ServerLog.get().notice(String.format(java.util.Locale.ROOT, "DB loaded from append only file: %.3f seconds",
                    (System.nanoTime() - t0) / 1e9));
            openOnStart(done);
        }, err -> {
            loader.close();
            persistence.loading().stop();
            done.completeExceptionally(err);
        }, loader::close);
    }

    /** The manifest on disk, after moving an old single-file AOF into the directory (Redis's upgrade). */
    private AofManifest loadManifestOrUpgrade() throws IOException, AofManifest.BadManifest {
        AofManifest m;
        try {
            m = AofManifest.load(dir(), prefix());
        } catch (AofManifest.BadManifest e) {
            ServerLog.get().warning("*** FATAL AOF MANIFEST FILE ERROR ***");
            if (e.text != null) {
                ServerLog.get().warning("Reading the manifest file, at line " + e.line);
                ServerLog.get().warning(">>> '" + e.text + "'");
            }
            ServerLog.get().warning(e.getMessage());
            throw e;
        }
        if (m == null) {
            m = new AofManifest();
        }
        Path old = cfg.dir().resolve(prefix());
        if (Files.isRegularFile(old) && (m.isEmpty() || (m.incr.isEmpty() && m.base != null
                && m.base.name().equals(prefix()) && !Files.exists(dir().resolve(prefix()))))) {
            Files.createDirectories(dir());
            m = new AofManifest();
            m.base = new AofManifest.Entry(prefix(), 1, 'b');
            m.baseSeq = 1;
            m.persist(dir(), prefix());
            Files.move(old, dir().resolve(prefix()));
            ServerLog.get().notice("Successfully migrated an old-style AOF file (" + prefix() + ") into the AOF directory ("
                    + cfg.appendDirName() + ").");
        }
        return m;
    }

    private void openOnStart(CompletableFuture<Void> done) {
        try {
            Files.createDirectories(dir());
            if (manifest.base == null && manifest.incr.isEmpty()) {
                String name = manifest.newBase(prefix(), cfg.aofUseRdbPreamble());
                persistence.fireSave(5); // SYNC_AOF_START
                try {
                    writeBaseSync(dir().resolve(name));
                } catch (IOException | RuntimeException e) {
                    persistence.fireSave(4);
                    throw e;
                }
                persistence.fireSave(3);
                ServerLog.get().notice("Creating AOF base file " + name + " on server start");
            }
            boolean had = !manifest.incr.isEmpty();
            String name = had ? manifest.incr.get(manifest.incr.size() - 1).name() : manifest.newIncr(prefix());
            Path p = dir().resolve(name);
            incr = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            manifest.persist(dir(), prefix());
            deleteHistory();
            incrSize = Files.size(p);
            fsyncedSize = incrSize;
            baseSize = manifest.base == null ? 0 : Files.size(dir().resolve(manifest.base.name()));
            currentSize = baseSize;
            for (AofManifest.Entry e : manifest.incr) {
                currentSize += Files.size(dir().resolve(e.name()));
            }
            ServerLog.get().notice((had ? "Opening" : "Creating") + " AOF incr file " + name + " on server start");
            on();
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            ServerLog.get().warning("Can't open the append-only file: " + e.getMessage());
            done.completeExceptionally(e);
        }
    }

    private void on() {
        state = State.ON;
        selectedDb = -1;
        fsyncedReplOff = 0; // as Redis at startup: nothing propagated yet is pending
        server.propagation().addSink(this);
        server.replyBarrier(this);
    }

    private void writeBaseSync(Path target) throws IOException {
        RdbSnapshot.Options opt = persistence.snapshotOptions(true);
        if (cfg.aofUseRdbPreamble()) {
            RdbFiles.save(server.keyspace(), target, opt, cfg.compression(), cfg.checksum(), null);
            return;
        }
        Path tmp = target.resolveSibling("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            RdbOutput out = new RdbOutput(RdbFiles.channelSink(ch), false);
            RdbSnapshot snap = new RdbSnapshot(server.keyspace(), out, opt, () -> true, new AofFormat(cfg.aofTimestamps(), n -> server.commands().lookup(n.getBytes(StandardCharsets.US_ASCII)) != null));
            snap.writeHeader();
            snap.step(Long.MAX_VALUE);
            snap.writeTrailer(false);
            ch.force(true);
        }
        DurableFiles.commit(tmp, target);
    }

    // --- switching on and off -------------------------------------------------------------

    private void applyConfig() {
        if (!cfg.appendOnly() && state != State.OFF) {
            stop();
        } else if (cfg.appendOnly() && state == State.OFF) {
            start();
        }
    }

    /** Stops appending while the dataset is replaced (a module's RdbLoad); see {@link #resume}. */
    public void suspend() {
        if (state != State.OFF) {
            stop();
        }
    }

    /** Starts appending again after {@link #suspend} when appendonly is on: a fresh base of the new dataset. */
    public void resume() {
        applyConfig();
    }

    /** appendonly yes at runtime: write a base from the dataset, then append (startAppendOnly). */
    private void start() {
        if (manifest == null) {
            try {
                manifest = loadManifestOrUpgrade();
            } catch (IOException | AofManifest.BadManifest e) {
                manifest = new AofManifest();
            }
        }
        state = State.WAIT_REWRITE;
        server.propagation().addSink(this);
        server.replyBarrier(this);
        writeError = null;
        fsyncError = null;
        if (persistence.bgsaveInProgress()) {
            rewriteScheduled = true;
            ServerLog.get().notice("AOF was enabled but there is already another background operation. "
                    + "An AOF background was scheduled to start when possible.");
        } else if (!startRewrite()) {
            ServerLog.get().warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. "
                    + "Check the above logs for more info about the error.");
        }
    }

    /** appendonly no at runtime (stopAppendOnly). */
    private void stop() {
        flush(true);
        if (incr != null) {
            try {
                incr.force(false);
                incr.close();
            } catch (IOException e) {
                ServerLog.get().warning("Fail to fsync the AOF file: " + e.getMessage());
            }
        }
        incr = null;
        killRewrite();
        state = State.OFF;
        selectedDb = -1;
        rewriteScheduled = false;
        incrSize = 0;
        fsyncedSize = 0;
        buf.clear();
        fsyncGen++;
        fsyncedPending.set(0);
        fsyncedReplOff = -1;
        server.propagation().removeSink(this);
        if (server.replyBarrier() == this) {
            server.replyBarrier(null);
        }
        List<Runnable> go = new ArrayList<>(held);
        held.clear();
        go.forEach(Runnable::run);
        fsyncListeners.forEach(Runnable::run); // WAITAOF numlocal now fails
    }

    private void killRewrite() {
        if (rewrite != null) {
            ServerLog.get().notice("Killing running AOF rewrite child");
            rewrite.cancel();
            rewrite = null;
            cleanupTemps();
        }
    }

    private void cleanupTemps() {
        try {
            if (rewriteTmp != null) {
                Files.deleteIfExists(rewriteTmp);
            }
            if (tempIncr != null && state == State.WAIT_REWRITE) {
                if (incr != null) {
                    incr.close();
                    incr = null;
                }
                Files.deleteIfExists(tempIncr);
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    // --- rewrite ----------------------------------------------------------------------------

    /** BGREWRITEAOF: a status reply ("+...") or an error ("-..."). */
    public String bgrewriteCommand() {
        if (rewrite != null) {
            return "-ERR Background append only file rewriting already in progress";
        }
        if (persistence.bgsaveInProgress() || server.dispatcher().depth() > 1) {
            rewriteScheduled = true;
            return "+Background append only file rewriting scheduled";
        }
        return startRewrite() ? "+Background append only file rewriting started" : "-ERR";
    }

    /** Starts a background rewrite (rewriteAppendOnlyFileBackground); false when it cannot. */
    public boolean startRewrite() {
        rewriteScheduled = false;
        try {
            if (manifest == null) {
                manifest = loadManifestOrUpgrade();
            }
            Files.createDirectories(dir());
            flush(true);
            if (state == State.ON) {
                AofManifest next = manifest.copy();
                String name = next.newIncr(prefix());
                FileChannel ch = FileChannel.open(dir().resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                next.persist(dir(), prefix());
                ServerLog.get().notice("Creating AOF incr file " + name + " on background rewrite");
                if (incr != null) {
                    backgroundFsyncAndClose(incr);
                }
                incr = ch;
                manifest = next;
            } else if (state == State.WAIT_REWRITE) {
                // What is on disk counts from here, once the base is complete (rewriteDone).
                fsyncGen++;
                fsyncedPending.set(server.stats().masterReplOffset);
                fsyncedReplOff = 0;
                tempIncr = dir().resolve("temp-" + prefix() + ".incr");
                if (incr != null) {
                    incr.close();
                }
                incr = FileChannel.open(tempIncr, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                ServerLog.get().notice("Creating AOF incr file " + tempIncr.getFileName() + " on background rewrite");
            }
            incrSize = 0;
            fsyncedSize = 0;
            selectedDb = -1;
            // A name of its own per rewrite (as Redis's child pid): a killed rewrite's writer may
            // still be deleting its file while the next one starts.
            rewriteTmp = dir().resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + "-" + (++rewriteCounter) + ".aof");
            RdbSnapshot.Format format = cfg.aofUseRdbPreamble() ? null : new AofFormat(cfg.aofTimestamps(), n -> server.commands().lookup(n.getBytes(StandardCharsets.US_ASCII)) != null);
            rewriteStartMs = System.currentTimeMillis();
            BackgroundSave[] job = new BackgroundSave[1];
            rewrite = job[0] = new BackgroundSave(server, rewriteTmp, null, persistence.snapshotOptions(true), format,
                    cfg.compression(), cfg.checksum(), cfg::keySaveDelayMicros, "trellis-aof-rewrite",
                    err -> rewriteDone(job[0], err));
        } catch (IOException | AofManifest.BadManifest | RuntimeException e) {
            ServerLog.get().warning("Can't rewrite append only file in background: " + e.getMessage());
            lastRewriteOk = false;
            rewriteFailures++;
            return false;
        }
        ServerLog.get().notice("Background append only file rewriting started");
        persistence.fireSave(1); // AOF_START
        return true;
    }

    private void rewriteDone(BackgroundSave job, Exception err) {
        if (job != rewrite) {
            return; // killed (killRewrite cleaned up); a newer rewrite may be running meanwhile
        }
        rewrite = null;
        lastRewriteTimeSec = (System.currentTimeMillis() - rewriteStartMs) / 1000;
        if (job.cancelled()) {
            persistence.fireSave(4);
            return;
        }
        if (err != null) {
            persistence.fireSave(4);
            ServerLog.get().warning("Background AOF rewrite terminated with error: " + err.getMessage());
            lastRewriteOk = false;
            rewriteFailures++;
            cleanupTemps();
            return;
        }
        try {
            flush(true);
            AofManifest next = manifest.copy();
            String baseName = next.newBase(prefix(), cfg.aofUseRdbPreamble());
            Path basePath = dir().resolve(baseName);
            DurableFiles.commit(rewriteTmp, basePath);
            if (state == State.WAIT_REWRITE) {
                String incrName = next.newIncr(prefix());
                DurableFiles.commit(tempIncr, dir().resolve(incrName));
                tempIncr = null;
            }
            next.incrsBeforeLastToHistory(incr != null);
            next.persist(dir(), prefix());
            manifest = next;
            deleteHistory();
            baseSize = Files.size(basePath);
            currentSize = baseSize + incrSize;
            if (state == State.WAIT_REWRITE) {
                state = State.ON;
                takeFsyncedOffset();
            }
            lastRewriteOk = true;
            rewriteFailures = 0;
            rewrites++;
            ServerLog.get().notice("Background AOF rewrite terminated with success");
            ServerLog.get().notice("Background AOF rewrite finished successfully");
            persistence.fireSave(3);
        } catch (IOException | RuntimeException e) {
            persistence.fireSave(4);
            ServerLog.get().warning("Background AOF rewrite failed: " + e.getMessage());
            lastRewriteOk = false;
            rewriteFailures++;
            cleanupTemps();
        }
    }

    private void deleteHistory() throws IOException {
        if (manifest.history.isEmpty() || "yes".equals(server.config().find("aof-disable-auto-gc").get())) {
            return;
        }
        for (AofManifest.Entry e : manifest.history) {
            ServerLog.get().notice("Removing the history file " + e.name() + " in the background");
            Files.deleteIfExists(dir().resolve(e.name()));
        }
        manifest.history.clear();
        manifest.persist(dir(), prefix());
    }

    // --- DEBUG LOADAOF, SHUTDOWN, INFO ------------------------------------------------------

    /** DEBUG LOADAOF: empties the dataset and loads the AOF files again. */
    public String debugLoadAof() {
        if (state != State.OFF) {
            flush(true);
        }
        // As Redis (server.dirty = 0): the reload is not a change, so DEBUG LOADAOF is neither
        // appended nor counted; the dirty counter is put back when it is done.
        long dirtyBefore = server.stats().dirty;
        try {
            return reloadFiles();
        } finally {
            replaying = null;
            server.stats().dirty = dirtyBefore;
            persistence.afterLoad();
        }
    }

    private String reloadFiles() {
        for (int i = 0; i < server.keyspace().databases(); i++) {
            server.keyspace().db(i).clear();
        }
        try {
            AofManifest m = loadManifestOrUpgrade();
            if (state == State.OFF) {
                manifest = m;
            }
            AofLoader loader = new AofLoader(server, dir(), m, cfg.aofLoadTruncated());
            replaying = loader.client();
            persistence.loading().start(loader.totalSize, false, true);
            try {
                // key-load-delay spaces every key and command out, as in Redis's loading loops.
                long delay = cfg.keyLoadDelayMicros();
                while (!loader.step(delay > 0 ? 1 : Integer.MAX_VALUE)) {
                    if (delay > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(delay * 1000);
                    }
                }
            } finally {
                loader.close();
                persistence.loading().stop();
            }
        } catch (IOException | AofLoader.Failed | AofManifest.BadManifest | RuntimeException e) {
            return "ERR Error trying to load the AOF files, check server logs.";
        }
        persistence.afterLoad();
        ServerLog.get().notice("Append Only File loaded by DEBUG LOADAOF");
        return null;
    }

    /** Before exiting: write and sync what is buffered. */
    public String onShutdown() {
        if (state != State.OFF) {
            killRewrite();
            flush(true);
            if (incr != null) {
                try {
                    incr.force(false);
                } catch (IOException e) {
                    ServerLog.get().warning("Fail to fsync the AOF file: " + e.getMessage());
                }
            }
        }
        return null;
    }

    public void infoFields(Map<String, Object> f) {
        long now = System.currentTimeMillis();
        f.put("aof_enabled", state != State.OFF ? 1 : 0);
        f.put("aof_rewrite_in_progress", rewrite != null ? 1 : 0);
        f.put("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
        f.put("aof_last_rewrite_time_sec", lastRewriteTimeSec);
        f.put("aof_current_rewrite_time_sec", rewrite == null ? -1 : (now - rewriteStartMs) / 1000);
        f.put("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err");
        f.put("aof_rewrites", rewrites);
        f.put("aof_rewrites_consecutive_failures", rewriteFailures);
        f.put("aof_last_write_status", writeError == null && fsyncError == null ? "ok" : "err");
        f.put("aof_last_cow_size", 0);
    }

    /** The fields INFO adds while the AOF is on (after the fork fields). */
    public void infoEnabledFields(Map<String, Object> f) {
        if (state != State.OFF) {
            f.put("aof_current_size", currentSize);
            f.put("aof_base_size", baseSize);
            f.put("aof_pending_rewrite", rewriteScheduled ? 1 : 0);
            f.put("aof_buffer_length", buf.length());
            f.put("aof_pending_bio_fsync", fsyncPending ? 1 : 0);
            f.put("aof_delayed_fsync", delayedFsync);
        }
    }
}
