package dev.trellis.server.resp;

import java.math.BigDecimal;

/**
 * Formats doubles the way Redis prints them: "%.17g" for replies (shortest round-trip form
 * since Redis 7), "inf"/"-inf", integers without a fraction.
 */
public final class DoubleFormat {
    private DoubleFormat() {
    }

    /** The form Redis 7 uses in replies and stored scores: shortest string that reads back. */
    public static String resp(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        // Java writes 1.0E-5; C's %.17g-shortest writes 1.0000000000000001e-05 style.
        String mant = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
        }
        if (exp >= -4 && exp < 17) {
            return new BigDecimal(s).toPlainString();
        }
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /**
     * The form of INCRBYFLOAT and HINCRBYFLOAT results: "%.17Lf" with trailing zeros removed,
     * never exponent notation.
     */
    public static String humanFriendly(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        // Redis computes in long double and prints 17 decimals, which for sums like 10.5+0.1
        // shows the short decimal; the shortest round-trip form of the double matches that.
        String s = new BigDecimal(Double.toString(d)).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }
}
