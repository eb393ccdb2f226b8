package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.CommandSink;
import dev.trellis.server.types.set.RedisSet;
import dev.trellis.server.types.set.SetLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets: integer sets as an intset blob, small string sets as a listpack (RDB 11+; version 10,
 * which Redis 7.0 reads, has no set listpack so they go as plain members), big ones as members.
 */
final class SetCodec implements TypeCodec {
    private static final byte[] SADD = "SADD".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean saves(Object value) {
        return value instanceof RedisSet;
    }

    @Override
    public int rdbType(Object value, int version) {
        RedisSet s = (RedisSet) value;
        if (s.isIntset()) {
            return Rdb.TYPE_SET_INTSET;
        }
        if (!s.isTable() && version >= 11) {
            return Rdb.TYPE_SET_LISTPACK;
        }
        return Rdb.TYPE_SET;
    }

    @Override
    public void write(RdbOutput out, Object value, int version) {
        RedisSet s = (RedisSet) value;
        switch (rdbType(s, version)) {
            case Rdb.TYPE_SET_INTSET -> out.writeString(intset(s));
            case Rdb.TYPE_SET_LISTPACK -> {
                ListpackBuilder lp = out.listpack();
                for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
                    if (c.isInt()) {
                        lp.add(c.intValue());
                    } else {
                        lp.add(c.bytes());
                    }
                }
                out.writeListpack(lp);
            }
            default -> {
                out.writeLen(s.size());
                for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
                    if (c.isInt()) {
                        out.writeLongString(c.intValue());
                    } else {
                        out.writeString(c.bytes());
                    }
                }
            }
        }
    }

    /** Redis's intset layout: encoding width, count, then the sorted values, little-endian. */
    private static byte[] intset(RedisSet s) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
            min = Math.min(min, c.intValue());
            max = Math.max(max, c.intValue());
        }
        int w = (min >= Short.MIN_VALUE && max <= Short.MAX_VALUE) ? 2
                : (min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE) ? 4 : 8;
        int n = (int) s.size();
        byte[] b = new byte[8 + n * w];
        put(b, 0, w, 4);
        put(b, 4, n, 4);
        int p = 8;
        for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
            put(b, p, c.intValue(), w);
            p += w;
        }
        return b;
    }

    private static void put(byte[] b, int p, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[p + i] = (byte) (v >>> (8 * i));
        }
    }

    @Override
    public boolean loads(int t) {
        return t == Rdb.TYPE_SET || t == Rdb.TYPE_SET_INTSET || t == Rdb.TYPE_SET_LISTPACK;
    }

    private static void add(RedisSet s, byte[] m) {
        if (!s.add(m)) {
            throw RdbException.corrupt("Duplicate set members detected");
        }
    }

    @Override
    public Object read(RdbInput in, int t, LoadContext ctx) {
        SetLimits limits = ctx.setLimits();
        if (t == Rdb.TYPE_SET_INTSET || t == Rdb.TYPE_SET_LISTPACK) {
            byte[] blob = in.readString();
            RedisSet adopted = t == Rdb.TYPE_SET_INTSET ? adoptIntset(blob, limits) : adoptListpack(blob, limits);
            if (adopted != null) {
                return adopted;
            }
            RedisSet s = new RedisSet(limits);
            if (t == Rdb.TYPE_SET_INTSET) {
                PackedReader.intset(blob, m -> add(s, m));
            } else {
                PackedReader.listpack(blob, m -> add(s, m));
            }
            return s.isEmpty() ? ValueCodec.EMPTY : s;
        }
        RedisSet s = new RedisSet(limits);
        long n = in.readCount();
        s.beforeAdd(Math.min(n, 65_536)); // a hint only: never presize from an unchecked count
        for (; n > 0; n--) {
            add(s, in.readString());
        }
        return s.isEmpty() ? ValueCodec.EMPTY : s;
    }

    /**
     * An intset blob (encoding width, length, then the values little-endian) taken as the set's
     * storage when it is well formed, strictly ascending and within the limits; null otherwise.
     */
    private static RedisSet adoptIntset(byte[] b, SetLimits limits) {
        if (b.length < 8) {
            return null;
        }
        int width = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        long size = (b[4] & 0xffL) | (b[5] & 0xffL) << 8 | (b[6] & 0xffL) << 16 | (b[7] & 0xffL) << 24;
        if ((width != 2 && width != 4 && width != 8) || size == 0 || size > limits.maxIntsetEntries()
                || 8 + size * width != b.length) {
            return null;
        }
        long prev = 0;
        for (int i = 0; i < size; i++) {
            int p = 8 + i * width;
            long v = 0;
            for (int k = width - 1; k >= 0; k--) {
                v = (v << 8) | (b[p + k] & 0xff);
            }
            v = (v << (64 - 8 * width)) >> (64 - 8 * width); // sign-extend
            if (i > 0 && v <= prev) {
                return null;
            }
            prev = v;
        }
        return RedisSet.ofIntset(limits, java.util.Arrays.copyOfRange(b, 8, b.length), width, (int) size);
    }

    /**
     * A listpack taken as the set's storage when it is what our own writes keep (at least one
     * non-integer member, distinct, within the limits); null otherwise.
     */
    private static RedisSet adoptListpack(byte[] blob, SetLimits limits) {
        var e = PackedAdoption.entries(blob);
        if (e == null || e.count() == 0 || e.count() > limits.maxListpackEntries()
                || !PackedAdoption.canonical(e, limits.maxListpackValue(), true) || !PackedAdoption.distinct(e, 1)) {
            return null;
        }
        return RedisSet.ofListpack(limits, e);
    }

    @Override
    public void rewrite(CommandSink out, byte[] key, Object value) {
        RedisSet s = (RedisSet) value;
        List<byte[]> batch = new ArrayList<>();
        for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
            batch.add(c.bytes());
            if (batch.size() == AofBatch.ITEMS) {
                AofBatch.emit(out, SADD, key, batch);
            }
        }
        AofBatch.emit(out, SADD, key, batch);
    }
}
