package dev.trellis.server.types.list;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigParam;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The list size thresholds of one server: {@code list-max-listpack-size} (the "fill": a negative
 * value selects a byte limit per node, 4kb to 64kb; a positive one an entry count) and
 * {@code list-compress-depth} (accepted; nodes are not compressed). Values follow CONFIG SET.
 */
public final class ListLimits {
    /** Byte limits selected by fill -1..-5. */
    private static final int[] SIZE_LEVELS = {4096, 8192, 16384, 32768, 65536};
    /** Limit on node bytes when the fill is a count (and the "large element" size). */
    static final int SAFETY_LIMIT = 8192;
    /** Estimated per-entry overhead Redis adds when checking whether an entry fits a node. */
    static final int ENTRY_OVERHEAD = 8;

    private static final Map<Config, ListLimits> BY_CONFIG = new WeakHashMap<>();

    private volatile int fill;
    private volatile int compressDepth;

    /** Limits with explicit values (tests, tools). */
    public ListLimits(int fill, int compressDepth) {
        this.fill = fill;
        this.compressDepth = compressDepth;
    }

    /** The limits of the server using {@code config}, created once and kept in sync with it. */
    public static ListLimits of(Config config) {
        synchronized (BY_CONFIG) {
            ListLimits l = BY_CONFIG.get(config);
            if (l == null) {
                l = new ListLimits(intParam(config, "list-max-listpack-size", -2), intParam(config, "list-compress-depth", 0));
                ListLimits bound = l;
                config.onChange("list-max-listpack-size", v -> bound.fill = Integer.parseInt(v));
                config.onChange("list-compress-depth", v -> bound.compressDepth = Integer.parseInt(v));
                BY_CONFIG.put(config, l);
            }
            return l;
        }
    }

    static int intParam(Config config, String name, int dflt) {
        ConfigParam p = config.find(name);
        return p == null ? dflt : Integer.parseInt(p.get());
    }

    public int fill() {
        return fill;
    }

    public int compressDepth() {
        return compressDepth;
    }

    /** Byte limit of a node, or {@link Long#MAX_VALUE} when the fill counts entries. */
    long sizeLimit() {
        int f = fill;
        return f >= 0 ? Long.MAX_VALUE : SIZE_LEVELS[Math.min(-f - 1, SIZE_LEVELS.length - 1)];
    }

    /** Entry limit of a node, or {@link Long#MAX_VALUE} when the fill is a byte size. */
    long countLimit() {
        int f = fill;
        return f < 0 ? Long.MAX_VALUE : (f == 0 ? 1 : f);
    }

    /** True when a node of {@code bytes} bytes and {@code count} entries is over the limit. */
    boolean exceeds(long bytes, long count) {
        int f = fill;
        if (f < 0) {
            return bytes > sizeLimit();
        }
        return bytes > SAFETY_LIMIT || count > countLimit();
    }

    /** True when an element of {@code len} bytes gets a node of its own. */
    boolean isLarge(long len) {
        int f = fill;
        return f >= 0 ? len > SAFETY_LIMIT : len > sizeLimit();
    }
}
