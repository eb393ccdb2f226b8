package dev.trellis.server.commands.keys;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.types.RedisValue;
import java.util.Arrays;

/** RENAME, RENAMENX, COPY and MOVE: a value changes name or database, keeping its TTL. */
final class RenameCommands {
    private RenameCommands() {
    }

    static void rename(Client c, boolean nx) {
        Database db = c.db();
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        KeyEntry e = db.lookupWrite(src);
        if (e == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        if (Arrays.equals(src, dst)) {
            reply(c, nx, false); // nothing to do: OK, or 0 for RENAMENX
            return;
        }
        long expireAt = e.expireAt();
        if (db.lookupWrite(dst) != null) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.delete(dst);
        }
        // The value object moves: its access clock and encoding go with it.
        place(db, dst, e, e.value(), expireAt);
        db.delete(src);
        Keyspace ks = c.server().keyspace();
        ks.notify(EventType.GENERIC, "rename_from", src, db.id());
        ks.notify(EventType.GENERIC, "rename_to", dst, db.id());
        c.server().stats().dirty++;
        reply(c, nx, true);
    }

    private static void reply(Client c, boolean nx, boolean done) {
        if (nx) {
            c.reply().integer(done ? 1 : 0);
        } else {
            c.reply().ok();
        }
    }

    /** Adds {@code value} at {@code key} in {@code db} with the source entry's clock and encoding hint. */
    private static KeyEntry place(Database db, byte[] key, KeyEntry from, Object value, long expireAt) {
        KeyEntry ne = db.add(key, value);
        ne.access(from.access());
        ne.stringEncoding(from.stringEncoding());
        if (expireAt != KeyEntry.NO_EXPIRE) {
            db.setExpire(ne, expireAt);
        }
        return ne;
    }

    static void move(Client c) {
        Database src = c.db();
        int id = IntArgs.dbIndex(c, 2);
        Database dst = c.server().keyspace().db(id);
        if (src == dst) {
            throw IntArgs.SAME_OBJECT;
        }
        byte[] key = c.arg(1);
        KeyEntry e = src.lookupWrite(key);
        if (e == null || dst.lookupWrite(key) != null) {
            c.reply().integer(0);
            return;
        }
        place(dst, key, e, e.value(), e.expireAt());
        src.delete(key);
        Keyspace ks = c.server().keyspace();
        ks.notify(EventType.GENERIC, "move_from", key, src.id());
        ks.notify(EventType.GENERIC, "move_to", key, dst.id());
        c.server().stats().dirty++;
        c.reply().integer(1);
    }

    static void copy(Client c) {
        Database src = c.db();
        Database dst = src;
        boolean replace = false;
        for (int j = 3; j < c.argc; j++) {
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "db") && j + 1 < c.argc) {
                dst = c.server().keyspace().db(IntArgs.dbIndex(c, ++j));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        byte[] newKey = c.arg(2);
        if (src == dst && Arrays.equals(key, newKey)) {
            throw IntArgs.SAME_OBJECT;
        }
        KeyEntry e = src.lookupRead(key);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        long expireAt = e.expireAt();
        boolean delete = false;
        if (dst.lookupWrite(newKey) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            delete = true;
        }
        Object copy = e.value() instanceof byte[] b ? b.clone() : ((RedisValue) e.value()).copy();
        if (delete) {
            dst.delete(newKey);
        }
        // A copy is a new object: a fresh access clock, but the same encoding as the original.
        KeyEntry ne = dst.add(newKey, copy);
        ne.stringEncoding(e.stringEncoding() == KeyEntry.STRING_ENCODED && copy instanceof byte[]
                ? KeyEntry.STRING_UNSHARED : e.stringEncoding());
        if (expireAt != KeyEntry.NO_EXPIRE) {
            dst.setExpire(ne, expireAt);
        }
        c.server().keyspace().notify(EventType.GENERIC, "copy_to", newKey, dst.id());
        c.server().stats().dirty++;
        c.reply().integer(1);
    }
}
