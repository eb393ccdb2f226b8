package dev.trellis.server.types.zset;

/**
 * A score interval as ZRANGEBYSCORE takes it: each end inclusive or exclusive ("(1.5"),
 * "-inf"/"+inf" for open ends.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
    /** Everything. */
    public static final ScoreRange ALL = new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    /** Parses the two arguments; null when either is not a valid bound. */
    public static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        double lo = Strtod.parseRangeBound(min, minEx ? 1 : 0);
        double hi = Strtod.parseRangeBound(max, maxEx ? 1 : 0);
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return null;
        }
        return new ScoreRange(lo, minEx, hi, maxEx);
    }

    public boolean aboveMin(double v) {
        return minExclusive ? v > min : v >= min;
    }

    public boolean belowMax(double v) {
        return maxExclusive ? v < max : v <= max;
    }

    public boolean contains(double v) {
        return aboveMin(v) && belowMax(v);
    }

    /** True when no score can be inside. */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }
}
