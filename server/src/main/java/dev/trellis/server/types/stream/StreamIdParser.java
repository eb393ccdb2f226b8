package dev.trellis.server.types.stream;

/**
 * Parses stream IDs as clients write them, with Redis's exact acceptance rules: "ms-seq",
 * "ms" alone (the sequence then defaults to a caller-chosen value), "-" and "+" for the
 * smallest and largest IDs unless strict, and "ms-*" for XADD. Each part is read like C's
 * strtoull after a strict integer test (so " 5", "+5" and "-01" are accepted, "-1" is not),
 * the text stops at the first NUL byte, and anything longer than 127 bytes is invalid.
 */
public final class StreamIdParser {
    /** The one error every invalid ID gets. */
    public static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    /** An XADD ID: {@code seqGiven} is false for "ms-*", whose sequence is generated. */
    public record AddId(StreamId id, boolean seqGiven) {
    }

    private StreamIdParser() {
    }

    /**
     * The ID in {@code arg}, or null when invalid. {@code missingSeq} is the sequence of a
     * bare "ms" form; {@code strict} rejects "-" and "+".
     */
    public static StreamId parse(byte[] arg, long missingSeq, boolean strict) {
        return parse(arg, 0, arg.length, missingSeq, strict);
    }

    /** As {@link #parse(byte[], long, boolean)} over {@code arg[off, off+len)}. */
    public static StreamId parse(byte[] arg, int off, int len, long missingSeq, boolean strict) {
        if (len > 127) {
            return null;
        }
        int n = cLength(arg, off, len);
        if (n == 1 && (arg[off] == '-' || arg[off] == '+')) {
            if (strict) {
                return null;
            }
            return arg[off] == '-' ? StreamId.MIN : StreamId.MAX;
        }
        int dash = indexOf(arg, off, n, (byte) '-');
        int msEnd = dash < 0 ? off + n : dash;
        long[] out = new long[1];
        if (!parseUnsigned(arg, off, msEnd, out)) {
            return null;
        }
        long ms = out[0];
        long seq = missingSeq;
        if (dash >= 0) {
            if (!parseUnsigned(arg, dash + 1, off + n, out)) {
                return null;
            }
            seq = out[0];
        }
        return new StreamId(ms, seq);
    }

    /** The ID argument of XADD (strict, "ms-*" allowed), or null when invalid. */
    public static AddId parseAddId(byte[] arg) {
        int n = cLength(arg, 0, arg.length);
        if (arg.length <= 127 && n >= 2 && arg[n - 1] == '*' && arg[n - 2] == '-'
                && indexOf(arg, 0, n, (byte) '-') == n - 2) {
            long[] out = new long[1];
            if (!parseUnsigned(arg, 0, n - 2, out)) {
                return null;
            }
            return new AddId(new StreamId(out[0], 0), false);
        }
        StreamId id = parse(arg, 0, arg.length, 0, true);
        return id == null ? null : new AddId(id, true);
    }

    /** Length of the C string at {@code off}: up to the first NUL. */
    private static int cLength(byte[] a, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (a[off + i] == 0) {
                return i;
            }
        }
        return len;
    }

    private static int indexOf(byte[] a, int off, int n, byte b) {
        for (int i = off; i < off + n; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Redis's string2ull over {@code a[from, to)}: a strict decimal integer that must not be
     * negative, else what strtoull accepts (leading blanks, a sign, digits to the end, no
     * overflow; "-n" wraps modulo 2^64).
     */
    static boolean parseUnsigned(byte[] a, int from, int to, long[] out) {
        Boolean strict = strictLong(a, from, to, out);
        if (strict != null) {
            return strict;
        }
        int i = from;
        while (i < to && isSpace(a[i])) {
            i++;
        }
        boolean neg = false;
        if (i < to && (a[i] == '+' || a[i] == '-')) {
            neg = a[i] == '-';
            i++;
        }
        if (i >= to || a[i] < '0' || a[i] > '9') {
            return false;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            long t = v * 10;
            if (Long.compareUnsigned(t, -1L - d) > 0) {
                return false;
            }
            v = t + d;
        }
        out[0] = neg ? -v : v;
        return true;
    }

    /**
     * Redis's string2ll test: TRUE with the value when the text is a canonical signed 64-bit
     * integer that is not negative, FALSE when it is one that is negative, null otherwise.
     */
    private static Boolean strictLong(byte[] a, int from, int to, long[] out) {
        int n = to - from;
        if (n == 0 || n >= 21) {
            return null;
        }
        if (n == 1 && a[from] == '0') {
            out[0] = 0;
            return Boolean.TRUE;
        }
        int i = from;
        boolean neg = false;
        if (a[i] == '-') {
            neg = true;
            i++;
            if (i == to) {
                return null;
            }
        }
        if (a[i] < '1' || a[i] > '9') {
            return null;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            long t = v * 10;
            if (Long.compareUnsigned(t, -1L - d) > 0) {
                return null;
            }
            v = t + d;
        }
        if (neg) {
            // Fits a long when v <= 2^63; any negative value fails string2ull.
            return Long.compareUnsigned(v, Long.MIN_VALUE) <= 0 ? Boolean.FALSE : null;
        }
        if (v < 0) {
            return null;
        }
        out[0] = v;
        return Boolean.TRUE;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r';
    }
}
