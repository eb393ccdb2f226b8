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
                ListpackBuilder lp = new ListpackBuilder();
                for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
                    if (c.isInt()) {
                        lp.add(c.intValue());
                    } else {
                        lp.add(c.bytes());
                    }
                }
                out.writeString(lp.build());
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
        RedisSet s = new RedisSet(SetLimits.of(ctx.config()));
        switch (t) {
            case Rdb.TYPE_SET -> {
                long n = in.readCount();
                s.beforeAdd(Math.min(n, 65_536)); // a hint only: never presize from an unchecked count
                for (; n > 0; n--) {
                    add(s, in.readString());
                }
            }
            case Rdb.TYPE_SET_INTSET -> PackedReader.intset(in.readString(), m -> add(s, m));
            default -> PackedReader.listpack(in.readString(), m -> add(s, m));
        }
        return s.isEmpty() ? ValueCodec.EMPTY : s;
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
