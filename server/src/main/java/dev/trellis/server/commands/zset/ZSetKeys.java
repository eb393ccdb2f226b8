package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.config.Config;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;

/**
 * Sorted-set key access shared by the zset, geo and sort commands: lookups with Redis's read
 * and write semantics and type check, the configured encoding limits, and the bookkeeping
 * after a change (dirty counter, keyspace event, deleting a key that became empty).
 */
public final class ZSetKeys {
    private ZSetKeys() {
    }

    /** The encoding limits from zset-max-listpack-entries/value. */
    public static ZSetLimits limits(Client c) {
        Config cfg = c.server().config();
        return ZSetLimits.of(cfg.zsetMaxListpackEntries, cfg.zsetMaxListpackValue);
    }

    /**
     * lookupKeyRead: the sorted set at {@code key}, or null when missing (counting a keyspace
     * hit or miss, and the keymiss event); WRONGTYPE for another type.
     */
    public static ZSet read(Client c, byte[] key) {
        Object v = readAny(c, key);
        if (v == null || v instanceof ZSet) {
            return (ZSet) v;
        }
        throw CommandError.WRONGTYPE;
    }

    /**
     * lookupKeyRead of a value of any type (the caller checks it), counting the hit or miss
     * and emitting keymiss.
     */
    public static Object readAny(Client c, byte[] key) {
        KeyEntry e = c.db().lookupRead(key);
        return e == null ? null : e.value();
    }

    /** lookupKeyWrite: the sorted set at {@code key}, or null; WRONGTYPE for another type. */
    public static ZSet write(Client c, byte[] key) {
        KeyEntry e = c.db().lookupWrite(key);
        Object v = e == null ? null : e.value();
        if (v == null || v instanceof ZSet) {
            return (ZSet) v;
        }
        throw CommandError.WRONGTYPE;
    }

    /** Emits a zset event for {@code key} in the client's database. */
    public static void notify(Client c, String event, byte[] key) {
        c.server().keyspace().notify(EventType.ZSET, event, key, c.db().id());
    }

    /**
     * After removing members in place: signals the change and emits {@code event}, then
     * deletes the key with a "del" event if the set is now empty.
     */
    public static void afterRemoval(Client c, byte[] key, ZSet z, String event) {
        Database db = c.db();
        Keyspace ks = c.server().keyspace();
        ks.notify(EventType.ZSET, event, key, db.id());
        if (z.size() == 0) {
            db.delete(key);
            ks.notify(EventType.GENERIC, "del", key, db.id());
        } else {
            ks.signalModified(db, key);
        }
    }

    /**
     * Stores a command's result set at {@code dst} (the *STORE commands): an empty result
     * deletes the destination. Replies with the result size; emits {@code event}.
     */
    public static void store(Client c, byte[] dst, ZSet result, String event) {
        Database db = c.db();
        Keyspace ks = c.server().keyspace();
        if (result.size() > 0) {
            db.set(dst, result, false);
            c.reply().integer(result.size());
            ks.notify(EventType.ZSET, event, dst, db.id());
            c.server().stats().dirty++;
        } else {
            c.reply().integer(0);
            if (db.deleteStoreDestination(dst)) {
                ks.notify(EventType.GENERIC, "del", dst, db.id());
                c.server().stats().dirty++;
            }
        }
    }
}
