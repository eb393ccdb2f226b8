package dev.trellis.server.persist;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.rdb.BackgroundSave;
import dev.trellis.server.persist.rdb.RdbException;
import dev.trellis.server.persist.rdb.RdbFiles;
import dev.trellis.server.persist.rdb.RdbInput;
import dev.trellis.server.persist.rdb.PipelinedRdbLoad;
import dev.trellis.server.persist.rdb.RdbLoader;
import dev.trellis.server.persist.rdb.RdbSnapshot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's persistence: RDB snapshots (SAVE, BGSAVE, save points, SHUTDOWN), loading at
 * startup, the AOF, and the state INFO persistence reports. One per server, created when the
 * persistence commands register; everything runs on the server thread.
 */
public final class Persistence {
    private static final Map<Server, Persistence> INSTANCES = new WeakHashMap<>();
    private static final long BGSAVE_RETRY_DELAY_MS = 5000;
    static final String MISCONF_RDB = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
            + "Commands that may modify the data set are disabled, because this instance is configured to report errors during writes "
            + "if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

    private final Server server;
    private final PersistConfig cfg;
    private final LoadingState loading = new LoadingState();

    // RDB state, named as INFO persistence names it.
    private long lastSaveMs = System.currentTimeMillis();
    // The server's start counts as the last save until one happens (as Redis's lastsave).
    private long dirtyAtLastSave;
    private long dirtyBeforeBgsave;
    private boolean lastBgsaveOk = true;
    /** The LOADING / MISCONF gate: switched on only while loading or after a failed save or AOF write. */
    private final Dispatcher.Hook gate;
    private long lastBgsaveTryMs;
    private long lastBgsaveTimeSec = -1;
    private long rdbSaves;
    private boolean bgsaveScheduled;
    private BackgroundSave bgsave;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    private int tempCounter;
    /** Function libraries read from a file, saved back as they came. */
    private List<byte[]> functions = new ArrayList<>();
    private dev.trellis.server.persist.aof.Aof aof;
    /** Stops the sliced load in progress (startup, DEBUG LOADAOF); null when none runs. */
    private Runnable abortLoad;
    /** Completed when the startup load ends (Main waits for it before "Ready to accept connections"). */
    private CompletableFuture<Void> startupDone;

    public Persistence(Server server) {
        this.server = server;
        this.cfg = new PersistConfig(server.config());
        synchronized (INSTANCES) {
            INSTANCES.put(server, this);
        }
        gate = server.dispatcher().addGate(new Gate());
        server.addCronTask(this::cron);
        server.addShutdownHook(this::onShutdown);
        server.addStartupTask(this::loadAtStartup);
        loading.hooks(() -> {
            server.keyspace().expiryPaused(true);
            diskStateChanged();
        }, () -> {
            server.keyspace().expiryPaused(false);
            diskStateChanged();
        });
        loading.progressInterval(cfg.loadingEventsIntervalBytes());
        server.config().onChange("loading-process-events-interval-bytes", v -> loading.progressInterval(Long.parseLong(v)));
        this.aof = new dev.trellis.server.persist.aof.Aof(server, this);
        diskStateChanged();
        server.info().register("persistence", "Persistence", dev.trellis.server.info.InfoRegistry.Kind.STANDARD, true, out -> {
            for (Map.Entry<String, Object> e : infoFields().entrySet()) {
                out.field(e.getKey(), String.valueOf(e.getValue()));
            }
        });
        server.info().gauge("loading", () -> loading.active() ? 1 : 0);
        server.info().gauge("rdb_bgsave_in_progress", () -> bgsave != null ? 1 : 0);
        server.info().gauge("rdb_saves", () -> rdbSaves);
        server.info().gauge("aof_rewrite_in_progress", () -> aof.rewriteInProgress() ? 1 : 0);
        server.debugSubcommand("reload", this::debugReloadCommand);
    }

    /**
     * After FLUSHALL, as Redis's flushAllDataAndResetRDB: a running background save is dropped
     * (its image is no longer the dataset) and, when save points are configured, the now empty
     * dataset is saved at once, so nothing counts as changed since the last save.
     */
    public void afterFlushAll() {
        killBgsave();
        if (!cfg.savePoints().isEmpty()) {
            saveSync();
        }
    }

    private void debugReloadCommand(Client c) {
        boolean flush = true;
        boolean save = true;
        boolean merge = false;
        for (int j = 2; j < c.argc; j++) {
            if (c.argIs(j, "merge")) {
                merge = true;
            } else if (c.argIs(j, "noflush")) {
                flush = false;
            } else if (c.argIs(j, "nosave")) {
                save = false;
            } else {
                throw dev.trellis.server.command.CommandError.of("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        String err = debugReload(save, flush, merge);
        if (err != null) {
            throw dev.trellis.server.command.CommandError.of(err);
        }
        c.reply().ok();
    }

    /** Records a successful save (our figures and the server's own). */
    private void saved(long dirtyThen, long whenMs) {
        dirtyAtLastSave = dirtyThen;
        lastSaveMs = whenMs;
        server.stats().dirtyAtLastSave = dirtyThen;
        server.stats().lastSaveTimeMs = whenMs;
    }

    /** The persistence of {@code server}, or null before it was created. */
    public static Persistence of(Server server) {
        synchronized (INSTANCES) {
            return INSTANCES.get(server);
        }
    }

    public Server server() {
        return server;
    }

    public PersistConfig config() {
        return cfg;
    }

    public LoadingState loading() {
        return loading;
    }

    public dev.trellis.server.persist.aof.Aof aof() {
        return aof;
    }

    public long lastSaveMs() {
        return lastSaveMs;
    }

    public long changesSinceLastSave() {
        return Math.max(0, server.stats().dirty - dirtyAtLastSave);
    }

    public boolean bgsaveInProgress() {
        return bgsave != null;
    }

    /** The function libraries' code, as FUNCTION2 records carry it. */
    public List<byte[]> functions() {
        return functionStore != null ? functionStore.codes() : functions;
    }

    /** Where function libraries live (the scripting package); without one, loaded code is kept as is. */
    public interface FunctionStore {
        List<byte[]> codes();

        /** A dataset was loaded: its libraries replace the current ones. */
        void replaceAll(List<byte[]> codes);

        /**
         * A dataset was loaded over the current one (DEBUG RELOAD NOFLUSH): with {@code replace}
         * (MERGE) its libraries replace those of the same name, otherwise an existing name fails
         * the load (RuntimeException).
         */
        void merge(List<byte[]> codes, boolean replace);
    }

    private FunctionStore functionStore;

    public void functionStore(FunctionStore s) {
        functionStore = s;
    }

    /** Options for a snapshot of the current keyspace. */
    public RdbSnapshot.Options snapshotOptions(boolean aofBase) {
        RdbSnapshot.Options o = new RdbSnapshot.Options();
        o.aofBase = aofBase;
        o.accessHints = cfg.accessHints();
        o.redisVersion = Server.REDIS_VERSION;
        Runtime rt = Runtime.getRuntime();
        o.usedMemory = rt.totalMemory() - rt.freeMemory();
        o.functions = functions();
        return o;
    }

    // --- SAVE / BGSAVE -----------------------------------------------------------------

    /** SAVE: writes the RDB file now, blocking the server. Returns null or an error to reply. */
    public String save() {
        if (bgsave != null) {
            return "ERR Background save already in progress";
        }
        rdbSaves++;
        return saveSync() ? null : "ERR";
    }

    private final java.util.List<java.util.function.IntConsumer> saveListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Registers a callback told about saves with the REDISMODULE_SUBEVENT_PERSISTENCE_* codes
     * (module server events): 0 background save started, 1 background AOF rewrite started,
     * 2 synchronous save started, 3 ended, 4 failed, 5 synchronous AOF base written at startup.
     */
    public void onSave(java.util.function.IntConsumer l) {
        saveListeners.add(l);
    }

    /** Tells the save listeners (AOF rewrites use 1 and 5, as Redis: background and synchronous start). */
    public void fireSave(int subevent) {
        saveListeners.forEach(l -> l.accept(subevent));
    }

    /** Saves synchronously and updates the save state; false on failure (logged). */
    public boolean saveSync() {
        fireSave(2);
        Path target = cfg.rdbFile();
        long dirty = server.stats().dirty;
        long delay = cfg.keySaveDelayMicros();
        try {
            RdbFiles.save(server.keyspace(), target, snapshotOptions(false), cfg.compression(), cfg.checksum(),
                    delay > 0 ? n -> sleepMicros(delay) : null);
        } catch (IOException | RuntimeException e) {
            ServerLog.get().warning("Failed opening the temp RDB file " + target.getFileName() + " (in server root dir "
                    + cfg.dir() + ") for saving: " + e.getMessage());
            bgsaveStatus(false);
            fireSave(4);
            return false;
        }
        ServerLog.get().notice("DB saved on disk");
        saved(dirty, System.currentTimeMillis());
        bgsaveStatus(true);
        fireSave(3);
        return true;
    }

    private static void sleepMicros(long us) {
        try {
            TimeUnit.MICROSECONDS.sleep(us);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** BGSAVE [SCHEDULE]: the status reply, or an error starting with its code. */
    public String bgsave(boolean schedule) {
        if (bgsave != null) {
            return "-ERR Background save already in progress";
        }
        if (aof.rewriteInProgress()) {
            if (schedule) {
                bgsaveScheduled = true;
                return "+Background saving scheduled";
            }
            return "-ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
        }
        return startBgsave() ? "+Background saving started" : "-ERR";
    }

    /** Starts a background save; false when it could not start (logged). */
    public boolean startBgsave() {
        lastBgsaveTryMs = System.currentTimeMillis();
        Path target = cfg.rdbFile();
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + (++tempCounter) + ".rdb");
        dirtyBeforeBgsave = server.stats().dirty;
        try {
            bgsave = new BackgroundSave(server, tmp, target, snapshotOptions(false), cfg.compression(), cfg.checksum(),
                    cfg::keySaveDelayMicros, "trellis-bgsave", this::bgsaveDone);
        } catch (IOException | RuntimeException e) {
            ServerLog.get().warning("Can't save in background: " + e.getMessage());
            bgsaveStatus(false);
            return false;
        }
        rdbSaves++;
        ServerLog.get().notice("Background saving started");
        fireSave(0);
        return true;
    }

    private void bgsaveDone(Exception err) {
        BackgroundSave job = bgsave;
        bgsave = null;
        long now = System.currentTimeMillis();
        lastBgsaveTimeSec = job == null ? -1 : (now - job.startedMs()) / 1000;
        if (err == null) {
            ServerLog.get().notice("Background saving terminated with success");
            saved(dirtyBeforeBgsave, now);
            bgsaveStatus(true);
            fireSave(3);
        } else if (job != null && job.cancelled()) {
            // Killed on purpose (FLUSHALL, SHUTDOWN, DEBUG RELOAD): as a child killed with
            // SIGUSR1 in Redis, this is not a failure that stops writes.
            ServerLog.get().warning("Background saving terminated by signal 10");
            fireSave(4);
        } else {
            ServerLog.get().warning("Background saving error: " + err.getMessage());
            bgsaveStatus(false);
            fireSave(4);
        }
    }

    /** Stops a running background save (FLUSHALL, SHUTDOWN, DEBUG RELOAD). */
    public void killBgsave() {
        if (bgsave != null) {
            bgsave.cancel();
        }
    }

    // --- cron ----------------------------------------------------------------------------

    private void cron() {
        aof.cron();
        diskStateChanged(); // switches the gate off again once an AOF error has cleared
        if (loading.active()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (bgsave == null && !aof.rewriteInProgress()) {
            long dirty = changesSinceLastSave();
            for (long[] sp : cfg.savePoints()) {
                if (dirty >= sp[1] && (now - lastSaveMs) / 1000 > sp[0]
                        && (now - lastBgsaveTryMs > BGSAVE_RETRY_DELAY_MS || lastBgsaveOk)) {
                    ServerLog.get().notice(sp[1] + " changes in " + sp[0] + " seconds. Saving...");
                    startBgsave();
                    break;
                }
            }
        }
        if (bgsave == null && !aof.rewriteInProgress() && bgsaveScheduled
                && (now - lastBgsaveTryMs > BGSAVE_RETRY_DELAY_MS || lastBgsaveOk)) {
            if (startBgsave()) {
                bgsaveScheduled = false;
            }
        }
    }

    // --- startup loading -------------------------------------------------------------------

    private void loadAtStartup() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        startupDone = done;
        try {
            if (cfg.appendOnly()) {
                aof.loadAtStartup(done);
                return;
            }
            Path file = cfg.rdbFile();
            if (!Files.exists(file)) {
                done.complete(null);
                return;
            }
            startLoadingRdb(file, done);
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
        } finally {
            server.addStartupBarrier(done);
        }
    }

    private void startLoadingRdb(Path file, CompletableFuture<Void> done) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        long size = ch.size();
        RdbFiles.KeyspaceTarget target = new RdbFiles.KeyspaceTarget(server.keyspace(), false);
        RdbInput in = RdbInput.of(ch, 0, size);
        int databases = server.keyspace().databases();
        // Decoding on a second thread unless module callbacks may run (they belong on the
        // server thread). With key-load-delay the server thread takes one key per delayed step.
        boolean pipelined = !dev.trellis.server.persist.rdb.ModuleTypes.all().iterator().hasNext();
        PipelinedRdbLoad pipe = pipelined ? new PipelinedRdbLoad(in, databases, target, cfg.checksum(), true) : null;
        RdbLoader loader = pipelined ? pipe.loader() : new RdbLoader(in, databases, target, cfg.checksum(), true);
        loader.context().config = server.config();
        if (!pipelined) {
            loader.onProgress(loading::rdbPosition);
        }
        long t0 = System.nanoTime();
        loading.start(size, false);
        Runnable finish = () -> {
            abortLoad = null;
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only channel
            }
            loading.stop();
            functions(target.functions);
            lastLoadKeysLoaded = loader.keysLoaded;
            lastLoadKeysExpired = loader.keysExpired;
            ServerLog.get().notice("Done loading RDB, keys loaded: " + loader.keysLoaded + ", keys expired: " + loader.keysExpired + ".");
            ServerLog.get().notice(String.format(java.util.Locale.ROOT, "DB loaded from disk: %.3f seconds", (System.nanoTime() - t0) / 1e9));
            done.complete(null);
        };
        java.util.function.Consumer<Exception> failed = err -> {
            abortLoad = null;
            if (pipe != null) {
                pipe.cancel();
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only channel
            }
            loading.stop();
            logLoadFailure(err);
            done.completeExceptionally(err);
        };
        SlicedLoad sliced = pipe != null
                ? new SlicedLoad(server, loading, cfg.keyLoadDelayMicros(), pipe::step, pipe::position, finish, failed)
                : new SlicedLoad(server, loading, cfg.keyLoadDelayMicros(), max -> {
                    if (loader.version() == 0) {
                        loader.header();
                    }
                    return loader.step(max);
                }, () -> loader.input().position(), finish, failed);
        abortLoad = () -> {
            sliced.cancel();
            if (pipe != null) {
                pipe.cancel();
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only channel
            }
        };
        if (pipe != null) {
            pipe.start();
        }
        sliced.start();
    }

    /** Logs why a file could not be loaded, as Redis does before it exits. */
    public static void logLoadFailure(Throwable err) {
        ServerLog log = ServerLog.get();
        if (err instanceof RdbException re) {
            if (re.isShortRead()) {
                log.warning("Short read or OOM loading DB. Unrecoverable error, aborting now.");
            }
            log.warning("Internal error in RDB reading: " + re.getMessage());
            log.warning("Terminating server after rdb file reading failure.");
        } else {
            log.warning("Fatal error loading the DB: " + err.getMessage() + ". Exiting.");
        }
    }

    /**
     * DEBUG RELOAD: saves (unless NOSAVE), empties the keyspace (unless MERGE) and loads the file.
     * Returns null or the error to reply.
     */
    public String debugReload(boolean save, boolean flush, boolean merge) {
        if (save && !saveSync()) {
            return "ERR";
        }
        if (flush) {
            for (int i = 0; i < server.keyspace().databases(); i++) {
                server.keyspace().db(i).clear();
            }
        }
        Path file = cfg.rdbFile();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            loading.start(ch.size(), false);
            RdbLoader l = RdbFiles.load(RdbInput.of(ch, 0, ch.size()), server.keyspace(), server.config(), cfg.checksum(), true,
                    merge, loading::rdbPosition);
            if (flush) {
                functions(l.functions);
            } else if (functionStore != null) {
                functionStore.merge(l.functions, merge);
            }
            lastLoadKeysLoaded = l.keysLoaded;
            lastLoadKeysExpired = l.keysExpired;
        } catch (NoSuchFileException e) {
            return "ERR Error trying to load the RDB dump, check server logs.";
        } catch (IOException | RuntimeException e) {
            logLoadFailure(e);
            return "ERR Error trying to load the RDB dump, check server logs.";
        } finally {
            loading.stop();
        }
        ServerLog.get().notice("DB reloaded by DEBUG RELOAD");
        return null;
    }

    // --- module RDB streams (RedisModule_RdbSave / RdbLoad) ------------------------------

    /** Saves the dataset to {@code file} (relative to dir); false on failure (logged). */
    public boolean saveTo(Path file) {
        Path target = cfg.dir().resolve(file);
        try {
            RdbFiles.save(server.keyspace(), target, snapshotOptions(false), cfg.compression(), cfg.checksum(), null);
            return true;
        } catch (IOException | RuntimeException e) {
            ServerLog.get().warning("Failed saving the DB to " + target + ": " + e.getMessage());
            return false;
        }
    }

    /** The outcome of {@link #loadFrom}. */
    public enum LoadResult { OK, NOT_FOUND, FAILED }

    /**
     * Replaces the dataset with {@code file} (relative to dir), as Redis's RM_RdbLoad: a running
     * background save or AOF rewrite is dropped (it saves data that is going away), appending
     * stops and starts again afterwards on a fresh base, the dataset is emptied, then loaded.
     */
    public LoadResult loadFrom(Path file) {
        Path source = cfg.dir().resolve(file);
        if (!Files.exists(source)) {
            return LoadResult.NOT_FOUND;
        }
        aof.suspend();
        killBgsave();
        try {
            for (int i = 0; i < server.keyspace().databases(); i++) {
                server.keyspace().db(i).clear();
            }
            try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
                loading.start(ch.size(), false);
                RdbLoader l = RdbFiles.load(RdbInput.of(ch, 0, ch.size()), server.keyspace(), server.config(), cfg.checksum(),
                        true, false, loading::rdbPosition);
                functions(l.functions);
                lastLoadKeysLoaded = l.keysLoaded;
                lastLoadKeysExpired = l.keysExpired;
            } catch (NoSuchFileException e) {
                return LoadResult.NOT_FOUND;
            } catch (IOException | RuntimeException e) {
                logLoadFailure(e);
                return LoadResult.FAILED;
            } finally {
                loading.stop();
            }
            return LoadResult.OK;
        } finally {
            aof.resume();
        }
    }

    // --- shutdown ------------------------------------------------------------------------

    private String onShutdown(boolean save, boolean nosave) {
        killBgsave();
        String aofErr = aof.onShutdown();
        if (aofErr != null) {
            return aofErr;
        }
        if (loading.active() || abortLoad != null) {
            // As Redis: a half-loaded dataset is never saved (it would replace the file being
            // loaded); the load stops here so the server exits now rather than after it.
            abortLoadForShutdown();
            return null;
        }
        if (nosave || (!save && cfg.savePoints().isEmpty())) {
            return null;
        }
        ServerLog.get().notice("Saving the final RDB snapshot before exiting.");
        if (!saveSync()) {
            ServerLog.get().warning("Error trying to save the DB, can't exit.");
            return "ERR Errors trying to SHUTDOWN. Check logs.";
        }
        return null;
    }

    // --- command gate ----------------------------------------------------------------------

    /** -LOADING while a dataset loads; -MISCONF for writes when persisting failed. */
    private void bgsaveStatus(boolean ok) {
        lastBgsaveOk = ok;
        diskStateChanged();
    }

    /**
     * Switches the LOADING / MISCONF gate on while it may refuse commands (loading, a failed
     * save, an AOF write or fsync error) and off otherwise; called wherever one of those changes.
     */
    public void diskStateChanged() {
        gate.enabled(loading.active() || !lastBgsaveOk || aof.writeError() != null);
    }

    private final class Gate implements Dispatcher.Gate {
        @Override
        public boolean intercept(Client c, Command cmd) {
            if (loading.active() && !cmd.has(CommandFlags.LOADING) && !c.isInternal()) {
                c.reply().error("LOADING Redis is loading the dataset in memory");
                return true;
            }
            if (!lastBgsaveOk || aof.writeError() != null) {
                boolean write = cmd.has(CommandFlags.WRITE) || cmd.name().equals("ping") && cmd.parent() == null;
                if (write && !c.isInternal()) {
                    String err = diskError();
                    if (err != null) {
                        c.reply().error(err);
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The MISCONF error writes get now, or null (Redis's writeCommandsDeniedByDiskError). */
    public String diskError() {
        if (!lastBgsaveOk && cfg.stopWritesOnBgsaveError() && !cfg.savePoints().isEmpty()) {
            return MISCONF_RDB;
        }
        String aofErr = aof.writeError();
        if (aofErr != null) {
            return "MISCONF Errors writing to the AOF file: " + aofErr;
        }
        return null;
    }

    // --- INFO ------------------------------------------------------------------------------

    /** The fields of INFO persistence, in Redis's order. */
    public Map<String, Object> infoFields() {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        long now = System.currentTimeMillis();
        f.put("loading", loading.active() ? 1 : 0);
        f.put("async_loading", 0);
        f.put("current_cow_peak", 0);
        f.put("current_cow_size", 0);
        f.put("current_cow_size_age", 0);
        f.put("current_fork_perc", bgsave == null || bgsave.totalKeys() == 0 ? "0.00"
                : String.format(java.util.Locale.ROOT, "%.2f", 100.0 * bgsave.keysWritten() / bgsave.totalKeys()));
        f.put("current_save_keys_processed", bgsave == null ? 0 : bgsave.keysWritten());
        f.put("current_save_keys_total", bgsave == null ? 0 : bgsave.totalKeys());
        f.put("rdb_changes_since_last_save", changesSinceLastSave());
        f.put("rdb_bgsave_in_progress", bgsave != null ? 1 : 0);
        f.put("rdb_last_save_time", lastSaveMs / 1000);
        f.put("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        f.put("rdb_last_bgsave_time_sec", lastBgsaveTimeSec);
        f.put("rdb_current_bgsave_time_sec", bgsave == null ? -1 : (now - bgsave.startedMs()) / 1000);
        f.put("rdb_saves", rdbSaves);
        f.put("rdb_last_cow_size", 0);
        f.put("rdb_last_load_keys_expired", lastLoadKeysExpired);
        f.put("rdb_last_load_keys_loaded", lastLoadKeysLoaded);
        aof.infoFields(f);
        f.put("module_fork_in_progress", 0);
        f.put("module_fork_last_cow_size", 0);
        aof.infoEnabledFields(f);
        if (loading.active()) {
            loading.info(f);
        }
        return f;
    }

    /** INFO persistence as text lines ("name:value\r\n"). */
    public String infoText() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : infoFields().entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * Runs a loader in slices on the server thread (see {@link SlicedLoad}). {@code onAbort}
     * releases what the loader holds when the server shuts down before it is done.
     */
    public void runSliced(Stepper step, java.util.function.LongSupplier position, Runnable onDone,
                          java.util.function.Consumer<Exception> onError, Runnable onAbort) {
        SlicedLoad sliced = new SlicedLoad(server, loading, cfg.keyLoadDelayMicros(), step::step, position, () -> {
            abortLoad = null;
            onDone.run();
        }, err -> {
            abortLoad = null;
            onError.accept(err);
        });
        abortLoad = () -> {
            sliced.cancel();
            onAbort.run();
        };
        sliced.start();
    }

    /**
     * Shutdown while loading: stops the load (its decoder thread too) and lets the startup
     * waiter go once the shutdown has been decided, so the process exits instead of loading on.
     */
    private void abortLoadForShutdown() {
        Runnable abort = abortLoad;
        abortLoad = null;
        if (abort != null) {
            abort.run();
        }
        if (loading.active()) {
            loading.stop();
        }
        ServerLog.get().warning("Loading aborted: the server is shutting down.");
        CompletableFuture<Void> done = startupDone;
        if (done != null && !done.isDone()) {
            // Completed after the shutdown call returns (the server is then marked as shutting
            // down), so Main, which waits for it, does not announce a ready server.
            try {
                server.execute(() -> done.complete(null));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.complete(null);
            }
        }
    }

    /** One step of a loader: at most {@code maxItems} keys or commands; true when done. */
    public interface Stepper {
        boolean step(int maxItems) throws Exception;
    }

    /** After a dataset was loaded: nothing counts as changed since the last save. */
    public void afterLoad() {
        saved(server.stats().dirty, lastSaveMs);
    }

    void loadedCounts(long loaded, long expired) {
        lastLoadKeysLoaded = loaded;
        lastLoadKeysExpired = expired;
    }

    /** Called by the AOF after it loaded a base: the functions it carried are kept. */
    public void functions(List<byte[]> f) {
        if (functionStore != null) {
            functionStore.replaceAll(f);
        } else {
            functions = f;
        }
    }
}
