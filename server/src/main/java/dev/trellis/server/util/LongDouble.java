package dev.trellis.server.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A number with the precision of C's {@code long double} on x86-64 (the x87 80-bit format:
 * 64-bit significand, exponents down to subnormal 2^-16445, overflow at 2^16384), rounded to
 * nearest-even after every operation.
 *
 * <p>Redis computes INCRBYFLOAT and HINCRBYFLOAT (both use this class) in long double and prints the result with
 * {@code "%.17Lf"}; doing the same arithmetic in Java doubles gives different digits (0.1 + 0.2
 * prints as 0.3 in Redis). Values are held exactly as {@code mag * 2^exp} with BigInteger, so
 * parsing (strtold), addition and printing are all exactly rounded like glibc's.
 */
public final class LongDouble {
    private static final int PRECISION = 64;
    /** Exponent of the smallest subnormal's unit: every value is a multiple of 2^MIN_EXP. */
    private static final long MIN_EXP = -16445;
    /** Values at or above 2^MAX_BINARY_EXP overflow to infinity. */
    private static final long MAX_BINARY_EXP = 16384;
    private static final BigInteger FIVE = BigInteger.valueOf(5);

    private final boolean negative;
    private final BigInteger mag;
    private final long exp;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger mag, long exp, boolean infinite) {
        this.negative = negative;
        this.mag = mag;
        this.exp = exp;
        this.infinite = infinite;
    }

    /** The exact value of a long (every 64-bit integer fits the 64-bit significand). */
    public static LongDouble of(long v) {
        if (v == Long.MIN_VALUE) {
            return new LongDouble(true, BigInteger.ONE, 63, false);
        }
        return new LongDouble(v < 0, BigInteger.valueOf(Math.abs(v)), 0, false);
    }

    public boolean isInfinite() {
        return infinite;
    }

    /** The sum, rounded to long double precision. */
    public LongDouble add(LongDouble o) {
        if (infinite || o.infinite) {
            // inf + -inf is NaN; callers treat NaN and infinities alike (as Redis's check does).
            return new LongDouble(infinite ? negative : o.negative, BigInteger.ZERO, 0, true);
        }
        long e = Math.min(exp, o.exp);
        BigInteger a = mag.shiftLeft((int) (exp - e));
        BigInteger b = o.mag.shiftLeft((int) (o.exp - e));
        if (a.signum() == 0 && b.signum() == 0) {
            // IEEE: -0 + -0 is -0, any other zero sum is +0 when rounding to nearest.
            return new LongDouble(negative && o.negative, BigInteger.ZERO, 0, false);
        }
        BigInteger sum = (negative ? a.negate() : a).add(o.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return new LongDouble(false, BigInteger.ZERO, 0, false);
        }
        return round(sum.signum() < 0, sum.abs(), e);
    }

    /** Rounds {@code mag * 2^e} (mag > 0) to 64 significant bits, nearest-even. */
    private static LongDouble round(boolean neg, BigInteger mag, long e) {
        long shift = mag.bitLength() - PRECISION;
        if (e + shift < MIN_EXP) {
            shift = MIN_EXP - e;
        }
        BigInteger m;
        if (shift <= 0) {
            m = mag.shiftLeft((int) -shift);
        } else {
            m = mag.shiftRight((int) Math.min(shift, Integer.MAX_VALUE));
            boolean half = shift - 1 < mag.bitLength() && mag.testBit((int) (shift - 1));
            boolean below = mag.getLowestSetBit() < shift - 1;
            if (half && (below || m.testBit(0))) {
                m = m.add(BigInteger.ONE);
            }
        }
        return finish(neg, m, e + shift);
    }

    /** Rounds the positive rational p/q to 64 significant bits, nearest-even. */
    private static LongDouble roundRational(boolean neg, BigInteger p, BigInteger q) {
        long e = (long) p.bitLength() - q.bitLength() - PRECISION;
        BigInteger[] qr = divide(p, q, e);
        if (qr[0].bitLength() > PRECISION) {
            e++;
            qr = divide(p, q, e);
        }
        if (e < MIN_EXP) {
            e = MIN_EXP;
            qr = divide(p, q, e);
        }
        BigInteger m = qr[0];
        BigInteger d = e >= 0 ? q.shiftLeft((int) e) : q;
        int cmp = qr[1].shiftLeft(1).compareTo(d);
        if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        return finish(neg, m, e);
    }

    /** Quotient and remainder of p / (q * 2^e). */
    private static BigInteger[] divide(BigInteger p, BigInteger q, long e) {
        if (e >= 0) {
            return p.divideAndRemainder(q.shiftLeft((int) e));
        }
        return p.shiftLeft((int) -e).divideAndRemainder(q);
    }

    private static LongDouble finish(boolean neg, BigInteger m, long e) {
        if (m.bitLength() > PRECISION) {
            m = m.shiftRight(1); // rounding carried to 2^64: exact
            e++;
        }
        if (m.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        if (e + m.bitLength() > MAX_BINARY_EXP) {
            return new LongDouble(neg, BigInteger.ZERO, 0, true);
        }
        return new LongDouble(neg, m, e, false);
    }

    /**
     * Parses as Redis's string2ld: the whole string must be a number strtold accepts (decimal,
     * hexadecimal, "inf", "infinity"), no leading space, no NaN, and no overflow or underflow
     * to zero. Returns null when it is not.
     */
    public static LongDouble parse(byte[] s) {
        int n = s.length;
        if (n == 0 || n >= 5 * 1024) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (s[0] == '+' || s[0] == '-') {
            neg = s[0] == '-';
            i++;
        }
        if (matchesWord(s, i, "inf") || matchesWord(s, i, "infinity")) {
            return new LongDouble(neg, BigInteger.ZERO, 0, true);
        }
        if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            return parseHex(s, i + 2, neg);
        }
        return parseDecimal(s, i, neg);
    }

    private static boolean matchesWord(byte[] s, int from, String word) {
        if (s.length - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) s[from + k]) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static LongDouble parseDecimal(byte[] s, int i, boolean neg) {
        int n = s.length;
        StringBuilder digits = new StringBuilder();
        int intDigits = 0;
        int fracDigits = 0;
        while (i < n && isDigit(s[i])) {
            digits.append((char) s[i++]);
            intDigits++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && isDigit(s[i])) {
                digits.append((char) s[i++]);
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return null;
        }
        long exp10 = 0;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            long[] pos = {i + 1};
            Long e = parseExponent(s, pos);
            if (e == null) {
                return null;
            }
            exp10 = e;
            i = (int) pos[0];
        }
        if (i != n) {
            return null;
        }
        BigInteger d = new BigInteger(digits.toString());
        if (d.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        exp10 -= fracDigits;
        // Magnitude of the value is about 10^(significant digits + exp10).
        long magnitude = d.toString().length() + exp10;
        if (magnitude > 4940) {
            return null; // overflow: ERANGE
        }
        if (magnitude < -4960) {
            return null; // underflow to zero: ERANGE
        }
        LongDouble v = exp10 >= 0
                ? round(neg, d.multiply(BigInteger.TEN.pow((int) exp10)), 0)
                : roundRational(neg, d, BigInteger.TEN.pow((int) -exp10));
        return v.infinite || v.mag.signum() == 0 ? null : v;
    }

    private static LongDouble parseHex(byte[] s, int i, boolean neg) {
        int n = s.length;
        BigInteger m = BigInteger.ZERO;
        int count = 0;
        long exp2 = 0;
        while (i < n && Character.digit(s[i], 16) >= 0) {
            m = m.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s[i++], 16)));
            count++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && Character.digit(s[i], 16) >= 0) {
                m = m.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s[i++], 16)));
                exp2 -= 4;
                count++;
            }
        }
        if (count == 0) {
            return null; // strtold would stop after the "0" and leave "x..." unparsed
        }
        if (i < n && (s[i] == 'p' || s[i] == 'P')) {
            long[] pos = {i + 1};
            Long e = parseExponent(s, pos);
            if (e == null) {
                return null;
            }
            exp2 += e;
            i = (int) pos[0];
        }
        if (i != n) {
            return null;
        }
        if (m.signum() == 0) {
            return new LongDouble(neg, BigInteger.ZERO, 0, false);
        }
        if (exp2 + m.bitLength() > MAX_BINARY_EXP + 1) {
            return null;
        }
        if (exp2 + m.bitLength() < MIN_EXP - 2) {
            return null;
        }
        LongDouble v = round(neg, m, exp2);
        return v.infinite || v.mag.signum() == 0 ? null : v;
    }

    /** A signed decimal exponent at pos[0], clamped to a safe range; null if no digits. */
    private static Long parseExponent(byte[] s, long[] pos) {
        int i = (int) pos[0];
        int n = s.length;
        boolean neg = false;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i >= n || !isDigit(s[i])) {
            return null;
        }
        long e = 0;
        while (i < n && isDigit(s[i])) {
            e = Math.min(e * 10 + (s[i++] - '0'), 1_000_000);
        }
        pos[0] = i;
        return neg ? -e : e;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Formats as Redis's human-friendly long double: {@code "%.17Lf"} with trailing zeros
     * (and a trailing point) removed, and "-0" printed as "0".
     */
    public String toHumanString() {
        if (infinite) {
            return negative ? "-inf" : "inf";
        }
        BigDecimal exact = exp >= 0
                ? new BigDecimal(mag.shiftLeft((int) exp))
                : new BigDecimal(mag.multiply(FIVE.pow((int) -exp)), (int) -exp);
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        if (negative && !s.equals("0")) {
            return "-" + s;
        }
        return s;
    }

    @Override
    public String toString() {
        return toHumanString();
    }
}
