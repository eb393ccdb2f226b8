package dev.trellis.server.persist;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigParam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The persistence settings, read from the server configuration when needed (CONFIG SET applies at once). */
public final class PersistConfig {
    private final Config config;

    public PersistConfig(Config config) {
        this.config = config;
    }

    private String get(String name, String fallback) {
        ConfigParam p = config.find(name);
        return p == null ? fallback : p.get();
    }

    private boolean yes(String name, boolean fallback) {
        return get(name, fallback ? "yes" : "no").equals("yes");
    }

    private long num(String name, long fallback) {
        try {
            return Long.parseLong(get(name, Long.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The working directory files are relative to. */
    public Path dir() {
        return Path.of(config.dir.isEmpty() ? "" : config.dir).toAbsolutePath();
    }

    public Path rdbFile() {
        return dir().resolve(config.dbFilename);
    }

    public boolean compression() {
        return yes("rdbcompression", true);
    }

    public boolean checksum() {
        return yes("rdbchecksum", true);
    }

    public boolean stopWritesOnBgsaveError() {
        return yes("stop-writes-on-bgsave-error", true);
    }

    public long keySaveDelayMicros() {
        return num("rdb-key-save-delay", 0);
    }

    /** Bytes of RDB between two loading progress points (module LoadingProgress events). */
    public long loadingEventsIntervalBytes() {
        return num("loading-process-events-interval-bytes", 2 * 1024 * 1024);
    }

    public long keyLoadDelayMicros() {
        return num("key-load-delay", 0);
    }

    /** The save points: pairs of (seconds, changes). */
    public List<long[]> savePoints() {
        List<long[]> out = new ArrayList<>();
        String[] w = config.save.trim().split("\\s+");
        for (int i = 0; i + 1 < w.length; i += 2) {
            try {
                out.add(new long[] {Long.parseLong(w[i]), Long.parseLong(w[i + 1])});
            } catch (NumberFormatException ignored) {
                // validated when set
            }
        }
        return out;
    }

    public boolean appendOnly() {
        return config.appendOnly;
    }

    public String appendDirName() {
        return get("appenddirname", "appendonlydir");
    }

    public String appendFilename() {
        return get("appendfilename", "appendonly.aof");
    }

    public String appendFsync() {
        return get("appendfsync", "everysec");
    }

    public boolean aofLoadTruncated() {
        return yes("aof-load-truncated", true);
    }

    public boolean aofUseRdbPreamble() {
        return yes("aof-use-rdb-preamble", true);
    }

    public boolean aofTimestamps() {
        return yes("aof-timestamp-enabled", false);
    }

    public long autoAofRewritePercentage() {
        return num("auto-aof-rewrite-percentage", 100);
    }

    public long autoAofRewriteMinSize() {
        return num("auto-aof-rewrite-min-size", 64L * 1024 * 1024);
    }

    public boolean noAppendfsyncOnRewrite() {
        return yes("no-appendfsync-on-rewrite", false);
    }

    /** "lru", "lfu" or null: which per-key access hint files carry (from maxmemory-policy). */
    public String accessHints() {
        String p = config.maxmemoryPolicy;
        if (p.contains("lru")) {
            return "lru";
        }
        if (p.contains("lfu")) {
            return "lfu";
        }
        return null;
    }

    /** sanitize-dump-payload: "no", "yes" or "clients". */
    public String sanitizeDumpPayload() {
        return get("sanitize-dump-payload", "no");
    }

    public int databases() {
        return config.databases;
    }

    public Config raw() {
        return config;
    }
}
