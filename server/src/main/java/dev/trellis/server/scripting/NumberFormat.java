package dev.trellis.server.scripting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** C's {@code %.Ng} for doubles: how Lua 5.1 (%.14g) and cjson print numbers. */
final class NumberFormat {
    private NumberFormat() {
    }

    static String g(double d, int precision) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= precision) {
            BigDecimal mant = bd.movePointLeft(exp).stripTrailingZeros();
            String m = mant.toPlainString();
            String e = Integer.toString(Math.abs(exp));
            return m + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        String s = bd.stripTrailingZeros().toPlainString();
        return s;
    }

    /** How Redis turns a Lua number argument into a command argument: integers plainly, others shortest round-trip. */
    static String argument(double d) {
        if (d == Math.rint(d) && Math.abs(d) <= (double) (Long.MAX_VALUE / 2)) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return g(d, 17);
        }
        BigDecimal bd = new BigDecimal(Double.toString(d));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 17) {
            BigDecimal mant = bd.movePointLeft(exp).stripTrailingZeros();
            String e = Integer.toString(Math.abs(exp));
            return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return bd.stripTrailingZeros().toPlainString();
    }
}
