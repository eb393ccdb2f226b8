package dev.trellis.server.info;

import dev.trellis.server.Server;

/**
 * INFO persistence with the figures the server has before a persistence layer registers its
 * own section: nothing loading, no save running, changes counted since startup or last save.
 */
final class PersistenceSection implements InfoSection {
    private final Server server;

    PersistenceSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        ServerStats s = server.stats();
        InfoRegistry g = server.info();
        out.field("loading", g.gauge("loading"))
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_cow_size_age", 0)
                .fixed2("current_fork_perc", 0)
                .field("current_save_keys_processed", 0)
                .field("current_save_keys_total", 0)
                .field("rdb_changes_since_last_save", s.changesSinceLastSave())
                .field("rdb_bgsave_in_progress", g.gauge("rdb_bgsave_in_progress"))
                .field("rdb_last_save_time", s.lastSaveTimeMs / 1000)
                .field("rdb_last_bgsave_status", "ok")
                .field("rdb_last_bgsave_time_sec", -1)
                .field("rdb_current_bgsave_time_sec", -1)
                .field("rdb_saves", g.gauge("rdb_saves"))
                .field("rdb_last_cow_size", 0)
                .field("rdb_last_load_keys_expired", 0)
                .field("rdb_last_load_keys_loaded", 0)
                .field("aof_enabled", server.config().appendOnly ? 1 : 0)
                .field("aof_rewrite_in_progress", g.gauge("aof_rewrite_in_progress"))
                .field("aof_rewrite_scheduled", 0)
                .field("aof_last_rewrite_time_sec", -1)
                .field("aof_current_rewrite_time_sec", -1)
                .field("aof_last_bgrewrite_status", "ok")
                .field("aof_rewrites", 0)
                .field("aof_rewrites_consecutive_failures", 0)
                .field("aof_last_write_status", "ok")
                .field("aof_last_cow_size", 0)
                .field("module_fork_in_progress", 0)
                .field("module_fork_last_cow_size", 0);
    }
}
