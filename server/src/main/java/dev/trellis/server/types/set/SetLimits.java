package dev.trellis.server.types.set;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigParam;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The set thresholds of one server: {@code set-max-intset-entries}, and (Redis 7.2)
 * {@code set-max-listpack-entries} / {@code set-max-listpack-value}. Values follow CONFIG SET.
 */
public final class SetLimits {
    private static final Map<Config, SetLimits> BY_CONFIG = new WeakHashMap<>();

    private volatile long maxIntsetEntries;
    private volatile long maxListpackEntries;
    private volatile long maxListpackValue;

    public SetLimits(long maxIntsetEntries, long maxListpackEntries, long maxListpackValue) {
        this.maxIntsetEntries = maxIntsetEntries;
        this.maxListpackEntries = maxListpackEntries;
        this.maxListpackValue = maxListpackValue;
    }

    /** The limits of the server using {@code config}, kept in sync with CONFIG SET. */
    public static SetLimits of(Config config) {
        synchronized (BY_CONFIG) {
            SetLimits l = BY_CONFIG.get(config);
            if (l == null) {
                l = new SetLimits(param(config, "set-max-intset-entries", 512),
                        param(config, "set-max-listpack-entries", 128), param(config, "set-max-listpack-value", 64));
                SetLimits bound = l;
                config.onChange("set-max-intset-entries", v -> bound.maxIntsetEntries = Long.parseLong(v));
                config.onChange("set-max-listpack-entries", v -> bound.maxListpackEntries = Long.parseLong(v));
                config.onChange("set-max-listpack-value", v -> bound.maxListpackValue = Long.parseLong(v));
                BY_CONFIG.put(config, l);
            }
            return l;
        }
    }

    private static long param(Config config, String name, long dflt) {
        ConfigParam p = config.find(name);
        return p == null ? dflt : Long.parseLong(p.get());
    }

    /** Entries an intset may hold (Redis caps this at 2^30 whatever the setting). */
    public long maxIntsetEntries() {
        return Math.min(maxIntsetEntries, 1L << 30);
    }

    public long maxListpackEntries() {
        return maxListpackEntries;
    }

    public long maxListpackValue() {
        return maxListpackValue;
    }
}
