package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.util.LongDouble;

/** INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT. */
final class CounterCommands {
    private static final CommandError DECREMENT_OVERFLOW = CommandError.of("ERR decrement would overflow");
    private static final CommandError NAN_OR_INFINITY =
            CommandError.of("ERR increment would produce NaN or Infinity");
    private static final byte[] KEEPTTL = Strings.ascii("KEEPTTL");

    private CounterCommands() {
    }

    static void decrby(Client c) {
        long d = c.argLong(2);
        if (d == Long.MIN_VALUE) {
            throw DECREMENT_OVERFLOW;
        }
        incrBy(c, -d);
    }

    static void incrBy(Client c, long delta) {
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupWrite(key);
        byte[] old = Strings.of(e);
        long cur = old == null ? 0 : Numbers.parseLong(old);
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
        c.server().keyspace().notify(EventType.STRING, "incrby", key, db.id());
        c.server().stats().dirty++;
        c.reply().integer(next);
    }

    static void incrByFloat(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupWrite(key);
        byte[] old = Strings.of(e);
        LongDouble cur = old == null ? LongDouble.of(0) : LongDouble.parse(old);
        LongDouble incr = LongDouble.parse(c.arg(2));
        if (cur == null || incr == null) {
            throw CommandError.NOT_FLOAT;
        }
        LongDouble sum = cur.add(incr);
        if (sum.isInfinite()) {
            throw NAN_OR_INFINITY;
        }
        byte[] v = Strings.ascii(sum.toHumanString());
        if (e == null) {
            e = db.add(key, v);
        } else {
            e.value(v);
            c.server().keyspace().signalModified(db, key);
        }
        // Redis creates the result with createStringObject: embstr or raw, never int.
        e.stringEncoding(KeyEntry.STRING_NOT_INT);
        c.server().keyspace().notify(EventType.STRING, "incrbyfloat", key, db.id());
        c.server().stats().dirty++;
        c.reply().bulk(v);
        // Replicas and the AOF get the exact result, never a float computation to redo.
        c.propagateArgv = new byte[][] {GetSetCommands.SET, key, v, KEEPTTL};
    }
}
