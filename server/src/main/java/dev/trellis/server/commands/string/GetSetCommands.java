package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;

/** Whole-value string commands: GET, SET and its variants, GETSET, GETDEL, GETEX, MGET, MSET(NX). */
final class GetSetCommands {
    static final byte[] SET = Strings.ascii("SET");
    static final byte[] PXAT = Strings.ascii("PXAT");
    static final byte[] DEL = Strings.ascii("DEL");
    static final byte[] UNLINK = Strings.ascii("UNLINK");
    static final byte[] PEXPIREAT = Strings.ascii("PEXPIREAT");
    static final byte[] PERSIST = Strings.ascii("PERSIST");

    private GetSetCommands() {
    }

    static void get(Client c) {
        c.reply().bulk(Strings.of(c.db().lookupRead(c.arg(1))));
    }

    static void set(Client c) {
        SetOptions o = SetOptions.forSet(c);
        set(c, o, c.arg(1), c.arg(2), false);
    }

    static void setnx(Client c) {
        Database db = c.db();
        if (db.lookupWrite(c.arg(1)) != null) {
            c.reply().integer(0);
            return;
        }
        store(c, db, c.arg(1), c.arg(2), false);
        c.reply().integer(1);
    }

    /** SETEX (seconds) and PSETEX (milliseconds): SET key value EX|PX time. */
    static void setex(Client c, boolean millis) {
        SetOptions o = SetOptions.forSetex(millis);
        set(c, o, c.arg(1), c.arg(3), true);
    }

    /**
     * The body shared by SET, SETEX and PSETEX (Redis's setGenericCommand): the expire time is
     * validated first, then GET's type check, then NX/XX decide.
     */
    private static void set(Client c, SetOptions o, byte[] key, byte[] value, boolean setex) {
        long expireAt = o.hasExpire() ? o.expireAt(c) : KeyEntry.NO_EXPIRE;
        Database db = c.db();
        if (o.has(SetOptions.GET)) {
            get(c);
        }
        // One lookup: overwrite() updates the access clock once, as Redis's overwrite does.
        KeyEntry e = db.lookup(key);
        if ((o.has(SetOptions.NX) && e != null) || (o.has(SetOptions.XX) && e == null)) {
            if (!o.has(SetOptions.GET)) {
                c.reply().nullBulk();
            }
            return;
        }
        if (e == null) {
            e = db.add(key, value);
        } else {
            db.overwrite(e, value, o.has(SetOptions.KEEPTTL));
        }
        c.server().stats().dirty++;
        Keyspace ks = c.server().keyspace();
        ks.notify(EventType.STRING, "set", key, db.id());
        if (expireAt != KeyEntry.NO_EXPIRE) {
            db.setExpire(e, expireAt);
            // Propagate an absolute time so replicas and the AOF agree on the deadline.
            c.propagateArgv = new byte[][] {SET, key, value, PXAT, SetOptions.millis(expireAt)};
            ks.notify(EventType.GENERIC, "expire", key, db.id());
        } else if (o.has(SetOptions.GET)) {
            c.propagateArgv = withoutGet(c);
        }
        if (!o.has(SetOptions.GET)) {
            c.reply().ok();
        }
    }

    /** SET's arguments without its GET options (replicas need not reply). */
    private static byte[][] withoutGet(Client c) {
        int n = 0;
        byte[][] out = new byte[c.argc][];
        for (int i = 0; i < c.argc; i++) {
            if (i < 3 || !c.argIs(i, "get")) {
                out[n++] = c.arg(i);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Stores a new string value (clearing any TTL) and fires "set". */
    static KeyEntry store(Client c, Database db, byte[] key, byte[] value, boolean keepTtl) {
        KeyEntry e = db.set(key, value, keepTtl);
        c.server().stats().dirty++;
        c.server().keyspace().notify(EventType.STRING, "set", key, db.id());
        return e;
    }

    static void getset(Client c) {
        byte[] key = c.arg(1);
        get(c);
        store(c, c.db(), key, c.arg(2), false);
        c.propagateArgv = new byte[][] {SET, key, c.arg(2)};
    }

    static void getdel(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        byte[] old = Strings.of(db.lookupRead(key));
        c.reply().bulk(old);
        if (old != null && db.delete(key)) {
            c.propagateArgv = new byte[][] {lazyUserDel(c) ? UNLINK : DEL, key};
            c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
            c.server().stats().dirty++;
        }
    }

    static void getex(Client c) {
        SetOptions o = SetOptions.forGetex(c);
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupRead(key);
        byte[] v = Strings.of(e);
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        long expireAt = o.hasExpire() ? o.expireAt(c) : KeyEntry.NO_EXPIRE;
        c.reply().bulk(v);
        Keyspace ks = c.server().keyspace();
        if (o.absolute() && expireAt <= ks.now()) {
            db.delete(key);
            c.propagateArgv = new byte[][] {lazyExpire(c) ? UNLINK : DEL, key};
            ks.notify(EventType.GENERIC, "del", key, db.id());
            c.server().stats().dirty++;
        } else if (expireAt != KeyEntry.NO_EXPIRE) {
            db.setExpire(e, expireAt);
            c.propagateArgv = new byte[][] {PEXPIREAT, key, SetOptions.millis(expireAt)};
            ks.signalModified(db, key);
            ks.notify(EventType.GENERIC, "expire", key, db.id());
            c.server().stats().dirty++;
        } else if (o.has(SetOptions.PERSIST)) {
            if (db.removeExpire(e)) {
                ks.signalModified(db, key);
                c.propagateArgv = new byte[][] {PERSIST, key};
                ks.notify(EventType.GENERIC, "persist", key, db.id());
                c.server().stats().dirty++;
            }
        }
    }

    static void mget(Client c) {
        Database db = c.db();
        c.reply().array(c.argc - 1);
        for (int i = 1; i < c.argc; i++) {
            KeyEntry e = db.lookupRead(c.arg(i));
            if (e != null && e.value() instanceof byte[] b) {
                c.reply().bulk(b);
            } else {
                c.reply().nullBulk();
            }
        }
    }

    static void mset(Client c, boolean nx) {
        if (c.argc % 2 == 0) {
            throw CommandError.arity(c.commandName());
        }
        Database db = c.db();
        if (nx) {
            for (int i = 1; i < c.argc; i += 2) {
                if (db.lookupWrite(c.arg(i)) != null) {
                    c.reply().integer(0);
                    return;
                }
            }
        }
        for (int i = 1; i < c.argc; i += 2) {
            store(c, db, c.arg(i), c.arg(i + 1), false);
        }
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    static boolean lazyUserDel(Client c) {
        return yes(c, "lazyfree-lazy-user-del");
    }

    static boolean lazyExpire(Client c) {
        return yes(c, "lazyfree-lazy-expire");
    }

    private static boolean yes(Client c, String param) {
        var p = c.server().config().find(param);
        return p != null && "yes".equals(p.get());
    }
}
