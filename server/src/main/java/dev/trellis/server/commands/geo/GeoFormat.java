package dev.trellis.server.commands.geo;

import dev.trellis.server.resp.DoubleFormat;
import dev.trellis.server.resp.Reply;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/** The number formats geo replies use, digit for digit as Redis prints them. */
final class GeoFormat {
    private GeoFormat() {
    }

    /** C's "%f" (error messages). */
    static String fixed6(double d) {
        return DoubleFormat.fixed(d, 6);
    }

    /**
     * Redis's fixedpoint_d2string with 4 digits (distances): the value times 10^4 rounded to
     * the nearest integer (ties to even), printed with 4 decimals.
     */
    static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long v = (long) Math.rint(d * 10000.0);
        boolean neg = v < 0;
        String digits = Long.toString(Math.abs(v));
        if (digits.length() < 5) {
            digits = "0".repeat(5 - digits.length()) + digits;
        }
        int point = digits.length() - 4;
        return (neg ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
    }

    /**
     * Redis's "human" long double form (coordinates): "%.17Lf" of the exact value with trailing
     * zeros and a bare point removed, "-0" as "0".
     */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
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
        return s.equals("-0") ? "0" : s;
    }

    /** A coordinate: a bulk string in RESP2, a double in RESP3. */
    static void humanDouble(Reply r, double d) {
        String s = human(d);
        if (r.resp3()) {
            r.raw(("," + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            r.bulk(s);
        }
    }
}
