package dev.trellis.server.commands.hash;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.types.hash.HashLimits;
import dev.trellis.server.types.hash.RedisHash;
import dev.trellis.server.util.LongDouble;
import java.nio.charset.StandardCharsets;

/** Hash commands; field TTL commands are in {@link HashFieldTtlCommands}. */
public final class HashCommands implements CommandGroup {
    private static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);

    private HashLimits limits;
    private HashExpiry expiry;

    @Override
    public void register(Server server, CommandTable t) {
        limits = HashLimits.of(server.config());
        expiry = new HashExpiry(server);
        expiry.install();
        t.bind("hset", c -> hset(c, true));
        t.bind("hmset", c -> hset(c, false));
        t.bind("hsetnx", this::hsetnx);
        t.bind("hget", this::hget);
        t.bind("hmget", this::hmget);
        t.bind("hdel", HashCommands::hdel);
        t.bind("hlen", HashCommands::hlen);
        t.bind("hstrlen", this::hstrlen);
        t.bind("hexists", this::hexists);
        t.bind("hkeys", c -> getAll(c, true, false));
        t.bind("hvals", c -> getAll(c, false, true));
        t.bind("hgetall", c -> getAll(c, true, true));
        t.bind("hincrby", this::hincrby);
        t.bind("hincrbyfloat", this::hincrbyfloat);
        t.bind("hrandfield", c -> HashRandomField.execute(c, expiry));
        t.bind("hscan", HashScan::execute);
        new HashFieldTtlCommands(expiry).register(t);
    }

    /** The expiry machinery of this server's hashes (for the module host and tests). */
    public HashExpiry expiry() {
        return expiry;
    }

    // --- lookups -------------------------------------------------------------------------

    /** The hash at {@code key} or null; WRONGTYPE for other types. */
    public static RedisHash lookup(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof RedisHash) {
            return (RedisHash) v;
        }
        throw CommandError.WRONGTYPE;
    }

    /** A read lookup (Redis's lookupKeyRead): keyspace hit/miss statistics and the keymiss event. */
    static RedisHash lookupRead(Client c, byte[] key) {
        dev.trellis.server.keyspace.KeyEntry e = c.db().lookupRead(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof RedisHash v) {
            return v;
        }
        throw CommandError.WRONGTYPE;
    }

    static void notify(Client c, String event, byte[] key) {
        c.server().keyspace().notify(EventType.HASH, event, key, c.db().id());
    }

    // --- writes --------------------------------------------------------------------------

    private void hset(Client c, boolean isHset) {
        if (c.argc % 2 == 1) {
            throw CommandError.arity(c.commandName());
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisHash h = lookup(db, key);
        boolean created = h == null;
        if (created) {
            h = new RedisHash(limits);
        }
        h.beforeSetAll(c.argv, 2, c.argc);
        long added = 0;
        for (int i = 2; i < c.argc; i += 2) {
            if (h.set(c.arg(i), c.arg(i + 1), false)) {
                added++;
            }
        }
        if (created) {
            db.add(key, h);
        } else {
            c.server().keyspace().signalModified(db, key);
        }
        if (isHset) {
            c.reply().integer(added);
        } else {
            c.reply().ok();
        }
        notify(c, "hset", key);
        c.server().stats().dirty += (c.argc - 2) / 2;
    }

    /** The hash at {@code key}, created (and added to the database) when missing. */
    private RedisHash lookupOrCreate(Client c, byte[] key) {
        RedisHash h = lookup(c.db(), key);
        if (h == null) {
            h = new RedisHash(limits);
            c.db().add(key, h);
        }
        return h;
    }

    private void hsetnx(Client c) {
        byte[] key = c.arg(1);
        RedisHash h = lookupOrCreate(c, key);
        int pos = expiry.lookupField(c, key, h, c.arg(2), false);
        if (pos >= 0) {
            c.reply().integer(0);
            return;
        }
        if (pos == HashExpiry.EXPIRED_HASH) {
            h = lookupOrCreate(c, key);
        }
        h.beforeSetAll(c.argv, 2, 4);
        h.set(c.arg(2), c.arg(3), false);
        c.reply().integer(1);
        c.server().keyspace().signalModified(c.db(), key);
        notify(c, "hset", key);
        c.server().stats().dirty++;
    }

    static void hdel(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisHash h = lookup(db, key);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < c.argc; i++) {
            if (h.delete(c.arg(i))) {
                deleted++;
                if (h.isEmpty()) {
                    db.delete(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            if (!keyRemoved) {
                c.server().keyspace().signalModified(db, key);
            }
            notify(c, "hdel", key);
            if (keyRemoved) {
                c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
            }
            c.server().stats().dirty += deleted;
        }
        c.reply().integer(deleted);
    }

    private void hincrby(Client c) {
        long incr = c.argLong(3);
        byte[] key = c.arg(1);
        byte[] field = c.arg(2);
        RedisHash h = lookupOrCreate(c, key);
        int pos = expiry.lookupField(c, key, h, field, false);
        long value = 0;
        if (pos >= 0) {
            byte[] v = h.valueAt(pos);
            if (!Numbers.isLong(v)) {
                throw CommandError.of("ERR hash value is not an integer");
            }
            value = Numbers.parseLong(v);
        } else if (pos == HashExpiry.EXPIRED_HASH) {
            h = lookupOrCreate(c, key);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw CommandError.OVERFLOW;
        }
        value += incr;
        h.set(field, Numbers.toBytes(value), true);
        c.reply().integer(value);
        c.server().keyspace().signalModified(c.db(), key);
        notify(c, "hincrby", key);
        c.server().stats().dirty++;
    }

    private void hincrbyfloat(Client c) {
        LongDouble incr = LongDouble.parse(c.arg(3));
        if (incr == null) {
            throw CommandError.NOT_FLOAT;
        }
        if (incr.isInfinite()) {
            throw CommandError.of("ERR value is NaN or Infinity");
        }
        byte[] key = c.arg(1);
        byte[] field = c.arg(2);
        RedisHash h = lookupOrCreate(c, key);
        int pos = expiry.lookupField(c, key, h, field, false);
        LongDouble value = LongDouble.of(0);
        if (pos >= 0) {
            value = LongDouble.parse(h.valueAt(pos));
            if (value == null) {
                throw CommandError.of("ERR hash value is not a float");
            }
        } else if (pos == HashExpiry.EXPIRED_HASH) {
            h = lookupOrCreate(c, key);
        }
        LongDouble sum = value.add(incr);
        if (sum.isInfinite()) {
            throw CommandError.of("ERR increment would produce NaN or Infinity");
        }
        byte[] out = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        h.set(field, out, true);
        c.reply().bulk(out);
        c.server().keyspace().signalModified(c.db(), key);
        notify(c, "hincrbyfloat", key);
        c.server().stats().dirty++;
        // replicate the result, not the increment, so float formatting cannot diverge
        c.propagateArgv = new byte[][] {HSET, key, field, out};
    }

    // --- reads ---------------------------------------------------------------------------

    private void hget(Client c) {
        byte[] key = c.arg(1);
        RedisHash h = lookupRead(c, key);
        if (h == null) {
            c.reply().nullBulk();
            return;
        }
        int pos = expiry.lookupField(c, key, h, c.arg(2), false);
        if (pos >= 0) {
            h.replyValueAt(c.reply(), pos);
        } else {
            c.reply().nullBulk();
        }
    }

    private void hmget(Client c) {
        byte[] key = c.arg(1);
        RedisHash h = lookupRead(c, key);
        c.reply().array(c.argc - 2);
        boolean expired = false;
        boolean deleted = false;
        for (int i = 2; i < c.argc; i++) {
            int pos = h == null || deleted ? HashExpiry.NOT_FOUND : expiry.lookupField(c, key, h, c.arg(i), true);
            if (pos >= 0) {
                h.replyValueAt(c.reply(), pos);
            } else {
                c.reply().nullBulk();
                expired |= pos == HashExpiry.EXPIRED || pos == HashExpiry.EXPIRED_HASH;
                deleted |= pos == HashExpiry.EXPIRED_HASH;
            }
        }
        if (expired) {
            notify(c, "hexpired", key);
            if (deleted) {
                c.server().keyspace().notify(EventType.GENERIC, "del", key, c.db().id());
            }
        }
    }

    static void hlen(Client c) {
        RedisHash h = lookupRead(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.size());
    }

    private void hstrlen(Client c) {
        byte[] key = c.arg(1);
        RedisHash h = lookupRead(c, key);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        int pos = expiry.lookupField(c, key, h, c.arg(2), false);
        c.reply().integer(pos >= 0 ? h.valueLengthAt(pos) : 0);
    }

    private void hexists(Client c) {
        byte[] key = c.arg(1);
        RedisHash h = lookupRead(c, key);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(expiry.lookupField(c, key, h, c.arg(2), false) >= 0 ? 1 : 0);
    }

    private static void getAll(Client c, boolean fields, boolean values) {
        RedisHash h = lookupRead(c, c.arg(1));
        long now = c.server().keyspace().now();
        long length = h == null ? 0 : h.size() - h.countExpired(now);
        if (fields && values) {
            c.reply().map(length);
        } else {
            c.reply().array(length);
        }
        if (length == 0) {
            return;
        }
        for (RedisHash.Cursor cur = h.cursor(); cur.next(); ) {
            long t = cur.expireAt();
            if (t != RedisHash.NO_TTL && t < now) {
                continue;
            }
            if (fields) {
                cur.replyField(c.reply());
            }
            if (values) {
                cur.replyValue(c.reply());
            }
        }
    }
}
