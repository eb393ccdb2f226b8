package dev.trellis.server.persist.rdb;

/**
 * Parses the canonical decimal form of a 64-bit integer (no sign on zero, no leading zeros,
 * no spaces), as Redis's string2ll: only such strings may be stored integer-encoded, because
 * loading them back must give the same bytes.
 */
final class StrictLong {
    static final long INVALID = Long.MIN_VALUE;

    private StrictLong() {
    }

    /** The value, or {@link #INVALID} (Long.MIN_VALUE itself is never integer-encoded anyway). */
    static long parse(byte[] s, int off, int len) {
        if (len == 0 || len > 20) {
            return INVALID;
        }
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (s[i] == '-') {
            neg = true;
            i++;
            if (i == end) {
                return INVALID;
            }
        }
        if (s[i] == '0') {
            return (len == 1) ? 0 : INVALID;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return INVALID;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }
}
