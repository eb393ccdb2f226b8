package dev.trellis.server.types.zset;

import java.util.Arrays;

/**
 * A member interval as ZRANGEBYLEX takes it: "[a" inclusive, "(a" exclusive, "-" and "+" for
 * the smallest and largest possible strings. Members compare as unsigned bytes.
 */
public final class LexRange {
    /** Marker for "-": below every string. Compared by identity. */
    static final byte[] MIN = new byte[0];
    /** Marker for "+": above every string. Compared by identity. */
    static final byte[] MAX = new byte[0];

    private final byte[] min;
    private final boolean minExclusive;
    private final byte[] max;
    private final boolean maxExclusive;

    private LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxExclusive = maxExclusive;
    }

    /** Parses the two arguments; null when either is not a valid range item. */
    public static LexRange parse(byte[] min, byte[] max) {
        byte[] lo = item(min);
        byte[] hi = item(max);
        if (lo == null || hi == null) {
            return null;
        }
        return new LexRange(lo, exclusive(min), hi, exclusive(max));
    }

    /** A range built from values: null bounds mean unbounded. */
    public static LexRange of(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
        return new LexRange(min == null ? MIN : min, min == null || minExclusive,
                max == null ? MAX : max, max == null || maxExclusive);
    }

    private static byte[] item(byte[] a) {
        if (a.length == 0) {
            return null;
        }
        switch (a[0]) {
            case '+':
                return a.length == 1 || a[1] == 0 ? MAX : null;
            case '-':
                return a.length == 1 || a[1] == 0 ? MIN : null;
            case '(', '[':
                return Arrays.copyOfRange(a, 1, a.length);
            default:
                return null;
        }
    }

    private static boolean exclusive(byte[] a) {
        return a[0] != '[';
    }

    /** Compares a value or bound with a bound, with MIN and MAX as the infinities. */
    static int compare(byte[] a, byte[] b) {
        if (a == b) {
            return 0;
        }
        if (a == MIN || b == MAX) {
            return -1;
        }
        if (a == MAX || b == MIN) {
            return 1;
        }
        return Arrays.compareUnsigned(a, b);
    }

    public boolean aboveMin(byte[] v) {
        int c = compare(v, min);
        return minExclusive ? c > 0 : c >= 0;
    }

    public boolean belowMax(byte[] v) {
        int c = compare(v, max);
        return maxExclusive ? c < 0 : c <= 0;
    }

    public boolean contains(byte[] v) {
        return aboveMin(v) && belowMax(v);
    }

    /** True when no string can be inside. */
    public boolean isEmpty() {
        int c = compare(min, max);
        return c > 0 || (c == 0 && (minExclusive || maxExclusive));
    }
}
