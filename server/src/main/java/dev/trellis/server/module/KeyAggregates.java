package dev.trellis.server.module;

import dev.trellis.server.config.Config;
import dev.trellis.server.types.hash.HashLimits;
import dev.trellis.server.types.hash.RedisHash;
import dev.trellis.server.types.list.ListLimits;
import dev.trellis.server.types.list.RedisList;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;

/**
 * The key API for lists, sorted sets and hashes (RM_List*, RM_Zset*, RM_Hash*), with Redis's
 * rules: wrong mode, wrong type and bad indexes fail with the errno Redis sets (stored in
 * {@link #errno}); writes to an empty key create the value; a value emptied by the API is
 * deleted with its key.
 */
public final class KeyAggregates {
    public static final int EINVAL = 22;
    public static final int ENOTSUP = 95;
    public static final int EBADF = 9;
    public static final int EDOM = 33;
    public static final int ENOENT = 2;

    /** errno of the last failing call on this thread (read by the face right after the call). */
    public static int errno;

    /** ZsetAdd/ZsetIncrby flag bits (REDISMODULE_ZADD_*). */
    public static final int ZADD_XX = 1;
    public static final int ZADD_NX = 1 << 1;
    public static final int ZADD_ADDED = 1 << 2;
    public static final int ZADD_UPDATED = 1 << 3;
    public static final int ZADD_NOP = 1 << 4;
    public static final int ZADD_GT = 1 << 5;
    public static final int ZADD_LT = 1 << 6;

    private KeyAggregates() {
    }

    private static boolean fail(int e) {
        errno = e;
        return false;
    }

    private static Config config(ModuleKey k) {
        return k.host().server().config();
    }

    /** Deletes the key if the API left its aggregate empty. */
    static void deleteIfEmpty(ModuleKey k, boolean empty) {
        if (empty && k.writable()) {
            k.db().delete(k.key());
        }
    }

    // --- lists ---------------------------------------------------------------------------

    private static RedisList list(ModuleKey k) {
        return k.value() instanceof RedisList l ? l : null;
    }

    /** RM_ListPush. */
    public static boolean listPush(ModuleKey k, boolean head, byte[] value) {
        Object v = k.value();
        if (v != null && !(v instanceof RedisList)) {
            return fail(ENOTSUP);
        }
        if (!k.writable()) {
            return fail(EBADF);
        }
        RedisList l = (RedisList) v;
        if (l == null) {
            l = new RedisList(ListLimits.of(config(k)));
            k.db().add(k.key(), l);
        }
        l.push(value, head);
        return true;
    }

    /** RM_ListPop: the element, or null with errno. */
    public static byte[] listPop(ModuleKey k, boolean head) {
        RedisList l = list(k);
        if (l == null) {
            fail(ENOTSUP);
            return null;
        }
        if (!k.writable()) {
            fail(EBADF);
            return null;
        }
        byte[] e = l.pop(head);
        deleteIfEmpty(k, l.isEmpty());
        return e;
    }

    /** Resolves a list index as RM_List* do; -1 with errno when invalid. */
    private static long seek(ModuleKey k, RedisList l, long index, int mode) {
        if (l == null) {
            fail(ENOTSUP);
            return -1;
        }
        if ((k.mode() & mode) == 0) {
            fail(EBADF);
            return -1;
        }
        long len = l.size();
        if (index < -len || index >= len) {
            fail(EDOM);
            return -1;
        }
        return index < 0 ? index + len : index;
    }

    /** RM_ListGet. */
    public static byte[] listGet(ModuleKey k, long index) {
        RedisList l = list(k);
        long i = seek(k, l, index, ModuleKey.READ);
        return i < 0 ? null : l.get(i);
    }

    /** RM_ListSet. */
    public static boolean listSet(ModuleKey k, long index, byte[] value) {
        RedisList l = list(k);
        if (l == null) {
            return fail(ENOTSUP);
        }
        long i = seek(k, l, index, ModuleKey.WRITE);
        return i >= 0 && l.set(i, value);
    }

    /**
     * RM_ListInsert: a non-negative index inserts before the element there, a negative one
     * after it; index 0 or -1 of an empty key, and the positions just past either end, push.
     */
    public static boolean listInsert(ModuleKey k, long index, byte[] value) {
        Object v = k.value();
        if (v == null && (index == 0 || index == -1)) {
            return listPush(k, false, value);
        }
        if (v instanceof RedisList l) {
            long len = l.size();
            if (index == len || index == -1) {
                return listPush(k, false, value);
            }
            if (index == 0 || index == -len - 1) {
                return listPush(k, true, value);
            }
        }
        RedisList l = list(k);
        long i = seek(k, l, index, ModuleKey.WRITE);
        if (i < 0) {
            return false;
        }
        l.insertAt(index < 0 ? i + 1 : i, value);
        return true;
    }

    /** RM_ListDelete. */
    public static boolean listDelete(ModuleKey k, long index) {
        RedisList l = list(k);
        long i = seek(k, l, index, ModuleKey.WRITE);
        if (i < 0) {
            return false;
        }
        l.delete(i);
        deleteIfEmpty(k, l.isEmpty());
        return true;
    }

    // --- sorted sets -----------------------------------------------------------------------

    private static ZSetLimits zlimits(ModuleKey k) {
        Config c = config(k);
        return ZSetLimits.of(c.zsetMaxListpackEntries, c.zsetMaxListpackValue);
    }

    /**
     * RM_ZsetAdd / RM_ZsetIncrby: {@code flags[0]} carries REDISMODULE_ZADD_* in and out;
     * {@code newScore[0]} receives the score. False on wrong mode/type or a NaN result.
     */
    public static boolean zsetAdd(ModuleKey k, double score, byte[] member, int[] flags, boolean incr, double[] newScore) {
        Object v = k.value();
        if (!k.writable() || (v != null && !(v instanceof ZSet))) {
            return false;
        }
        ZSet z = (ZSet) v;
        boolean created = false;
        if (z == null) {
            z = ZSet.create(1, member.length, zlimits(k));
            k.db().add(k.key(), z);
            created = true;
        }
        int in = flags == null ? 0 : flags[0];
        int core = ((in & ZADD_XX) != 0 ? ZSet.XX : 0) | ((in & ZADD_NX) != 0 ? ZSet.NX : 0)
                | ((in & ZADD_GT) != 0 ? ZSet.GT : 0) | ((in & ZADD_LT) != 0 ? ZSet.LT : 0) | (incr ? ZSet.INCR : 0);
        double[] ns = new double[1];
        int out = z.add(member, score, core, zlimits(k), ns);
        if (out == ZSet.NAN) {
            if (flags != null) {
                flags[0] = 0;
            }
            deleteIfEmpty(k, created || z.size() == 0);
            return false;
        }
        if (flags != null) {
            flags[0] = ((out & ZSet.ADDED) != 0 ? ZADD_ADDED : 0) | ((out & ZSet.UPDATED) != 0 ? ZADD_UPDATED : 0)
                    | ((out & ZSet.NOP) != 0 ? ZADD_NOP : 0);
        }
        if (newScore != null) {
            newScore[0] = ns[0];
        }
        deleteIfEmpty(k, z.size() == 0);
        return true;
    }

    /** RM_ZsetRem: {@code deleted[0]} says whether the member was there. */
    public static boolean zsetRem(ModuleKey k, byte[] member, int[] deleted) {
        Object v = k.value();
        if (!k.writable() || (v != null && !(v instanceof ZSet))) {
            return false;
        }
        boolean removed = v != null && ((ZSet) v).remove(member);
        if (deleted != null) {
            deleted[0] = removed ? 1 : 0;
        }
        if (v != null) {
            deleteIfEmpty(k, ((ZSet) v).size() == 0);
        }
        return true;
    }

    /** RM_ZsetScore: NaN when the key is not a sorted set or the member is absent. */
    public static double zsetScore(ModuleKey k, byte[] member) {
        return k.value() instanceof ZSet z ? z.score(member) : Double.NaN;
    }

    // --- hashes ----------------------------------------------------------------------------

    public static final int HASH_NX = 1;
    public static final int HASH_XX = 1 << 1;
    public static final int HASH_CFIELDS = 1 << 2;
    public static final int HASH_EXISTS = 1 << 3;
    public static final int HASH_COUNT_ALL = 1 << 4;

    /** Whether the field at {@code pos} is past its TTL (Redis: its time is before now). */
    public static boolean fieldExpired(ModuleKey k, RedisHash h, int pos) {
        long at = h.expireAt(pos);
        return at != RedisHash.NO_TTL && at < k.db().keyspace().now();
    }

    /** Whether a hash field is present and, unless the key sees expired fields, not past its TTL. */
    private static boolean live(ModuleKey k, RedisHash h, int pos) {
        return (k.mode() & ModuleKey.ACCESS_EXPIRED) != 0 || !fieldExpired(k, h, pos);
    }

    private static final byte[] HDEL = {'H', 'D', 'E', 'L'};

    /**
     * Lazily removes an expired field found by HashSet's NX check, as Redis's lookup does (HDEL
     * propagated, hexpired event), but never deletes the key: the caller is about to write it.
     */
    private static void dropExpiredField(ModuleKey k, RedisHash h, int pos, byte[] field) {
        var server = k.host().server();
        int dbId = k.db().id();
        if (server.propagation().active()) {
            server.propagation().propagate(dbId, new byte[][] {HDEL, k.key(), field});
        }
        h.deleteAt(pos);
        server.keyspace().notify(dev.trellis.server.keyspace.EventType.HASH, "hexpired", k.key(), dbId);
    }

    /**
     * RM_HashSet: {@code values[i]} null deletes field i. Returns the count Redis returns
     * (fields updated or deleted, plus inserted ones with COUNT_ALL), or -1 with errno.
     */
    public static int hashSet(ModuleKey k, int flags, byte[][] fields, byte[][] values) {
        if ((flags & ~(HASH_NX | HASH_XX | HASH_CFIELDS | HASH_COUNT_ALL)) != 0) {
            errno = EINVAL;
            return -1;
        }
        Object v = k.value();
        if (v != null && !(v instanceof RedisHash)) {
            errno = ENOTSUP;
            return -1;
        }
        if (!k.writable()) {
            errno = EBADF;
            return -1;
        }
        RedisHash h = (RedisHash) v;
        if (h == null) {
            h = new RedisHash(HashLimits.of(config(k)));
            k.db().add(k.key(), h);
        }
        int count = 0;
        for (int i = 0; i < fields.length; i++) {
            if ((flags & (HASH_NX | HASH_XX)) != 0) {
                int pos = h.find(fields[i]);
                boolean exists = pos >= 0 && !fieldExpired(k, h, pos);
                if (pos >= 0 && !exists && (flags & HASH_XX) == 0) {
                    // XX leaves an expired field alone (the set fails); NX removes it first.
                    dropExpiredField(k, h, pos, fields[i]);
                }
                if (((flags & HASH_XX) != 0 && !exists) || ((flags & HASH_NX) != 0 && exists)) {
                    continue;
                }
            }
            if (values[i] == null) {
                count += h.delete(fields[i]) ? 1 : 0;
                continue;
            }
            boolean inserted = h.put(fields[i], values[i]);
            count += (flags & HASH_COUNT_ALL) != 0 || !inserted ? 1 : 0;
        }
        deleteIfEmpty(k, h.isEmpty());
        if (count == 0) {
            errno = ENOENT;
        }
        return count;
    }

    /** RM_HashGet for one field: the value (or null); expired fields only with ACCESS_EXPIRED. */
    public static byte[] hashGet(ModuleKey k, byte[] field) {
        if (!(k.value() instanceof RedisHash h)) {
            return null;
        }
        int pos = h.find(field);
        return pos >= 0 && live(k, h, pos) ? h.valueAt(pos) : null;
    }

    /** True when the key is empty or a hash (RM_HashGet fails on other types). */
    public static boolean hashReadable(ModuleKey k) {
        Object v = k.value();
        return v == null || v instanceof RedisHash;
    }
}
