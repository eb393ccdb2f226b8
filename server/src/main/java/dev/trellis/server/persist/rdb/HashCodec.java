package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.CommandSink;
import dev.trellis.server.types.hash.HashLimits;
import dev.trellis.server.types.hash.RedisHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashes: small ones as a listpack (RDB_TYPE_HASH_LISTPACK), big ones as field/value strings
 * (RDB_TYPE_HASH). Hashes with field TTLs use Redis 7.4's forms (listpack of field, value, TTL
 * triples, or RDB_TYPE_HASH_METADATA with TTLs relative to the minimum) — older readers
 * cannot hold field TTLs at all. Reads every form, zipmap and ziplist included.
 */
final class HashCodec implements TypeCodec {
    private static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HPEXPIREAT = "HPEXPIREAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIELDS = "FIELDS".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONE = "1".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean saves(Object value) {
        return value instanceof RedisHash;
    }

    @Override
    public int rdbType(Object value, int version) {
        RedisHash h = (RedisHash) value;
        if (h.hasTtls()) {
            return h.isTable() ? Rdb.TYPE_HASH_METADATA : Rdb.TYPE_HASH_LISTPACK_EX;
        }
        return h.isTable() ? Rdb.TYPE_HASH : Rdb.TYPE_HASH_LISTPACK;
    }

    @Override
    public void write(RdbOutput out, Object value, int version) {
        RedisHash h = (RedisHash) value;
        int type = rdbType(h, version);
        switch (type) {
            case Rdb.TYPE_HASH_LISTPACK -> {
                ListpackBuilder lp = out.listpack();
                var e = h.listpackEntries();
                if (e != null && e.count() > 0) {
                    lp.addRawRun(e.buffer(), e.first(), e.used(), e.count()); // our entries are listpack entries
                } else {
                    for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
                        lp.add(c.field()).add(c.value());
                    }
                }
                out.writeListpack(lp);
            }
            case Rdb.TYPE_HASH -> {
                out.writeLen(h.size());
                for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
                    out.writeString(c.field());
                    out.writeString(c.value());
                }
            }
            case Rdb.TYPE_HASH_LISTPACK_EX -> {
                out.writeInt64LE(h.minExpire());
                ListpackBuilder lp = new ListpackBuilder();
                for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
                    lp.add(c.field()).add(c.value()).add(c.expireAt());
                }
                out.writeString(lp.build());
            }
            default -> {
                long min = h.minExpire();
                out.writeInt64LE(min);
                out.writeLen(h.size());
                for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
                    long at = c.expireAt();
                    out.writeLen(at == RedisHash.NO_TTL ? 0 : at - min + 1);
                    out.writeString(c.field());
                    out.writeString(c.value());
                }
            }
        }
    }

    @Override
    public boolean loads(int t) {
        return t == Rdb.TYPE_HASH || t == Rdb.TYPE_HASH_ZIPMAP || t == Rdb.TYPE_HASH_ZIPLIST || t == Rdb.TYPE_HASH_LISTPACK
                || t == Rdb.TYPE_HASH_METADATA_PRE_GA || t == Rdb.TYPE_HASH_LISTPACK_EX_PRE_GA
                || t == Rdb.TYPE_HASH_METADATA || t == Rdb.TYPE_HASH_LISTPACK_EX;
    }

    /** Adds a field, refusing duplicates as Redis does. */
    private static void add(RedisHash h, byte[] field, byte[] value, long expireAt) {
        if (h.exists(field)) {
            throw RdbException.corrupt("Duplicate hash fields detected");
        }
        h.put(field, value);
        if (expireAt != RedisHash.NO_TTL) {
            h.enableTtls();
            h.setExpireAt(h.find(field), expireAt);
        }
    }

    @Override
    public Object read(RdbInput in, int t, LoadContext ctx) {
        HashLimits limits = ctx.hashLimits();
        RedisHash h = new RedisHash(limits);
        switch (t) {
            case Rdb.TYPE_HASH -> {
                for (long n = in.readCount(); n > 0; n--) {
                    add(h, in.readString(), in.readString(), RedisHash.NO_TTL);
                }
            }
            case Rdb.TYPE_HASH_METADATA, Rdb.TYPE_HASH_METADATA_PRE_GA -> {
                long min = t == Rdb.TYPE_HASH_METADATA ? in.readInt64LE() : 0;
                for (long n = in.readCount(); n > 0; n--) {
                    long ttl = in.readLen();
                    long at = t == Rdb.TYPE_HASH_METADATA ? (ttl == 0 ? 0 : ttl + min - 1) : ttl;
                    if (at < 0 || at > 0xFFFFFFFFFFFFL) {
                        throw RdbException.corrupt("invalid expireAt time: " + at);
                    }
                    add(h, in.readString(), in.readString(), at);
                }
            }
            default -> {
                if (t == Rdb.TYPE_HASH_LISTPACK_EX) {
                    in.readInt64LE(); // the minimum TTL, kept for readers that stream values
                }
                byte[] blob = in.readString();
                if (t == Rdb.TYPE_HASH_LISTPACK) {
                    RedisHash adopted = adopt(blob, limits);
                    if (adopted != null) {
                        return adopted.isEmpty() ? ValueCodec.EMPTY : adopted;
                    }
                }
                List<byte[]> items = new ArrayList<>();
                switch (t) {
                    case Rdb.TYPE_HASH_ZIPMAP -> PackedReader.zipmap(blob, items::add);
                    case Rdb.TYPE_HASH_ZIPLIST -> PackedReader.ziplist(blob, items::add);
                    default -> PackedReader.listpack(blob, items::add);
                }
                int stride = t == Rdb.TYPE_HASH_LISTPACK_EX || t == Rdb.TYPE_HASH_LISTPACK_EX_PRE_GA ? 3 : 2;
                if (items.size() % stride != 0) {
                    throw RdbException.corrupt("Hash listpack integrity check failed.");
                }
                for (int i = 0; i < items.size(); i += stride) {
                    long at = RedisHash.NO_TTL;
                    if (stride == 3) {
                        at = StrictLong.parse(items.get(i + 2), 0, items.get(i + 2).length);
                        if (at == StrictLong.INVALID || at < 0) {
                            throw RdbException.corrupt("Hash listpack integrity check failed.");
                        }
                    }
                    add(h, items.get(i), items.get(i + 1), at);
                }
            }
        }
        return h.isEmpty() ? ValueCodec.EMPTY : h;
    }

    /**
     * A listpack of field/value pairs taken as the hash's storage as it is, when it is exactly
     * what our own writes keep (see {@link PackedAdoption}); null otherwise.
     */
    private static RedisHash adopt(byte[] blob, HashLimits limits) {
        var e = PackedAdoption.entries(blob);
        if (e == null || e.count() % 2 != 0 || e.count() / 2 > limits.maxEntries()
                || !PackedAdoption.canonical(e, limits.maxValue(), false) || !PackedAdoption.distinct(e, 2)) {
            return null;
        }
        return RedisHash.ofListpack(limits, e);
    }

    @Override
    public void rewrite(CommandSink out, byte[] key, Object value) {
        RedisHash h = (RedisHash) value;
        List<byte[]> batch = new ArrayList<>();
        List<byte[][]> ttls = new ArrayList<>();
        for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
            batch.add(c.field());
            batch.add(c.value());
            if (c.expireAt() != RedisHash.NO_TTL) {
                ttls.add(new byte[][] {HPEXPIREAT, key, Long.toString(c.expireAt()).getBytes(StandardCharsets.US_ASCII),
                    FIELDS, ONE, c.field()});
            }
            if (batch.size() >= AofBatch.ITEMS * 2) {
                AofBatch.emit(out, HSET, key, batch);
            }
        }
        AofBatch.emit(out, HSET, key, batch);
        for (byte[][] cmd : ttls) {
            out.command(cmd);
        }
    }
}
