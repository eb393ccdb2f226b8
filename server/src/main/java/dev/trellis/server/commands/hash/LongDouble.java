package dev.trellis.server.commands.hash;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The x87 80-bit "long double" arithmetic that Redis's HINCRBYFLOAT and INCRBYFLOAT use
 * (64-bit mantissa, 15-bit exponent), emulated exactly with big decimals so results print as
 * Redis prints them: 1.1 + 2.2 is "3.3" (a double would give 3.3000000000000003) and 1e308 + 1e308
 * is a 309-digit integer rather than infinity.
 *
 * <p>Values are {@link BigDecimal}s holding exactly a long double's value. Parsing follows
 * {@code strtold} plus Redis's checks (string2ld); formatting is {@code "%.17Lf"} with trailing
 * zeros removed (ld2string's human mode).
 */
public final class LongDouble {
    private static final int MANTISSA_BITS = 64;
    private static final int MAX_EXP = 16383;
    /** Exponent of the smallest normal number; below it the quantum stays 2^(MIN_EXP-63). */
    private static final int MIN_EXP = -16382;
    private static final double LOG2_10 = Math.log(10) / Math.log(2);
    /** Redis's MAX_LONG_DOUBLE_CHARS. */
    private static final int MAX_CHARS = 5 * 1024;

    /** What {@link #parse} returns for "inf", "-inf", "infinity": valid text, infinite value. */
    public static final BigDecimal INFINITY = new BigDecimal("1e100000");

    private static final BigDecimal TINY = BigDecimal.ONE.movePointLeft(20000);
    private static final BigDecimal HUGE = BigDecimal.ONE.movePointRight(6000);

    /** Thrown by {@link #add} when the result overflows to infinity. */
    public static final class Overflow extends ArithmeticException {
        Overflow() {
            super("overflow");
        }
    }

    private LongDouble() {
    }

    /**
     * Parses {@code s} as Redis's string2ld does: the whole string must be a number
     * {@code strtold} reads (decimal or hexadecimal, optional exponent), no leading space, not
     * NaN, not out of range. Returns null when invalid and {@link #INFINITY} (compare by
     * identity) for an infinity, which Redis accepts as text but then refuses to add.
     */
    public static BigDecimal parse(byte[] s) {
        if (s.length == 0 || s.length >= MAX_CHARS) {
            return null;
        }
        String t = new String(s, StandardCharsets.ISO_8859_1);
        int i = 0;
        boolean neg = false;
        if (t.charAt(0) == '+' || t.charAt(0) == '-') {
            neg = t.charAt(0) == '-';
            i = 1;
        }
        String rest = t.substring(i);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return INFINITY;
        }
        BigDecimal exact;
        if (t.regionMatches(true, i, "0x", 0, 2)) {
            exact = parseHex(t, i + 2);
        } else {
            exact = parseDecimal(t, i);
        }
        if (exact == null) {
            return null;
        }
        if (exact.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal v;
        try {
            v = round(exact);
        } catch (Overflow e) {
            return null; // ERANGE with HUGE_VAL
        }
        if (v.signum() == 0) {
            return null; // ERANGE underflow to zero
        }
        return neg ? v.negate() : v;
    }

    private static BigDecimal parseDecimal(String t, int i) {
        int n = t.length();
        int start = i;
        StringBuilder digits = new StringBuilder();
        int fracDigits = 0;
        boolean any = false;
        while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            digits.append(t.charAt(i++));
            any = true;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                digits.append(t.charAt(i++));
                fracDigits++;
                any = true;
            }
        }
        if (!any) {
            return null; // no digits: "nan", ".", "e5" and the like
        }
        long exp = 0;
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            int j = i + 1;
            boolean eneg = false;
            if (j < n && (t.charAt(j) == '+' || t.charAt(j) == '-')) {
                eneg = t.charAt(j) == '-';
                j++;
            }
            if (j < n && t.charAt(j) >= '0' && t.charAt(j) <= '9') {
                while (j < n && t.charAt(j) >= '0' && t.charAt(j) <= '9') {
                    exp = Math.min(exp * 10 + (t.charAt(j) - '0'), 1_000_000_000L);
                    j++;
                }
                if (eneg) {
                    exp = -exp;
                }
                i = j;
            }
        }
        if (i != n || start == n) {
            return null;
        }
        BigInteger u = new BigInteger(digits.toString());
        if (u.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long scale = fracDigits - exp;
        if (scale > 100_000 || scale < -100_000) {
            return scale > 0 ? TINY : HUGE; // underflows to zero / overflows to infinity
        }
        return new BigDecimal(u, (int) scale);
    }

    private static BigDecimal parseHex(String t, int i) {
        int n = t.length();
        BigInteger m = BigInteger.ZERO;
        long exp2 = 0;
        boolean any = false;
        while (i < n && Character.digit(t.charAt(i), 16) >= 0) {
            m = m.shiftLeft(4).add(BigInteger.valueOf(Character.digit(t.charAt(i++), 16)));
            any = true;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && Character.digit(t.charAt(i), 16) >= 0) {
                m = m.shiftLeft(4).add(BigInteger.valueOf(Character.digit(t.charAt(i++), 16)));
                exp2 -= 4;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        if (i < n && (t.charAt(i) == 'p' || t.charAt(i) == 'P')) {
            int j = i + 1;
            boolean eneg = false;
            if (j < n && (t.charAt(j) == '+' || t.charAt(j) == '-')) {
                eneg = t.charAt(j) == '-';
                j++;
            }
            if (j < n && t.charAt(j) >= '0' && t.charAt(j) <= '9') {
                long e = 0;
                while (j < n && t.charAt(j) >= '0' && t.charAt(j) <= '9') {
                    e = Math.min(e * 10 + (t.charAt(j) - '0'), 1_000_000L);
                    j++;
                }
                exp2 += eneg ? -e : e;
                i = j;
            }
        }
        if (i != n) {
            return null;
        }
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        exp2 = Math.max(-100_000, Math.min(100_000, exp2));
        return times2(new BigDecimal(m), (int) exp2);
    }

    /** {@code x * 2^e} exactly. */
    private static BigDecimal times2(BigDecimal x, int e) {
        if (e >= 0) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(e)));
        }
        // 2^-k = 5^k / 10^k
        return x.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-e))).movePointLeft(-e);
    }

    /** floor(log2(|x|)) for x != 0. */
    private static int log2Floor(BigDecimal x) {
        BigDecimal a = x.abs();
        BigInteger u = a.unscaledValue();
        int e = (int) Math.floor(u.bitLength() - 1 - a.scale() * LOG2_10);
        // correct the estimate: 2^e <= a < 2^(e+1)
        while (times2(BigDecimal.ONE, e).compareTo(a) > 0) {
            e--;
        }
        while (times2(BigDecimal.ONE, e + 1).compareTo(a) <= 0) {
            e++;
        }
        return e;
    }

    /** Rounds an exact value to the nearest long double (ties to even); throws on overflow. */
    static BigDecimal round(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        int e = log2Floor(x);
        if (e > MAX_EXP) {
            throw new Overflow();
        }
        int q = Math.max(e, MIN_EXP) - (MANTISSA_BITS - 1); // value of the last mantissa bit: 2^q
        BigDecimal scaled = times2(x, -q);
        BigInteger m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        if (m.bitLength() > MANTISSA_BITS) { // rounded up to the next power of two
            if (e + 1 > MAX_EXP) {
                throw new Overflow();
            }
        }
        if (m.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return times2(new BigDecimal(m), q).stripTrailingZeros();
    }

    /** {@code a + b} rounded to long double; throws {@link Overflow} when infinite. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return round(a.add(b));
    }

    /** The long double of a 64-bit integer (exact). */
    public static BigDecimal of(long v) {
        return BigDecimal.valueOf(v);
    }

    /** {@code "%.17Lf"} with trailing zeros (and a bare point) removed, "-0" as "0". */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
