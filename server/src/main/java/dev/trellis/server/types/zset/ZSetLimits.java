package dev.trellis.server.types.zset;

/**
 * When a sorted set leaves the compact listpack encoding: more than
 * {@code zset-max-listpack-entries} members, or a member longer than
 * {@code zset-max-listpack-value} bytes.
 */
public record ZSetLimits(long maxListpackEntries, long maxListpackValue) {
    /** Redis's defaults, 128 entries and 64 bytes. */
    public static final ZSetLimits DEFAULT = new ZSetLimits(128, 64);

    private static volatile ZSetLimits last = DEFAULT;

    /** The limits for these values, reusing the last instance when they did not change. */
    public static ZSetLimits of(long maxEntries, long maxValue) {
        ZSetLimits l = last;
        if (l.maxListpackEntries == maxEntries && l.maxListpackValue == maxValue) {
            return l;
        }
        l = new ZSetLimits(maxEntries, maxValue);
        last = l;
        return l;
    }

    /** True when {@code size} members, the longest {@code maxMemberLength} bytes, fit a listpack. */
    public boolean fitsListpack(long size, long maxMemberLength) {
        return size <= maxListpackEntries && maxMemberLength <= maxListpackValue;
    }
}
