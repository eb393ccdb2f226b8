package dev.trellis.server.persist.aof;

import dev.trellis.server.Server;
import dev.trellis.server.persist.Persistence;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The append-only file (multi-part AOF). */
public final class Aof {
    private final Server server;
    private final Persistence persistence;

    public Aof(Server server, Persistence persistence) {
        this.server = server;
        this.persistence = persistence;
    }

    public boolean rewriteInProgress() {
        return false;
    }

    /** The error that stops writes (the last failed write), or null. */
    public String writeError() {
        return null;
    }

    public void cron() {
    }

    public void loadAtStartup(CompletableFuture<Void> done) {
        done.complete(null);
    }

    /** Flushes and syncs before exiting; returns null or an error that stops the shutdown. */
    public String onShutdown() {
        return null;
    }

    public void infoFields(Map<String, Object> f) {
        f.put("aof_enabled", server.config().appendOnly ? 1 : 0);
        f.put("aof_rewrite_in_progress", 0);
        f.put("aof_rewrite_scheduled", 0);
        f.put("aof_last_rewrite_time_sec", -1);
        f.put("aof_current_rewrite_time_sec", -1);
        f.put("aof_last_bgrewrite_status", "ok");
        f.put("aof_rewrites", 0);
        f.put("aof_rewrites_consecutive_failures", 0);
        f.put("aof_last_write_status", "ok");
        f.put("aof_last_cow_size", 0);
    }
}
