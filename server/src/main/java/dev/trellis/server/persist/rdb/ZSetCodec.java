package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.CommandSink;
import dev.trellis.server.resp.DoubleFormat;
import dev.trellis.server.types.zset.Strtod;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;
import java.nio.charset.StandardCharsets;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.PackedEntries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sorted sets: small ones as a listpack of member/score pairs (scores as Redis's d2string
 * text), big ones as RDB_TYPE_ZSET_2 (binary doubles, greatest first as Redis writes them).
 * Reads the old text-double form, ziplists and listpacks too.
 */
final class ZSetCodec implements TypeCodec {
    private static final byte[] ZADD = "ZADD".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean saves(Object value) {
        return value instanceof ZSet;
    }

    @Override
    public int rdbType(Object value, int version) {
        return ((ZSet) value).isListpack() ? Rdb.TYPE_ZSET_LISTPACK : Rdb.TYPE_ZSET_2;
    }

    private static byte[] scoreText(double d) {
        return DoubleFormat.d2string(d).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A listpack score as Redis 7.2+ writes it: integers as integers, others in the shortest
     * form that reads back as the same double (Redis's fpconv_dtoa; Java's Double.toString is
     * also shortest), which any strtod reads. Exact "%.17g" (7.0's form) costs a BigDecimal
     * per score and made saving sorted sets several times slower.
     */
    private static final double[] EXACT_POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15};

    /**
     * {@link #fileScoreText} without a String on the way, for the common scores: not integers,
     * 0.001 <= |d| < 1e7 (where Double.toString writes no exponent). The fewest fraction digits k
     * for which m = round(|d| * 10^k) gives back d as m / 10^k is the shortest text (with m below
     * 2^53 and 10^k exact, that division is correctly rounded, which is what reading the text
     * gives). Returns the length written into {@code out}, or 0 to fall back.
     */
    static int plainScoreText(double d, byte[] out) {
        double a = Math.abs(d);
        if (!(a >= 1e-3 && a < 1e7) || a == Math.rint(a)) {
            return 0;
        }
        for (int k = 1; k < EXACT_POW10.length; k++) {
            double scaled = a * EXACT_POW10[k];
            if (scaled >= 0x1p53) {
                return 0;
            }
            long m = Math.round(scaled);
            if (m / EXACT_POW10[k] != a) {
                continue;
            }
            // digits of m with a point before the last k of them (at least one before it)
            int p = 0;
            if (d < 0) {
                out[p++] = '-';
            }
            int digits = 1;
            for (long x = m; x >= 10; x /= 10) {
                digits++;
            }
            int total = Math.max(digits, k + 1);
            int end = p + total + 1;
            int q = end;
            for (int i = 0; i < total; i++) {
                if (i == k) {
                    out[--q] = '.';
                }
                out[--q] = (byte) ('0' + m % 10);
                m /= 10;
            }
            return end;
        }
        return 0;
    }

    private static byte[] fileScoreText(double d) {
        if (d == Math.rint(d) && Math.abs(d) <= 0x1p62 && d != 0 || Double.isInfinite(d) || d == 0) {
            return scoreText(d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e >= 0) {
            // "1.0E-5" -> "1e-5", "1.25E10" -> "1.25e+10"
            String mant = s.substring(0, e);
            if (mant.endsWith(".0")) {
                mant = mant.substring(0, mant.length() - 2);
            }
            String exp = s.substring(e + 1);
            s = mant + (exp.startsWith("-") ? "e" + exp : "e+" + exp);
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void write(RdbOutput out, Object value, int version) {
        ZSet z = (ZSet) value;
        if (z.isListpack()) {
            ListpackBuilder lp = out.listpack();
            byte[] scoreBuf = out.textScratch();
            z.forEach((m, s) -> {
                lp.add(m);
                int n = plainScoreText(s, scoreBuf);
                if (n > 0) {
                    lp.addString(scoreBuf, 0, n);
                } else {
                    lp.add(fileScoreText(s));
                }
            });
            out.writeListpack(lp);
            return;
        }
        out.writeLen(z.size());
        z.range(0, z.size() - 1, true, (m, s) -> {
            out.writeString(m);
            out.writeBinaryDouble(s);
        });
    }

    @Override
    public boolean loads(int t) {
        return t == Rdb.TYPE_ZSET || t == Rdb.TYPE_ZSET_2 || t == Rdb.TYPE_ZSET_ZIPLIST || t == Rdb.TYPE_ZSET_LISTPACK;
    }

    /**
     * A listpack of member/score pairs built straight into the listpack encoding when it holds
     * what our own writes would (distinct members within the limits, valid scores, in
     * (score, member) order, as Redis keeps them); null otherwise (the element-wise path then
     * converts or reports the exact error).
     */
    private static ZSet adoptSorted(byte[] blob, ZSetLimits limits) {
        PackedEntries e = PackedAdoption.entries(blob);
        if (e == null || e.count() == 0 || e.count() % 2 != 0 || e.count() / 2 > limits.maxListpackEntries()) {
            return null;
        }
        int n = e.count() / 2;
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        byte[] b = e.buffer();
        int p = e.first();
        for (int i = 0; i < n; i++) {
            byte[] m = Listpack.isInt(b, p) ? RdbInput.digits(Listpack.intValue(b, p))
                    : Arrays.copyOfRange(b, Listpack.strOffset(b, p), Listpack.strOffset(b, p) + Listpack.strLength(b, p));
            if (m.length > limits.maxListpackValue()) {
                return null;
            }
            p = e.next(p);
            double s = Listpack.isInt(b, p) ? (double) Listpack.intValue(b, p) : score(b, Listpack.strOffset(b, p), Listpack.strLength(b, p));
            if (Double.isNaN(s)) {
                return null;
            }
            if (i > 0 && (s < scores[i - 1] || (s == scores[i - 1] && Arrays.compareUnsigned(members[i - 1], m) >= 0))) {
                return null;
            }
            for (int j = 0; j < i; j++) {
                if (members[j].length == m.length && Arrays.equals(members[j], m)) {
                    return null;
                }
            }
            members[i] = m;
            scores[i] = s;
            p = e.next(p);
        }
        return ZSet.ofSortedListpack(members, scores, n);
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

    /**
     * A listpack score's text as Redis's getDoubleFromObject reads it (NaN when invalid). Plain
     * decimals of at most 15 digits are exact here: the digits as a long and one division by a
     * power of ten are each exact or correctly rounded, as Double.parseDouble's result is.
     */
    static double score(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean neg = i < end && b[i] == '-';
        if (neg) {
            i++;
        }
        long mant = 0;
        int digits = 0;
        int frac = -1;
        for (; i < end; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                mant = mant * 10 + (c - '0');
                digits++;
                if (frac >= 0) {
                    frac++;
                }
            } else if (c == '.' && frac < 0) {
                frac = 0;
            } else {
                digits = 99; // anything else: the full parser decides
                break;
            }
        }
        if (digits == 0 || digits > 15) {
            return Strtod.parseStrict(Arrays.copyOfRange(b, off, end));
        }
        double v = frac > 0 ? mant / POW10[frac] : (double) mant;
        return neg ? -v : v;
    }

    private static void add(ZSet z, byte[] member, double score, ZSetLimits limits) {
        if (Double.isNaN(score)) {
            throw RdbException.corrupt("Zset with NAN score detected");
        }
        if ((z.add(member, score, limits) & ZSet.ADDED) == 0) {
            throw RdbException.corrupt("Duplicate zset fields detected");
        }
    }

    @Override
    public Object read(RdbInput in, int t, LoadContext ctx) {
        var cfg = ctx.config();
        ZSetLimits limits = ZSetLimits.of(cfg.zsetMaxListpackEntries, cfg.zsetMaxListpackValue);
        ZSet z;
        if (t == Rdb.TYPE_ZSET || t == Rdb.TYPE_ZSET_2) {
            long n = in.readCount();
            z = ZSet.skiplist();
            for (; n > 0; n--) {
                byte[] m = in.readString();
                double s = t == Rdb.TYPE_ZSET_2 ? in.readBinaryDouble() : in.readDoubleString();
                add(z, m, s, limits);
            }
            if (z.size() > 0) {
                z.convertToListpackIfFits(limits);
            }
        } else {
            byte[] blob = in.readString();
            if (t == Rdb.TYPE_ZSET_LISTPACK) {
                ZSet adopted = adoptSorted(blob, limits);
                if (adopted != null) {
                    return adopted;
                }
            }
            List<byte[]> items = new ArrayList<>();
            if (t == Rdb.TYPE_ZSET_ZIPLIST) {
                PackedReader.ziplist(blob, items::add);
            } else {
                PackedReader.listpack(blob, items::add);
            }
            if (items.size() % 2 != 0) {
                throw RdbException.corrupt("Zset listpack integrity check failed.");
            }
            z = new ZSet();
            for (int i = 0; i < items.size(); i += 2) {
                double s = Strtod.parseStrict(items.get(i + 1));
                add(z, items.get(i), s, limits);
            }
        }
        return z.size() == 0 ? ValueCodec.EMPTY : z;
    }

    @Override
    public void rewrite(CommandSink out, byte[] key, Object value) {
        ZSet z = (ZSet) value;
        List<byte[]> batch = new ArrayList<>();
        z.forEach((m, s) -> {
            batch.add(scoreText(s));
            batch.add(m);
            if (batch.size() >= AofBatch.ITEMS * 2) {
                AofBatch.emit(out, ZADD, key, batch);
            }
        });
        AofBatch.emit(out, ZADD, key, batch);
    }
}
