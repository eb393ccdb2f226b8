package dev.trellis.server.commands.hash;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.list.Args;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.types.hash.RedisHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hash field expiration commands (Redis 7.4): HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT with
 * NX|XX|GT|LT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST, all taking
 * {@code FIELDS numfields field...}. Per-field replies: -2 no such field, -1 no TTL, and for
 * HEXPIRE 0 condition not met, 1 set, 2 deleted because the time is already past.
 */
final class HashFieldTtlCommands {
    /** Redis's HFE_MAX_ABS_TIME_MSEC: the largest absolute field expiry time. */
    static final long MAX_ABS_TIME_MS = 0x0000FFFFFFFFFFFFL >> 2;

    private static final int NONE = 0;
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 3;
    private static final int LT = 4;

    private static final String NO_FIELDS_KEYWORD = "ERR Mandatory argument FIELDS is missing or not at the right position";
    private static final String NUMFIELDS_MISMATCH = "ERR The `numfields` parameter must match the number of arguments";

    private final HashExpiry expiry;

    HashFieldTtlCommands(HashExpiry expiry) {
        this.expiry = expiry;
    }

    void register(CommandTable t) {
        t.bind("hexpire", c -> expire(c, true, true));
        t.bind("hpexpire", c -> expire(c, true, false));
        t.bind("hexpireat", c -> expire(c, false, true));
        t.bind("hpexpireat", c -> expire(c, false, false));
        t.bind("httl", c -> ttl(c, true, true));
        t.bind("hpttl", c -> ttl(c, true, false));
        t.bind("hexpiretime", c -> ttl(c, false, true));
        t.bind("hpexpiretime", c -> ttl(c, false, false));
        t.bind("hpersist", this::persist);
    }

    /** Checks "FIELDS numfields f1..fn" at {@code at}; returns numfields. */
    private static long fields(Client c, int at, String numfieldsError) {
        if (!c.argIs(at - 1, "fields")) {
            throw CommandError.of(NO_FIELDS_KEYWORD);
        }
        long n = Args.range(c, at, 1, Long.MAX_VALUE, numfieldsError);
        if (n != c.argc - at - 1) {
            throw CommandError.of(NUMFIELDS_MISMATCH);
        }
        return n;
    }

    private static void replyAll(Client c, long n, long code) {
        c.reply().array(n);
        for (long i = 0; i < n; i++) {
            c.reply().integer(code);
        }
    }

    private void expire(Client c, boolean relative, boolean seconds) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisHash h = HashCommands.lookup(db, key);
        long when = c.argLong(2);
        if (when < 0) {
            throw CommandError.of("ERR invalid expire time, must be >= 0");
        }
        CommandError badTime = CommandError.of("ERR invalid expire time in '" + c.commandName() + "' command");
        if (seconds) {
            if (when > MAX_ABS_TIME_MS / 1000) {
                throw badTime;
            }
            when *= 1000;
        }
        long base = relative ? c.server().keyspace().now() : 0;
        if (when > MAX_ABS_TIME_MS - base) {
            throw badTime;
        }
        when += base;
        int cond = NONE;
        int at = 4;
        if (c.argIs(3, "nx")) {
            cond = NX;
        } else if (c.argIs(3, "xx")) {
            cond = XX;
        } else if (c.argIs(3, "gt")) {
            cond = GT;
        } else if (c.argIs(3, "lt")) {
            cond = LT;
        }
        if (cond != NONE) {
            at++;
        }
        long n = fields(c, at, "ERR Parameter `numFields` should be greater than 0");
        if (h == null) {
            replyAll(c, n, -2);
            return;
        }
        h.enableTtls();
        long now = c.server().keyspace().now();
        List<byte[]> updated = new ArrayList<>();
        List<byte[]> deleted = new ArrayList<>();
        c.reply().array(n);
        for (int i = at + 1; i < c.argc; i++) {
            byte[] field = c.arg(i);
            int pos = h.find(field);
            if (pos < 0) {
                c.reply().integer(-2);
                continue;
            }
            long prev = h.expireAt(pos);
            boolean met;
            if (prev == RedisHash.NO_TTL) {
                met = cond != XX && cond != GT; // no TTL counts as infinite: LT holds
            } else {
                met = !(cond == NX || (cond == GT && prev >= when) || (cond == LT && prev <= when));
            }
            if (!met) {
                c.reply().integer(0);
                continue;
            }
            if (when <= now) {
                h.deleteAt(pos);
                expiry.expiredFields++;
                deleted.add(field);
                c.reply().integer(2);
                continue;
            }
            h.setExpireAt(pos, when);
            updated.add(field);
            c.reply().integer(1);
        }
        if (updated.isEmpty() && deleted.isEmpty()) {
            return;
        }
        c.server().stats().dirty += updated.size() + deleted.size();
        if (!deleted.isEmpty() && h.isEmpty()) {
            db.delete(key);
            HashCommands.notify(c, "hdel", key);
            c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
        } else {
            c.server().keyspace().signalModified(db, key);
            HashCommands.notify(c, deleted.isEmpty() ? "hexpire" : "hdel", key);
            expiry.track(db, key, h);
        }
        c.propagateArgv = updated.isEmpty() ? hdelArgv(key, deleted) : hpexpireatArgv(c, key, when, cond, updated);
    }

    private static byte[][] hdelArgv(byte[] key, List<byte[]> fields) {
        byte[][] a = new byte[2 + fields.size()][];
        a[0] = "HDEL".getBytes(StandardCharsets.US_ASCII);
        a[1] = key;
        for (int i = 0; i < fields.size(); i++) {
            a[2 + i] = fields.get(i);
        }
        return a;
    }

    /** HPEXPIREAT key ms [cond] FIELDS n fields: what replicas and the AOF receive. */
    private static byte[][] hpexpireatArgv(Client c, byte[] key, long when, int cond, List<byte[]> fields) {
        List<byte[]> a = new ArrayList<>();
        a.add("HPEXPIREAT".getBytes(StandardCharsets.US_ASCII));
        a.add(key);
        a.add(Numbers.toBytes(when));
        if (cond != NONE) {
            a.add(c.arg(3));
        }
        a.add("FIELDS".getBytes(StandardCharsets.US_ASCII));
        a.add(Numbers.toBytes(fields.size()));
        a.addAll(fields);
        return a.toArray(new byte[0][]);
    }

    private void ttl(Client c, boolean relative, boolean seconds) {
        RedisHash h = HashCommands.lookupRead(c, c.arg(1));
        long n = fields(c, 3, "ERR Number of fields must be a positive integer");
        if (h == null) {
            replyAll(c, n, -2);
            return;
        }
        long now = c.server().keyspace().now();
        long base = relative ? now : 0;
        c.reply().array(n);
        for (int i = 4; i < c.argc; i++) {
            int pos = h.find(c.arg(i));
            if (pos < 0) {
                c.reply().integer(-2);
                continue;
            }
            long t = h.expireAt(pos);
            if (t == RedisHash.NO_TTL) {
                c.reply().integer(-1);
            } else if (t < now) {
                c.reply().integer(-2);
            } else {
                c.reply().integer(seconds ? (t + 999 - base) / 1000 : t - base);
            }
        }
    }

    private void persist(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisHash h = HashCommands.lookup(db, key);
        long n = fields(c, 3, "ERR Number of fields must be a positive integer");
        if (h == null) {
            replyAll(c, n, -2);
            return;
        }
        long now = c.server().keyspace().now();
        boolean changed = false;
        c.reply().array(n);
        for (int i = 4; i < c.argc; i++) {
            int pos = h.find(c.arg(i));
            if (pos < 0) {
                c.reply().integer(-2);
                continue;
            }
            long t = h.expireAt(pos);
            if (t == RedisHash.NO_TTL) {
                c.reply().integer(-1);
            } else if (t < now) {
                c.reply().integer(-2);
            } else {
                h.setExpireAt(pos, RedisHash.NO_TTL);
                c.reply().integer(1);
                changed = true;
            }
        }
        if (changed) {
            HashCommands.notify(c, "hpersist", key);
            c.server().keyspace().signalModified(db, key);
            c.server().stats().dirty++;
        }
    }
}
