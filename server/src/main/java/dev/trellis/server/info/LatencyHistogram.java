package dev.trellis.server.info;

/**
 * A log-linear histogram of latencies in nanoseconds: 32 sub-buckets per power of two (about 3%
 * precision), enough for INFO latencystats percentiles without storing samples.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[64 * SUB];
    private long total;

    public void record(long nanos) {
        counts[index(Math.max(1, nanos))]++;
        total++;
    }

    private static int index(long v) {
        int exp = 63 - Long.numberOfLeadingZeros(v);
        if (exp < SUB_BITS) {
            return (int) v;
        }
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
        return (exp - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code i}. */
    private static long upperBound(int i) {
        int group = i / SUB;
        int sub = i % SUB;
        if (group == 0) {
            return sub;
        }
        int exp = group + SUB_BITS - 1;
        long base = (1L << exp) + ((long) sub << (exp - SUB_BITS));
        return base + (1L << (exp - SUB_BITS)) - 1;
    }

    public long count() {
        return total;
    }

    /** The value at {@code percentile} (0-100), in nanoseconds. */
    public long valueAt(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }

    /** How many recorded values are at most {@code nanos}. */
    public long countAtOrBelow(long nanos) {
        long n = 0;
        for (int i = 0; i < counts.length && upperBound(i) <= nanos; i++) {
            n += counts[i];
        }
        return n;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }
}
