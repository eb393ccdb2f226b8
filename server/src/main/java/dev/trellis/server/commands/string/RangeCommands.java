package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.GrowableString;
import java.util.Arrays;

/** Commands on parts of a string: APPEND, STRLEN, GETRANGE, SETRANGE. */
final class RangeCommands {
    private static final CommandError OFFSET_RANGE = CommandError.of("ERR offset is out of range");

    private RangeCommands() {
    }

    static void append(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        byte[] add = c.arg(2);
        KeyEntry e = db.lookupWrite(key);
        long length;
        if (e == null) {
            db.add(key, add);
            length = add.length;
        } else if (e.rawValue() instanceof GrowableString g) {
            Strings.checkLength(c, g.length(), add.length);
            length = g.append(add);
            c.server().keyspace().signalModified(db, key);
        } else {
            byte[] old = Strings.of(e);
            Strings.checkLength(c, old.length, add.length);
            // Spare room from now on (as Redis's sds greedy growth), so further appends
            // do not copy the whole string each time.
            e.value(new GrowableString(old, add));
            e.stringEncoding(KeyEntry.STRING_RAW);
            c.server().keyspace().signalModified(db, key);
            length = old.length + (long) add.length;
        }
        c.server().keyspace().notify(EventType.STRING, "append", key, db.id());
        c.server().stats().dirty++;
        c.reply().integer(length);
    }

    static void strlen(Client c) {
        KeyEntry e = c.db().lookupRead(c.arg(1));
        if (e != null && e.rawValue() instanceof GrowableString g) {
            c.reply().integer(g.length()); // no trim: APPEND/STRLEN loops stay linear
            return;
        }
        byte[] v = Strings.of(e);
        c.reply().integer(v == null ? 0 : v.length);
    }

    static void getrange(Client c) {
        long start = c.argLong(2);
        long end = c.argLong(3);
        byte[] v = Strings.of(c.db().lookupRead(c.arg(1)));
        if (v == null) {
            c.reply().bulk(Strings.EMPTY);
            return;
        }
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(Strings.EMPTY);
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        end = Math.min(end, len - 1);
        if (start > end || len == 0) {
            c.reply().bulk(Strings.EMPTY);
        } else {
            c.reply().bulk(v, (int) start, (int) (end - start + 1));
        }
    }

    static void setrange(Client c) {
        long offset = c.argLong(2);
        if (offset < 0) {
            throw OFFSET_RANGE;
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        byte[] patch = c.arg(3);
        KeyEntry e = db.lookupWrite(key);
        byte[] v;
        if (e == null) {
            if (patch.length == 0) {
                c.reply().integer(0);
                return;
            }
            Strings.checkLength(c, offset, patch.length);
            v = new byte[(int) offset + patch.length];
            System.arraycopy(patch, 0, v, (int) offset, patch.length);
            e = db.add(key, v);
        } else {
            byte[] old = Strings.of(e);
            if (patch.length == 0) {
                c.reply().integer(old.length);
                return;
            }
            Strings.checkLength(c, offset, patch.length);
            int needed = (int) offset + patch.length;
            // In place when it fits: the key owns its array (see Values).
            v = needed > old.length ? Arrays.copyOf(old, needed) : old;
            System.arraycopy(patch, 0, v, (int) offset, patch.length);
            e.value(v);
            c.server().keyspace().signalModified(db, key);
        }
        e.stringEncoding(KeyEntry.STRING_RAW);
        c.server().keyspace().notify(EventType.STRING, "setrange", key, db.id());
        c.server().stats().dirty++;
        c.reply().integer(v.length);
    }
}
