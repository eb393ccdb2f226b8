package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.KeyAggregates;
import dev.trellis.server.module.ModuleKey;
import dev.trellis.server.types.zset.LexRange;
import dev.trellis.server.types.zset.ScoreRange;
import dev.trellis.server.types.zset.ZSet;

/**
 * The list, sorted set and hash key API over {@link KeyAggregates}: errno is set as Redis does,
 * returned strings join the auto memory of the context that opened the key. (HashSet and
 * HashGet are variadic: the shim collects the field list and calls {@link #hashSet} and
 * {@link #hashGet}.)
 */
final class AggregateApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final long HASH_DELETE = 1;

    private AggregateApi() {
    }

    private static int fail() {
        NativeRuntime.get().errno(KeyAggregates.errno);
        return ERR;
    }

    /** A new string for a value read from a key, tracked by the key's context's auto memory. */
    private static long string(long keyp, byte[] b) {
        return StringApi.create(KeyApi.owner(keyp), b);
    }

    // --- lists ---------------------------------------------------------------------------

    @Api(onError = ERR)
    static int ListPush(long keyp, int where, long ele) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || ele == 0) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return ERR;
        }
        return KeyAggregates.listPush(k, where == 0, NativeStrings.bytes(ele)) ? OK : fail();
    }

    @Api
    static long ListPop(long keyp, int where) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return 0;
        }
        byte[] e = KeyAggregates.listPop(k, where == 0);
        if (e == null) {
            fail();
            return 0;
        }
        return string(keyp, e);
    }

    @Api
    static long ListGet(long keyp, long index) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return 0;
        }
        byte[] e = KeyAggregates.listGet(k, index);
        if (e == null) {
            fail();
            return 0;
        }
        return string(keyp, e);
    }

    @Api(onError = ERR)
    static int ListSet(long keyp, long index, long value) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || value == 0) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return ERR;
        }
        return KeyAggregates.listSet(k, index, NativeStrings.bytes(value)) ? OK : fail();
    }

    @Api(onError = ERR)
    static int ListInsert(long keyp, long index, long value) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || value == 0) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return ERR;
        }
        return KeyAggregates.listInsert(k, index, NativeStrings.bytes(value)) ? OK : fail();
    }

    @Api(onError = ERR)
    static int ListDelete(long keyp, long index) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return ERR;
        }
        return KeyAggregates.listDelete(k, index) ? OK : fail();
    }

    // --- sorted sets -----------------------------------------------------------------------

    @Api(onError = ERR)
    static int ZsetAdd(long keyp, double score, long ele, long flagsp) {
        return zadd(keyp, score, ele, flagsp, false, 0);
    }

    @Api(onError = ERR)
    static int ZsetIncrby(long keyp, double score, long ele, long flagsp, long newScorep) {
        return zadd(keyp, score, ele, flagsp, true, newScorep);
    }

    private static int zadd(long keyp, double score, long ele, long flagsp, boolean incr, long newScorep) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return ERR;
        }
        int[] flags = flagsp == 0 ? null : new int[] {Native.getInt(flagsp)};
        double[] ns = new double[1];
        boolean ok = KeyAggregates.zsetAdd(k, score, NativeStrings.bytes(ele), flags, incr, ns);
        if (flags != null) {
            Native.putInt(flagsp, flags[0]);
        }
        if (ok && newScorep != 0) {
            Native.putDouble(newScorep, ns[0]);
        }
        return ok ? OK : ERR;
    }

    @Api(onError = ERR)
    static int ZsetRem(long keyp, long ele, long deletedp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return ERR;
        }
        int[] deleted = new int[1];
        if (!KeyAggregates.zsetRem(k, NativeStrings.bytes(ele), deleted)) {
            return ERR;
        }
        if (deletedp != 0) {
            Native.putInt(deletedp, deleted[0]);
        }
        return OK;
    }

    @Api(onError = ERR)
    static int ZsetScore(long keyp, long ele, long scorep) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return ERR;
        }
        double s = KeyAggregates.zsetScore(k, NativeStrings.bytes(ele));
        if (Double.isNaN(s)) {
            return ERR;
        }
        if (scorep != 0) {
            Native.putDouble(scorep, s);
        }
        return OK;
    }

    /**
     * A sorted-set range walk over ranks (from the low end), bounded by a score or lex range.
     * As in Redis, Next checks only the upper bound and Prev only the lower one, and the current
     * element stays readable after the end was reached.
     */
    static final class ZRange {
        ScoreRange score;
        LexRange lex;
        /** Current rank, or -1 when the range was empty. */
        long rank;
        boolean end;

        boolean withinMax(ZSet z, long r) {
            return score != null ? score.belowMax(z.scoreAt(r)) : lex.belowMax(z.memberAt(r));
        }

        boolean withinMin(ZSet z, long r) {
            return score != null ? score.aboveMin(z.scoreAt(r)) : lex.aboveMin(z.memberAt(r));
        }
    }

    private static ZSet zset(ModuleKey k) {
        return k != null && k.value() instanceof ZSet z ? z : null;
    }

    private static int start(ModuleKey k, ZRange range, boolean last) {
        ZSet z = zset(k);
        if (z == null) {
            return ERR;
        }
        byte[][] first = new byte[1][];
        if (range.score != null) {
            z.rangeByScore(range.score, last, 0, 1, (m, s) -> first[0] = m);
        } else {
            z.rangeByLex(range.lex, last, 0, 1, (m, s) -> first[0] = m);
        }
        range.end = first[0] == null;
        range.rank = first[0] == null ? -1 : z.rank(first[0], false);
        k.iterator = range;
        return OK;
    }

    @Api(onError = ERR)
    static int ZsetFirstInScoreRange(long keyp, double min, double max, int minex, int maxex) {
        ZRange r = new ZRange();
        r.score = new ScoreRange(min, minex != 0, max, maxex != 0);
        return start(KeyApi.key(keyp), r, false);
    }

    @Api(onError = ERR)
    static int ZsetLastInScoreRange(long keyp, double min, double max, int minex, int maxex) {
        ZRange r = new ZRange();
        r.score = new ScoreRange(min, minex != 0, max, maxex != 0);
        return start(KeyApi.key(keyp), r, true);
    }

    @Api(onError = ERR)
    static int ZsetFirstInLexRange(long keyp, long minp, long maxp) {
        return lexStart(keyp, minp, maxp, false);
    }

    @Api(onError = ERR)
    static int ZsetLastInLexRange(long keyp, long minp, long maxp) {
        return lexStart(keyp, minp, maxp, true);
    }

    private static int lexStart(long keyp, long minp, long maxp, boolean last) {
        ModuleKey k = KeyApi.key(keyp);
        if (zset(k) == null) {
            return ERR;
        }
        ZRange r = new ZRange();
        r.lex = LexRange.parse(NativeStrings.bytes(minp), NativeStrings.bytes(maxp));
        if (r.lex == null) {
            return ERR;
        }
        return start(k, r, last);
    }

    @Api
    static long ZsetRangeCurrentElement(long keyp, long scorep) {
        ModuleKey k = KeyApi.key(keyp);
        ZSet z = zset(k);
        if (z == null || !(k.iterator instanceof ZRange r) || r.rank < 0 || r.rank >= z.size()) {
            return 0;
        }
        if (scorep != 0) {
            Native.putDouble(scorep, z.scoreAt(r.rank));
        }
        return string(keyp, z.memberAt(r.rank));
    }

    @Api
    static int ZsetRangeNext(long keyp) {
        return step(keyp, 1);
    }

    @Api
    static int ZsetRangePrev(long keyp) {
        return step(keyp, -1);
    }

    private static int step(long keyp, int dir) {
        ModuleKey k = KeyApi.key(keyp);
        ZSet z = zset(k);
        if (z == null || !(k.iterator instanceof ZRange r) || r.rank < 0) {
            return 0;
        }
        long next = r.rank + dir;
        if (next < 0 || next >= z.size() || !(dir > 0 ? r.withinMax(z, next) : r.withinMin(z, next))) {
            r.end = true;
            return 0;
        }
        r.rank = next;
        return 1;
    }

    @Api
    static int ZsetRangeEndReached(long keyp) {
        ModuleKey k = KeyApi.key(keyp);
        if (zset(k) == null) {
            return 1;
        }
        return k.iterator instanceof ZRange r && !r.end ? 0 : 1;
    }

    @Api
    static void ZsetRangeStop(long keyp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k != null && k.iterator instanceof ZRange) {
            k.iterator = null;
        }
    }

    // --- hashes ----------------------------------------------------------------------------

    /** Shim upcall for RedisModule_HashSet. */
    static int hashSet(long keyp, int flags, long fptrs, long flens, long values, int n) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            NativeRuntime.get().errno(KeyAggregates.EINVAL);
            return 0;
        }
        byte[][] f = new byte[n][];
        byte[][] v = new byte[n][];
        for (int i = 0; i < n; i++) {
            f[i] = Native.bytes(Native.getLong(fptrs + 8L * i), Native.getLong(flens + 8L * i));
            long vp = Native.getLong(values + 8L * i);
            v[i] = vp == HASH_DELETE ? null : NativeStrings.bytes(vp);
        }
        int count = KeyAggregates.hashSet(k, flags, f, v);
        if (count <= 0) {
            NativeRuntime.get().errno(KeyAggregates.errno);
            return 0;
        }
        return count;
    }

    /** Shim upcall for RedisModule_HashGet: writes each field's value (or existence). */
    static int hashGet(long keyp, int flags, long fptrs, long flens, long outs, int n) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || !KeyAggregates.hashReadable(k)) {
            return ERR;
        }
        for (int i = 0; i < n; i++) {
            byte[] field = Native.bytes(Native.getLong(fptrs + 8L * i), Native.getLong(flens + 8L * i));
            long out = Native.getLong(outs + 8L * i);
            byte[] value = KeyAggregates.hashGet(k, field);
            if ((flags & KeyAggregates.HASH_EXISTS) != 0) {
                Native.putInt(out, value != null ? 1 : 0);
            } else {
                Native.putLong(out, value == null ? 0 : string(keyp, value));
            }
        }
        return OK;
    }
}
