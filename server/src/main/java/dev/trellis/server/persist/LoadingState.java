package dev.trellis.server.persist;

import java.util.Map;

/** Whether a dataset is loading, and how far along, for -LOADING replies and INFO persistence. */
public final class LoadingState {
    private boolean active;
    private long startMs;
    private long totalBytes;
    private volatile long loadedBytes;
    private boolean async;
    private boolean aofLoad;
    private Runnable onStart = () -> { };
    private Runnable onStop = () -> { };

    /** Hooks run when loading starts and stops (the keyspace pauses expiry meanwhile). */
    void hooks(Runnable start, Runnable stop) {
        this.onStart = start;
        this.onStop = stop;
    }

    private final java.util.List<java.util.function.IntConsumer> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Registers a callback told 0 when loading starts (1 for the AOF) and 3 when it ends (the
     * REDISMODULE_SUBEVENT_LOADING_* codes of module server events).
     */
    public void listen(java.util.function.IntConsumer l) {
        listeners.add(l);
    }

    public boolean active() {
        return active;
    }

    /** Told at each progress point of a load: whether it is the AOF's commands, and progress 0..1024 (-1: unknown). */
    public interface ProgressListener {
        void progress(boolean aof, int progress);
    }

    private final java.util.List<ProgressListener> progressListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long progressInterval = 2 * 1024 * 1024;
    private long progressMark;
    private long aofLoops;

    /** Registers a listener of progress points (module LoadingProgress events). */
    public void listenProgress(ProgressListener l) {
        progressListeners.add(l);
    }

    /** Bytes of RDB between two progress points (loading-process-events-interval-bytes). */
    void progressInterval(long bytes) {
        progressInterval = Math.max(1, bytes);
    }

    /**
     * An RDB reader is at {@code position}: a progress point each time it passes another
     * interval of bytes, as Redis's rdbLoadProgressCallback. Cheap when nobody listens.
     */
    public void rdbPosition(long position) {
        if (progressListeners.isEmpty() || !active) {
            return;
        }
        long mark = position / progressInterval;
        if (mark > progressMark) {
            progressMark = mark;
            fireProgress(false, position);
        }
    }

    /** The AOF loader runs a command: a progress point every 1024 commands, the first included (Redis's loop). */
    public void aofCommand(long position) {
        if (progressListeners.isEmpty() || !active) {
            return;
        }
        if (aofLoops++ % 1024 == 0) {
            fireProgress(true, position);
        }
    }

    private void fireProgress(boolean aof, long position) {
        loadedBytes = Math.max(loadedBytes, position);
        int progress = totalBytes > 0 ? (int) Math.min(1024, (loadedBytes << 10) / totalBytes) : -1;
        for (ProgressListener l : progressListeners) {
            l.progress(aof, progress);
        }
    }

    public void start(long totalBytes, boolean async) {
        start(totalBytes, async, false);
    }

    /** Loading starts; {@code aof}: from the append only files (module subevent 1, else 0). */
    public void start(long totalBytes, boolean async, boolean aof) {
        this.active = true;
        this.async = async;
        this.aofLoad = aof;
        this.startMs = System.currentTimeMillis();
        this.totalBytes = totalBytes;
        this.loadedBytes = 0;
        this.progressMark = 0;
        this.aofLoops = 0;
        onStart.run();
        int sub = aof ? 1 : 0;
        listeners.forEach(l -> l.accept(sub));
    }

    public void progress(long loaded) {
        loadedBytes = loaded;
        if (!aofLoad) {
            rdbPosition(loaded); // a pipelined RDB load reports its position only here
        }
    }

    public void stop() {
        if (active) {
            active = false;
            onStop.run();
            listeners.forEach(l -> l.accept(3));
        }
    }

    void info(Map<String, Object> f) {
        long now = System.currentTimeMillis();
        long loaded = loadedBytes;
        double perc = totalBytes == 0 ? 0 : 100.0 * loaded / totalBytes;
        long elapsed = Math.max(0, (now - startMs) / 1000);
        long eta = loaded == 0 ? 1 : (long) ((totalBytes - loaded) / (loaded / (elapsed + 1.0)));
        f.put("loading_start_time", startMs / 1000);
        f.put("loading_total_bytes", totalBytes);
        f.put("loading_rdb_used_mem", 0);
        f.put("loading_loaded_bytes", loaded);
        f.put("loading_loaded_perc", String.format(java.util.Locale.ROOT, "%.2f", perc));
        f.put("loading_eta_seconds", eta);
    }
}
