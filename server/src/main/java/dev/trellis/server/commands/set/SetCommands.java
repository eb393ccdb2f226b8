package dev.trellis.server.commands.set;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.commands.hash.ScanArgs;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.types.set.RedisSet;
import dev.trellis.server.types.set.SetLimits;
import java.util.ArrayList;
import java.util.List;

/** Set commands; the algebra (SINTER...) is in {@link SetAlgebra}, random picks in {@link SetRandom}. */
public final class SetCommands implements CommandGroup {
    private SetLimits limits;

    @Override
    public void register(Server server, CommandTable t) {
        limits = SetLimits.of(server.config());
        t.bind("sadd", this::sadd);
        t.bind("srem", SetCommands::srem);
        t.bind("sismember", SetCommands::sismember);
        t.bind("smismember", SetCommands::smismember);
        t.bind("scard", SetCommands::scard);
        t.bind("smembers", SetCommands::smembers);
        t.bind("smove", this::smove);
        t.bind("sscan", SetCommands::sscan);
        SetRandom.register(t);
        new SetAlgebra(limits).register(t);
    }

    // --- lookups -------------------------------------------------------------------------

    /** The set at {@code key} or null; WRONGTYPE for other types. */
    public static RedisSet lookup(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof RedisSet) {
            return (RedisSet) v;
        }
        throw CommandError.WRONGTYPE;
    }

    /** A read lookup (Redis's lookupKeyRead): keyspace hit/miss statistics and the keymiss event. */
    static RedisSet lookupRead(Client c, byte[] key) {
        dev.trellis.server.keyspace.KeyEntry e = c.db().lookupRead(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof RedisSet v) {
            return v;
        }
        throw CommandError.WRONGTYPE;
    }

    static void notify(Client c, String event, byte[] key) {
        c.server().keyspace().notify(EventType.SET, event, key, c.db().id());
    }

    static void notifyDel(Client c, byte[] key) {
        c.server().keyspace().notify(EventType.GENERIC, "del", key, c.db().id());
    }

    // --- commands ------------------------------------------------------------------------

    private void sadd(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisSet s = lookup(db, key);
        boolean created = s == null;
        if (created) {
            s = RedisSet.create(limits, c.arg(2), c.argc - 2);
        } else {
            s.beforeAdd(c.argc - 2);
        }
        long added = 0;
        for (int i = 2; i < c.argc; i++) {
            if (s.add(c.arg(i))) {
                added++;
            }
        }
        if (created) {
            db.add(key, s);
        }
        if (added > 0) {
            if (!created) {
                c.server().keyspace().signalModified(db, key);
            }
            notify(c, "sadd", key);
        }
        c.server().stats().dirty += added;
        c.reply().integer(added);
    }

    static void srem(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisSet s = lookup(db, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < c.argc; i++) {
            if (s.remove(c.arg(i))) {
                deleted++;
                if (s.isEmpty()) {
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
            notify(c, "srem", key);
            if (keyRemoved) {
                notifyDel(c, key);
            }
            c.server().stats().dirty += deleted;
        }
        c.reply().integer(deleted);
    }

    private void smove(Client c) {
        Database db = c.db();
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        byte[] member = c.arg(3);
        Object sv = db.get(src);
        Object dv = db.get(dst);
        if (sv == null) {
            c.reply().integer(0);
            return;
        }
        if (!(sv instanceof RedisSet from) || (dv != null && !(dv instanceof RedisSet))) {
            throw CommandError.WRONGTYPE;
        }
        RedisSet to = (RedisSet) dv;
        if (from == to) {
            c.reply().integer(from.contains(member) ? 1 : 0);
            return;
        }
        if (!from.remove(member)) {
            c.reply().integer(0);
            return;
        }
        notify(c, "srem", src);
        if (from.isEmpty()) {
            db.delete(src);
            notifyDel(c, src);
        } else {
            c.server().keyspace().signalModified(db, src);
        }
        if (to == null) {
            to = RedisSet.create(limits, member, 1);
            to.add(member);
            db.add(dst, to);
            c.server().stats().dirty++;
            notify(c, "sadd", dst);
        } else if (to.add(member)) {
            c.server().stats().dirty++;
            c.server().keyspace().signalModified(db, dst);
            notify(c, "sadd", dst);
        }
        c.server().stats().dirty++;
        c.reply().integer(1);
    }

    static void sismember(Client c) {
        RedisSet s = lookupRead(c, c.arg(1));
        c.reply().integer(s != null && s.contains(c.arg(2)) ? 1 : 0);
    }

    static void smismember(Client c) {
        RedisSet s = lookupRead(c, c.arg(1));
        c.reply().array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            c.reply().integer(s != null && s.contains(c.arg(i)) ? 1 : 0);
        }
    }

    static void scard(Client c) {
        RedisSet s = lookupRead(c, c.arg(1));
        c.reply().integer(s == null ? 0 : s.size());
    }

    static void smembers(Client c) {
        RedisSet s = lookupRead(c, c.arg(1));
        if (s == null) {
            c.reply().set(0);
            return;
        }
        replyMembers(c, s);
    }

    /** The whole set as a set reply (arrays in RESP2). */
    static void replyMembers(Client c, RedisSet s) {
        c.reply().set(s.size());
        for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
            cur.reply(c.reply());
        }
    }

    static void sscan(Client c) {
        long start = ScanArgs.parseCursor(c.arg(2));
        RedisSet s = lookupRead(c, c.arg(1));
        if (s == null) {
            ScanArgs.replyEmpty(c.reply());
            return;
        }
        ScanArgs a = ScanArgs.parse(c, start, false);
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        if (!s.isTable()) {
            for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
                byte[] m = cur.bytes();
                if (a.matches(m)) {
                    out.add(m);
                }
            }
        } else {
            cursor = start;
            long maxIterations = a.count * 10;
            int[] sampled = {0};
            do {
                cursor = s.scan(cursor, pos -> {
                    sampled[0]++;
                    byte[] m = s.memberAt(pos);
                    if (a.matches(m)) {
                        out.add(m);
                    }
                });
            } while (cursor != 0 && maxIterations-- > 0 && sampled[0] < a.count);
        }
        c.reply().array(2);
        ScanArgs.replyCursor(c.reply(), cursor);
        c.reply().array(out.size());
        for (byte[] m : out) {
            c.reply().bulk(m);
        }
    }
}
