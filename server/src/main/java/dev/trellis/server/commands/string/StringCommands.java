package dev.trellis.server.commands.string;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;

/** String commands. */
public final class StringCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("get", StringCommands::get);
        t.bind("set", StringCommands::set);
        t.bind("incr", c -> incrBy(c, 1));
        t.bind("decr", c -> incrBy(c, -1));
        t.bind("incrby", c -> incrBy(c, c.argLong(2)));
        t.bind("decrby", c -> {
            long d = c.argLong(2);
            if (d == Long.MIN_VALUE) {
                throw CommandError.of("ERR decrement would overflow");
            }
            incrBy(c, -d);
        });
        t.bind("mget", StringCommands::mget);
        t.bind("mset", StringCommands::mset);
    }

    /** The string at {@code key}, null if missing; WRONGTYPE for other types. */
    public static byte[] getString(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw CommandError.WRONGTYPE;
    }

    static void get(Client c) {
        byte[] v = getString(c.db(), c.arg(1));
        if (v == null) {
            c.server().keyspace().keyspaceMisses++;
            c.reply().nullBulk();
        } else {
            c.server().keyspace().keyspaceHits++;
            c.reply().bulk(v);
        }
    }

    static void set(Client c) {
        SetOptions o = SetOptions.parse(c, 3);
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookup(key);
        byte[] old = null;
        if (o.get) {
            if (e != null && !(e.value() instanceof byte[])) {
                throw CommandError.WRONGTYPE;
            }
            old = e == null ? null : (byte[]) e.value();
        }
        if ((o.nx && e != null) || (o.xx && e == null)) {
            if (o.get) {
                c.reply().bulk(old);
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        long expireAt = o.expireAt(c);
        KeyEntry ne;
        if (e == null) {
            ne = db.add(key, c.arg(2));
        } else {
            db.overwrite(e, c.arg(2), o.keepTtl);
            ne = e;
        }
        c.server().stats().dirty++;
        c.server().keyspace().notify(EventType.STRING, "set", key, db.id());
        if (expireAt != KeyEntry.NO_EXPIRE) {
            db.setExpire(ne, expireAt);
            c.server().keyspace().notify(EventType.GENERIC, "expire", key, db.id());
            if (o.relative()) {
                // Propagate an absolute time so replicas and the AOF agree on the deadline.
                c.propagateArgv = new byte[][] {"SET".getBytes(), key, c.arg(2), "PXAT".getBytes(),
                    Numbers.toBytes(expireAt)};
            }
        }
        if (o.get) {
            c.reply().bulk(old);
        } else {
            c.reply().ok();
        }
    }

    static void incrBy(Client c, long delta) {
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookup(key);
        long cur = 0;
        if (e != null) {
            if (!(e.value() instanceof byte[] b)) {
                throw CommandError.WRONGTYPE;
            }
            cur = Numbers.parseLongOr(b, Long.MIN_VALUE, true);
            if (cur == Long.MIN_VALUE && !Numbers.isLong(b)) {
                throw CommandError.NOT_INTEGER;
            }
        }
        if ((delta < 0 && cur < 0 && delta < Long.MIN_VALUE - cur)
                || (delta > 0 && cur > 0 && delta > Long.MAX_VALUE - cur)) {
            throw CommandError.OVERFLOW;
        }
        long next = cur + delta;
        byte[] v = Numbers.toBytes(next);
        if (e == null) {
            db.add(key, v);
        } else {
            e.value(v);
            c.server().keyspace().signalModified(db, key);
        }
        c.server().stats().dirty++;
        c.server().keyspace().notify(EventType.STRING, "incrby", key, db.id());
        c.reply().integer(next);
    }

    static void mget(Client c) {
        Database db = c.db();
        c.reply().array(c.argc - 1);
        for (int i = 1; i < c.argc; i++) {
            Object v = db.get(c.arg(i));
            if (v instanceof byte[] b) {
                c.reply().bulk(b);
            } else {
                c.reply().nullBulk();
            }
        }
    }

    static void mset(Client c) {
        if (c.argc % 2 == 0) {
            throw CommandError.arity("mset");
        }
        Database db = c.db();
        for (int i = 1; i < c.argc; i += 2) {
            db.set(c.arg(i), c.arg(i + 1), false);
            c.server().keyspace().notify(EventType.STRING, "set", c.arg(i), db.id());
        }
        c.server().stats().dirty += (c.argc - 1) / 2;
        c.reply().ok();
    }
}
