package dev.trellis.server.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles the way Redis prints them: "%.17g" for replies, "inf"/"-inf", integers
 * without a fraction.
 */
public final class DoubleFormat {
    private DoubleFormat() {
    }

    /**
     * The form of double replies (ZSCORE, ZINCRBY, WITHSCORES...): C's "%.17g" (17 significant
     * digits, trailing zeros dropped, so 1.1 reads "1.1000000000000001"), "inf"/"-inf", as
     * the reference redis-server 7.0 prints them. Integral values below 1e17 take a fast path.
     */
    public static String resp(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return g17(d);
    }

    /** C's {@code printf("%.17g", d)}, computed exactly (round half to even on the binary value). */
    public static String g17(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(d).round(G17);
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 17) {
            String digits = bd.unscaledValue().abs().toString();
            int end = digits.length();
            while (end > 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            StringBuilder sb = new StringBuilder(24);
            if (d < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (end > 1) {
                sb.append('.').append(digits, 1, end);
            }
            sb.append(exp < 0 ? "e-" : "e+");
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            return sb.append(ae).toString();
        }
        return bd.stripTrailingZeros().toPlainString();
    }

    /**
     * Redis's d2string: the text a small sorted set stores its scores as (and ZSCAN shows):
     * integral values in the 64-bit range as integers, others as "%.17g".
     */
    public static String d2string(double d) {
        if (d == Math.rint(d) && Math.abs(d) <= 0x1p62 && d != 0) { // Redis's double2ll range
            return Long.toString((long) d);
        }
        return g17(d);
    }

    /** C's {@code printf("%.Nf", d)}: exactly N decimals, rounded half to even on the binary value. */
    public static String fixed(double d, int decimals) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if (Double.doubleToRawLongBits(d) < 0 && s.charAt(0) != '-') {
            s = "-" + s; // C keeps the sign of a negative value that rounds to zero
        }
        return s;
    }

    private static final MathContext G17 = new MathContext(17, RoundingMode.HALF_EVEN);

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
