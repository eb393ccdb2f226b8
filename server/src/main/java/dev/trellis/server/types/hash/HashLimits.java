package dev.trellis.server.types.hash;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigParam;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The hash thresholds of one server: {@code hash-max-listpack-entries} and
 * {@code hash-max-listpack-value}. A hash stays a listpack while it has at most that many fields
 * and no field or value longer than that; values follow CONFIG SET.
 */
public final class HashLimits {
    private static final Map<Config, HashLimits> BY_CONFIG = new WeakHashMap<>();

    private volatile long maxEntries;
    private volatile long maxValue;

    public HashLimits(long maxEntries, long maxValue) {
        this.maxEntries = maxEntries;
        this.maxValue = maxValue;
    }

    /** The limits of the server using {@code config}, kept in sync with CONFIG SET. */
    public static HashLimits of(Config config) {
        synchronized (BY_CONFIG) {
            HashLimits l = BY_CONFIG.get(config);
            if (l == null) {
                l = new HashLimits(param(config, "hash-max-listpack-entries", 512), param(config, "hash-max-listpack-value", 64));
                HashLimits bound = l;
                config.onChange("hash-max-listpack-entries", v -> bound.maxEntries = Long.parseLong(v));
                config.onChange("hash-max-listpack-value", v -> bound.maxValue = Long.parseLong(v));
                BY_CONFIG.put(config, l);
            }
            return l;
        }
    }

    private static long param(Config config, String name, long dflt) {
        ConfigParam p = config.find(name);
        return p == null ? dflt : Long.parseLong(p.get());
    }

    public long maxEntries() {
        return maxEntries;
    }

    public long maxValue() {
        return maxValue;
    }
}
