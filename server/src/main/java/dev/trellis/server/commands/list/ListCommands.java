package dev.trellis.server.commands.list;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.list.ListLimits;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.RedisList;

/**
 * List commands. The pop and move paths are public static so the blocking commands (BLPOP,
 * BLMOVE, BLMPOP...) can serve a client the same way once a key is ready.
 */
public final class ListCommands implements CommandGroup {
    private ListLimits limits;

    @Override
    public void register(Server server, CommandTable t) {
        limits = ListLimits.of(server.config());
        t.bind("lpush", c -> push(c, true, false));
        t.bind("rpush", c -> push(c, false, false));
        t.bind("lpushx", c -> push(c, true, true));
        t.bind("rpushx", c -> push(c, false, true));
        t.bind("lpop", c -> pop(c, true));
        t.bind("rpop", c -> pop(c, false));
        t.bind("llen", ListCommands::llen);
        t.bind("lindex", ListCommands::lindex);
        t.bind("lrange", ListCommands::lrange);
        t.bind("lset", ListCommands::lset);
        t.bind("linsert", ListCommands::linsert);
        t.bind("lrem", ListCommands::lrem);
        t.bind("ltrim", ListCommands::ltrim);
        t.bind("lpos", ListCommands::lpos);
        t.bind("lmove", c -> lmove(c));
        t.bind("rpoplpush", c -> moveAndReply(c, c.arg(1), c.arg(2), false, true));
        t.bind("lmpop", c -> lmpop(c));
    }

    // --- lookups -------------------------------------------------------------------------

    /** The list at {@code key} or null; WRONGTYPE for other types. Touches the key. */
    public static RedisList lookup(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof RedisList) {
            return (RedisList) v;
        }
        throw CommandError.WRONGTYPE;
    }

    /** A read lookup (Redis's lookupKeyRead): keyspace hit/miss statistics and the keymiss event. */
    static RedisList lookupRead(Client c, byte[] key) {
        dev.trellis.server.keyspace.KeyEntry e = c.db().lookupRead(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof RedisList v) {
            return v;
        }
        throw CommandError.WRONGTYPE;
    }

    private static void notify(Client c, String event, byte[] key) {
        c.server().keyspace().notify(EventType.LIST, event, key, c.db().id());
    }

    // --- push ----------------------------------------------------------------------------

    private void push(Client c, boolean head, boolean onlyIfExists) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisList l = lookup(db, key);
        if (l == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            l = new RedisList(limits);
            l.pushAll(c.argv, 2, c.argc, head);
            db.add(key, l);
        } else {
            l.pushAll(c.argv, 2, c.argc, head);
            c.server().keyspace().signalModified(db, key);
        }
        c.server().stats().dirty += c.argc - 2;
        c.reply().integer(l.size());
        notify(c, head ? "lpush" : "rpush", key);
    }

    /**
     * Pushes {@code value} onto the list at {@code key}, creating it; emits lpush/rpush. The
     * caller has checked the key's type.
     */
    public static void pushCreating(Client c, byte[] key, RedisList existing, byte[] value, boolean head) {
        Database db = c.db();
        if (existing == null) {
            RedisList l = new RedisList(ListLimits.of(c.server().config()));
            l.push(value, head);
            db.add(key, l);
        } else {
            existing.push(value, head);
            c.server().keyspace().signalModified(db, key);
        }
        notify(c, head ? "lpush" : "rpush", key);
    }

    // --- pop -----------------------------------------------------------------------------

    private static void pop(Client c, boolean head) {
        if (c.argc > 3) {
            throw CommandError.arity(c.commandName());
        }
        boolean hasCount = c.argc == 3;
        long count = hasCount ? Args.positive(c, 2, null) : 0;
        RedisList l = lookup(c.db(), c.arg(1));
        if (l == null) {
            if (hasCount) {
                c.reply().nullArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            c.reply().emptyArray();
            return;
        }
        if (!hasCount) {
            popOneAndReply(c, c.arg(1), l, head);
        } else {
            popRangeAndReply(c, c.arg(1), l, head, count);
        }
    }

    /** Pops one element, replies with it as a bulk string, and does the bookkeeping. */
    public static void popOneAndReply(Client c, byte[] key, RedisList l, boolean head) {
        RedisList.Cursor cur = l.cursor(head ? 0 : l.size() - 1, head);
        Listpack.reply(c.reply(), cur.buffer(), cur.offset());
        l.removeRange(head ? 0 : l.size() - 1, 1);
        elementsRemoved(c, key, l, head, 1);
    }

    /** Pops up to {@code count} elements, replies with them as an array, and does the bookkeeping. */
    public static void popRangeAndReply(Client c, byte[] key, RedisList l, boolean head, long count) {
        long n = Math.min(count, l.size());
        replyRange(c.reply(), l, head ? 0 : l.size() - 1, n, head);
        l.removeRange(head ? 0 : l.size() - n, n);
        elementsRemoved(c, key, l, head, n);
    }

    /** LMPOP/BLMPOP's reply: [key, [elements...]]. Propagated as LPOP/RPOP key count. */
    public static void popRangeWithKeyAndReply(Client c, byte[] key, RedisList l, boolean head, long count) {
        long n = Math.min(count, l.size());
        c.reply().array(2);
        c.reply().bulk(key);
        popRangeAndReply(c, key, l, head, count);
        c.propagateArgv = new byte[][] {head ? LPOP : RPOP, key, Long.toString(n).getBytes()};
    }

    private static final byte[] LPOP = "LPOP".getBytes();
    private static final byte[] RPOP = "RPOP".getBytes();

    /**
     * After elements were popped from {@code key}: the lpop/rpop event, deleting the key when
     * empty (with a del event), signalling the modification and the dirty counter.
     */
    public static void elementsRemoved(Client c, byte[] key, RedisList l, boolean head, long count) {
        Database db = c.db();
        notify(c, head ? "lpop" : "rpop", key);
        if (l.isEmpty()) {
            db.delete(key);
            c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
        } else {
            c.server().keyspace().signalModified(db, key);
        }
        c.server().stats().dirty += count;
    }

    /** Replies with {@code n} elements starting at {@code from}, towards the tail or the head. */
    static void replyRange(Reply r, RedisList l, long from, long n, boolean towardsTail) {
        r.array(n);
        RedisList.Cursor cur = l.cursor(from, towardsTail);
        for (long i = 0; i < n; i++) {
            Listpack.reply(r, cur.buffer(), cur.offset());
            cur.advance();
        }
    }

    // --- reads ---------------------------------------------------------------------------

    static void llen(Client c) {
        RedisList l = lookupRead(c, c.arg(1));
        c.reply().integer(l == null ? 0 : l.size());
    }

    static void lindex(Client c) {
        RedisList l = lookupRead(c, c.arg(1));
        if (l == null) {
            c.reply().nullBulk();
            return;
        }
        long index = c.argLong(2);
        if (index < 0) {
            index += l.size();
        }
        if (index < 0 || index >= l.size()) {
            c.reply().nullBulk();
            return;
        }
        RedisList.Cursor cur = l.cursor(index, true);
        Listpack.reply(c.reply(), cur.buffer(), cur.offset());
    }

    static void lrange(Client c) {
        long start = c.argLong(2);
        long end = c.argLong(3);
        RedisList l = lookupRead(c, c.arg(1));
        if (l == null) {
            c.reply().emptyArray();
            return;
        }
        long len = l.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            c.reply().emptyArray();
            return;
        }
        if (end >= len) {
            end = len - 1;
        }
        replyRange(c.reply(), l, start, end - start + 1, true);
    }

    static void lpos(Client c) {
        byte[] element = c.arg(2);
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < c.argc; j++) {
            boolean more = j < c.argc - 1;
            if (c.argIs(j, "rank") && more) {
                rank = Args.signed(c, ++j);
                if (rank == 0) {
                    throw CommandError.of("ERR RANK can't be zero: use 1 to start from the first match, "
                            + "2 from the second ... or use negative to start from the end of the list");
                }
            } else if (c.argIs(j, "count") && more) {
                count = Args.positive(c, ++j, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "maxlen") && more) {
                maxlen = Args.positive(c, ++j, "ERR MAXLEN can't be negative");
            } else {
                throw CommandError.SYNTAX;
            }
        }
        boolean towardsTail = rank > 0;
        rank = Math.abs(rank);
        RedisList l = lookupRead(c, c.arg(1));
        if (l == null) {
            if (count != -1) {
                c.reply().emptyArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        long len = l.size();
        boolean isInt = Listpack.isCanonicalLong(element);
        long iv = isInt ? Listpack.parseCanonical(element) : 0;
        long[] found = count == -1 ? null : new long[(int) Math.min(count == 0 ? len : count, Math.min(len, 1024))];
        int nfound = 0;
        long matches = 0;
        long match = -1;
        long index = 0;
        for (RedisList.Cursor cur = l.cursor(towardsTail ? 0 : len - 1, towardsTail);
                cur.valid() && (maxlen == 0 || index < maxlen); cur.advance(), index++) {
            if (!cur.matches(element, isInt, iv)) {
                continue;
            }
            matches++;
            if (matches < rank) {
                continue;
            }
            long pos = towardsTail ? index : len - index - 1;
            if (found == null) {
                match = pos;
                break;
            }
            if (nfound == found.length) {
                found = java.util.Arrays.copyOf(found, nfound * 2);
            }
            found[nfound++] = pos;
            if (count != 0 && matches - rank + 1 >= count) {
                break;
            }
        }
        if (found != null) {
            c.reply().array(nfound);
            for (int i = 0; i < nfound; i++) {
                c.reply().integer(found[i]);
            }
        } else if (match >= 0) {
            c.reply().integer(match);
        } else {
            c.reply().nullBulk();
        }
    }

    // --- in-place edits ------------------------------------------------------------------

    static void lset(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisList l = lookup(db, key);
        if (l == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        long index = c.argLong(2);
        if (index < 0) {
            index += l.size();
        }
        if (!l.set(index, c.arg(3))) {
            throw CommandError.of("ERR index out of range");
        }
        c.reply().ok();
        c.server().keyspace().signalModified(db, key);
        notify(c, "lset", key);
        c.server().stats().dirty++;
    }

    static void linsert(Client c) {
        boolean after;
        if (c.argIs(2, "after")) {
            after = true;
        } else if (c.argIs(2, "before")) {
            after = false;
        } else {
            throw CommandError.SYNTAX;
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisList l = lookup(db, key);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        if (!l.insert(c.arg(3), c.arg(4), after)) {
            c.reply().integer(-1);
            return;
        }
        c.server().keyspace().signalModified(db, key);
        notify(c, "linsert", key);
        c.server().stats().dirty++;
        c.reply().integer(l.size());
    }

    static void lrem(Client c) {
        long count = Args.signed(c, 2);
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisList l = lookup(db, key);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        long removed = l.remove(c.arg(3), count);
        if (removed > 0) {
            c.server().stats().dirty += removed;
            notify(c, "lrem", key);
            if (l.isEmpty()) {
                db.delete(key);
                c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
            } else {
                c.server().keyspace().signalModified(db, key);
            }
        }
        c.reply().integer(removed);
    }

    static void ltrim(Client c) {
        long start = c.argLong(2);
        long end = c.argLong(3);
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisList l = lookup(db, key);
        if (l == null) {
            c.reply().ok();
            return;
        }
        long len = l.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim;
        long rtrim;
        if (start > end || start >= len) {
            ltrim = len;
            rtrim = 0;
        } else {
            if (end >= len) {
                end = len - 1;
            }
            ltrim = start;
            rtrim = len - end - 1;
        }
        l.removeRange(0, ltrim);
        l.removeRange(l.size() - rtrim, rtrim);
        notify(c, "ltrim", key);
        if (l.isEmpty()) {
            db.delete(key);
            c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
        } else {
            c.server().keyspace().signalModified(db, key);
        }
        c.server().stats().dirty += ltrim + rtrim;
        c.reply().ok();
    }

    // --- moves ---------------------------------------------------------------------------

    /** LEFT/RIGHT argument: true for LEFT (the head); syntax error otherwise. */
    public static boolean parseSide(Client c, int i) {
        if (c.argIs(i, "left")) {
            return true;
        }
        if (c.argIs(i, "right")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    private static void lmove(Client c) {
        boolean fromHead = parseSide(c, 3);
        boolean toHead = parseSide(c, 4);
        moveAndReply(c, c.arg(1), c.arg(2), fromHead, toHead);
    }

    /**
     * LMOVE's body: pops from {@code src} and pushes onto {@code dst}, replying with the
     * element, or a null bulk when {@code src} is missing. Events: lpush/rpush on dst, then
     * lpop/rpop (and del) on src, as Redis emits them.
     */
    public static void moveAndReply(Client c, byte[] src, byte[] dst, boolean fromHead, boolean toHead) {
        Database db = c.db();
        RedisList from = lookup(db, src);
        if (from == null || from.isEmpty()) {
            c.reply().nullBulk();
            return;
        }
        RedisList to = lookup(db, dst);
        byte[] value = fromHead ? from.pop(true) : from.pop(false);
        pushCreating(c, dst, to, value, toHead);
        c.reply().bulk(value);
        elementsRemoved(c, src, from, fromHead, 1);
    }

    private static void lmpop(Client c) {
        long numkeys = Args.range(c, 1, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        long whereIdx = 2 + numkeys;
        if (whereIdx >= c.argc) {
            throw CommandError.SYNTAX;
        }
        boolean head = parseSide(c, (int) whereIdx);
        long count = -1;
        for (int j = (int) whereIdx + 1; j < c.argc; j++) {
            if (count == -1 && c.argIs(j, "count") && j < c.argc - 1) {
                count = Args.range(c, ++j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (count == -1) {
            count = 1;
        }
        for (int k = 2; k < whereIdx; k++) {
            RedisList l = lookup(c.db(), c.arg(k));
            if (l == null || l.isEmpty()) {
                continue;
            }
            popRangeWithKeyAndReply(c, c.arg(k), l, head, count);
            return;
        }
        c.reply().nullArray();
    }
}
