package dev.trellis.server.types.zset;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} over bytes, which is what Redis parses scores, weights, ranges and
 * coordinates with: optional leading white space and sign, decimal or hexadecimal
 * ({@code 0x1.8p3}) numbers, {@code inf}/{@code infinity}/{@code nan}. Two callers' rules sit on
 * top: {@link #parseStrict} is Redis's getDoubleFromObject (whole string, no leading space, no
 * NaN, no overflow or underflow to zero), {@link #parseRangeBound} is zslParseRange's (stops at
 * a NUL, accepts the empty string as 0).
 */
public final class Strtod {
    private Strtod() {
    }

    /**
     * Parses a number starting at {@code off}. Returns the index just past what was consumed
     * ({@code off} when nothing was) and stores the value in {@code out[0]}; {@code out[1]} is
     * set to 1 when the value overflowed or underflowed to zero (C's ERANGE cases Redis rejects).
     */
    public static int parse(byte[] b, int off, double[] out) {
        out[0] = 0;
        out[1] = 0;
        int n = b.length;
        int i = off;
        while (i < n && isSpace(b[i])) {
            i++;
        }
        boolean neg = false;
        if (i < n && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        int special = matchWord(b, i, "infinity");
        if (special < 0) {
            special = matchWord(b, i, "inf");
        }
        if (special >= 0) {
            out[0] = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return special;
        }
        special = matchWord(b, i, "nan");
        if (special >= 0) {
            out[0] = Double.NaN;
            int j = special;
            if (j < n && b[j] == '(') {
                int k = j + 1;
                while (k < n && (isAlnum(b[k]) || b[k] == '_')) {
                    k++;
                }
                if (k < n && b[k] == ')') {
                    j = k + 1;
                }
            }
            return j;
        }
        if (i + 1 < n && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            int end = hexEnd(b, i + 2);
            if (end > 0) {
                return finishHex(b, i + 2, end, neg, out);
            }
            // "0x" without hex digits is the number 0 followed by "x".
            out[0] = neg ? -0.0 : 0.0;
            return i + 1;
        }
        int start = i;
        int digits = 0;
        boolean nonZero = false;
        while (i < n && isDigit(b[i])) {
            nonZero |= b[i] != '0';
            i++;
            digits++;
        }
        if (i < n && b[i] == '.') {
            i++;
            while (i < n && isDigit(b[i])) {
                nonZero |= b[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return off;
        }
        int mantEnd = i;
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            int j = i + 1;
            if (j < n && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            if (j < n && isDigit(b[j])) {
                while (j < n && isDigit(b[j])) {
                    j++;
                }
                i = j;
            }
        }
        String text = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        if (mantEnd != i) {
            text = clampExponent(text, mantEnd - start);
        }
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v) || (v == 0 && nonZero)) {
            out[1] = 1;
        }
        out[0] = neg ? -v : v;
        return i;
    }

    /**
     * getDoubleFromObject: the whole value must be a number, without leading white space, not
     * NaN, and not out of range. Returns NaN when it is not.
     */
    public static double parseStrict(byte[] b) {
        if (b.length == 0 || isSpace(b[0])) {
            return Double.NaN;
        }
        if (b.length <= 15) {
            // Fast path for small integers, the common case of scores.
            int i = b[0] == '-' ? 1 : 0;
            long v = 0;
            boolean plain = i < b.length;
            for (int k = i; k < b.length && plain; k++) {
                int d = b[k] - '0';
                if (d < 0 || d > 9) {
                    plain = false;
                } else {
                    v = v * 10 + d;
                }
            }
            if (plain) {
                return i == 1 ? -(double) v : (double) v;
            }
        }
        double[] out = new double[2];
        int end = parse(b, 0, out);
        if (end != b.length || out[1] != 0) {
            return Double.NaN;
        }
        return out[0];
    }

    /**
     * One end of a score range, from {@code off}: consumed up to the end or a NUL byte (the
     * empty string reads as 0), and not NaN. Returns NaN when invalid.
     */
    public static double parseRangeBound(byte[] b, int off) {
        double[] out = new double[2];
        int end = parse(b, off, out);
        if (end < b.length && b[end] != 0) {
            return Double.NaN;
        }
        return out[0];
    }

    private static int finishHex(byte[] b, int digitsStart, int end, boolean neg, double[] out) {
        String text = new String(b, digitsStart, end - digitsStart, StandardCharsets.ISO_8859_1);
        int p = Math.max(text.indexOf('p'), text.indexOf('P'));
        String mant = p < 0 ? text : text.substring(0, p);
        String exp = p < 0 ? "0" : text.substring(p + 1);
        if (mant.equals(".")) {
            return digitsStart - 1;
        }
        exp = clampExponent("0e" + exp, 1).substring(2);
        double v = Double.parseDouble("0x" + (mant.endsWith(".") ? mant + "0" : mant) + "p" + exp);
        boolean nonZero = false;
        for (int k = 0; k < mant.length(); k++) {
            char ch = mant.charAt(k);
            nonZero |= ch != '0' && ch != '.';
        }
        if (Double.isInfinite(v) || (v == 0 && nonZero)) {
            out[1] = 1;
        }
        out[0] = neg ? -v : v;
        return end;
    }

    /** End of "hexdigits[.hexdigits][p[+-]digits]" from {@code i}, or -1 without a hex digit. */
    private static int hexEnd(byte[] b, int i) {
        int n = b.length;
        int digits = 0;
        while (i < n && isHex(b[i])) {
            i++;
            digits++;
        }
        if (i < n && b[i] == '.') {
            int j = i + 1;
            while (j < n && isHex(b[j])) {
                j++;
                digits++;
            }
            if (digits > 0) {
                i = j;
            }
        }
        if (digits == 0) {
            return -1;
        }
        if (i < n && (b[i] == 'p' || b[i] == 'P')) {
            int j = i + 1;
            if (j < n && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            if (j < n && isDigit(b[j])) {
                while (j < n && isDigit(b[j])) {
                    j++;
                }
                i = j;
            }
        }
        return i;
    }

    /** Keeps an exponent within what Double.parseDouble accepts without changing the value. */
    private static String clampExponent(String text, int mantLen) {
        String mant = text.substring(0, mantLen);
        String exp = text.substring(mantLen + 1);
        boolean negExp = exp.startsWith("-");
        String digits = exp.startsWith("-") || exp.startsWith("+") ? exp.substring(1) : exp;
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        digits = digits.substring(k);
        if (digits.length() > 9) {
            digits = "999999999";
        }
        return mant + "e" + (negExp ? "-" : "") + digits;
    }

    private static int matchWord(byte[] b, int i, String word) {
        if (i + word.length() > b.length) {
            return -1;
        }
        for (int k = 0; k < word.length(); k++) {
            int ch = b[i + k];
            if (ch >= 'A' && ch <= 'Z') {
                ch += 32;
            }
            if (ch != word.charAt(k)) {
                return -1;
            }
        }
        return i + word.length();
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlnum(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
