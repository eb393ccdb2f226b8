package dev.trellis.server.client;

import dev.trellis.server.command.CommandError;
import java.nio.charset.StandardCharsets;

/** Strict number parsing with Redis's rules (string2ll / strtod checks). */
public final class Numbers {
    private Numbers() {
    }

    /** Parses a canonical signed 64-bit decimal, as Redis's string2ll; throws NOT_INTEGER. */
    public static long parseLong(byte[] b) {
        long v = parseLongOr(b, Long.MIN_VALUE, true);
        if (v == Long.MIN_VALUE && !isMinLong(b)) {
            throw CommandError.NOT_INTEGER;
        }
        return v;
    }

    private static boolean isMinLong(byte[] b) {
        return b.length == 20 && new String(b, StandardCharsets.US_ASCII).equals("-9223372036854775808");
    }

    /** True when {@code b} is a canonical long (the "int" string encoding test). */
    public static boolean isLong(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return false;
        }
        return parseLongOr(b, Long.MIN_VALUE, true) != Long.MIN_VALUE || isMinLong(b);
    }

    /** Parses or returns {@code fail}. No leading '+', spaces or zeros (except "0"). */
    public static long parseLongOr(byte[] b, long fail, boolean strict) {
        int n = b.length;
        if (n == 0 || n > 20) {
            return fail;
        }
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                return fail;
            }
        }
        if (b[i] == '0' && n > i + 1) {
            return fail;
        }
        if (b[i] == '0' && neg) {
            return fail; // "-0" is not canonical
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return fail;
            }
            // accumulate negatively to reach Long.MIN_VALUE
            if (v < (Long.MIN_VALUE + d) / 10) {
                return fail;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return fail;
            }
            return -v;
        }
        return v;
    }

    /** Parses a double as Redis's string2d: no spaces, no NaN; "inf"/"-inf" allowed. */
    public static double parseDouble(byte[] b) {
        double d = parseDoubleOr(b, Double.NaN);
        if (Double.isNaN(d)) {
            throw CommandError.NOT_FLOAT;
        }
        return d;
    }

    public static double parseDoubleOr(byte[] b, double fail) {
        if (b.length == 0 || b.length > 5000) {
            return fail;
        }
        if (Character.isWhitespace(b[0]) || Character.isWhitespace(b[b.length - 1])) {
            return fail;
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        String l = s.toLowerCase();
        switch (l) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
        }
        if (l.contains("n") || l.endsWith("d") || l.endsWith("f")) {
            return fail; // Java accepts "1d", "NaN", "Infinity" spellings C does not
        }
        if (l.startsWith("0x") || l.startsWith("-0x") || l.startsWith("+0x")) {
            return fail;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isNaN(d) ? fail : d;
        } catch (NumberFormatException e) {
            return fail;
        }
    }

    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
