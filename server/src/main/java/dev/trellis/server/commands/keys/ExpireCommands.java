package dev.trellis.server.commands.keys;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import java.nio.charset.StandardCharsets;

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX XX GT LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST. */
final class ExpireCommands {
    private static final CommandError NX_CONFLICT =
            CommandError.of("ERR NX and XX, GT or LT options at the same time are not compatible");
    private static final CommandError GT_LT_CONFLICT =
            CommandError.of("ERR GT and LT options at the same time are not compatible");
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);

    private ExpireCommands() {
    }

    /**
     * The EXPIRE family. {@code relative}: the time counts from now; {@code seconds}: the unit.
     * A time already past deletes the key (propagated as DEL).
     */
    static void expire(Client c, boolean relative, boolean seconds) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < c.argc; i++) {
            if (c.argIs(i, "nx")) {
                nx = true;
            } else if (c.argIs(i, "xx")) {
                xx = true;
            } else if (c.argIs(i, "gt")) {
                gt = true;
            } else if (c.argIs(i, "lt")) {
                lt = true;
            } else {
                throw CommandError.echoing("ERR Unsupported option ", c.arg(i));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw NX_CONFLICT;
        }
        if (gt && lt) {
            throw GT_LT_CONFLICT;
        }
        long when = c.argLong(2);
        Keyspace ks = c.server().keyspace();
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw invalidExpire(c);
            }
            when *= 1000;
        }
        long base = relative ? ks.now() : 0;
        if (when > Long.MAX_VALUE - base) {
            throw invalidExpire(c);
        }
        when += base;

        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupWrite(key);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        long current = e.expireAt();
        boolean none = current == KeyEntry.NO_EXPIRE;
        // No TTL counts as infinite: GT never beats it, LT always does.
        if ((nx && !none) || (xx && none) || (gt && (none || when <= current)) || (lt && !none && when >= current)) {
            c.reply().integer(0);
            return;
        }
        if (when <= ks.now()) {
            db.delete(key);
            c.server().stats().dirty++;
            c.propagateArgv = new byte[][] {lazyExpire(c) ? UNLINK : DEL, key};
            ks.notify(EventType.GENERIC, "del", key, db.id());
            c.reply().integer(1);
            return;
        }
        db.setExpire(e, when);
        c.propagateArgv = new byte[][] {PEXPIREAT, key, Numbers.toBytes(when)};
        ks.signalModified(db, key);
        ks.notify(EventType.GENERIC, "expire", key, db.id());
        c.server().stats().dirty++;
        c.reply().integer(1);
    }

    private static CommandError invalidExpire(Client c) {
        return CommandError.of("ERR invalid expire time in '" + c.commandName() + "' command");
    }

    private static boolean lazyExpire(Client c) {
        var p = c.server().config().find("lazyfree-lazy-expire");
        return p != null && "yes".equals(p.get());
    }

    /** TTL family: -2 missing, -1 no TTL, else remaining (or absolute) time, rounded for seconds. */
    static void ttl(Client c, boolean millis, boolean absolute) {
        KeyEntry e = c.db().lookupRead(c.arg(1), Database.NO_TOUCH);
        if (e == null) {
            c.reply().integer(-2);
            return;
        }
        long at = e.expireAt();
        if (at == KeyEntry.NO_EXPIRE) {
            c.reply().integer(-1);
            return;
        }
        long t = absolute ? at : at - c.server().keyspace().now();
        t = Math.max(t, 0);
        // Redis rounds with (t+500)/1000 on a value the compiler knows is not negative, so it
        // divides unsigned: near LLONG_MAX the sum wraps and still rounds up (9223372036854776).
        c.reply().integer(millis ? t : Long.divideUnsigned(t + 500, 1000));
    }

    static void persist(Client c) {
        Database db = c.db();
        KeyEntry e = db.lookupWrite(c.arg(1));
        if (e == null || !db.removeExpire(e)) {
            c.reply().integer(0);
            return;
        }
        c.server().keyspace().signalModified(db, c.arg(1));
        c.server().keyspace().notify(EventType.GENERIC, "persist", c.arg(1), db.id());
        c.server().stats().dirty++;
        c.reply().integer(1);
    }
}
