package dev.trellis.server.commands.sort;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.commands.zset.ZSetKeys;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.list.ListLimits;
import dev.trellis.server.types.list.RedisList;
import dev.trellis.server.types.set.RedisSet;
import dev.trellis.server.types.zset.Strtod;
import dev.trellis.server.types.zset.ZSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
 * [STORE destination], and SORT_RO without STORE: Redis's sortCommandGeneric. Elements of a
 * list, set or sorted set are ordered numerically (by their own value or the BY pattern's,
 * parsed as C's strtod would) or lexicographically with ALPHA; a BY pattern without '*' keeps
 * the stored order. Sorting a sorted set converts it to the skiplist encoding, as in Redis.
 */
final class SortCommand {
    private static final CommandError NOT_DOUBLE = CommandError.of("ERR One or more scores can't be converted into double");

    /** One element and what it sorts by. */
    private static final class Item {
        final byte[] obj;
        double score;
        byte[] cmp;

        Item(byte[] obj) {
            this.obj = obj;
        }
    }

    private SortCommand() {
    }

    static void execute(Client c, boolean readonly) {
        boolean desc = false;
        boolean alpha = false;
        long limitStart = 0;
        long limitCount = -1;
        boolean dontSort = false;
        SortPattern sortBy = null;
        byte[] storeKey = null;
        List<SortPattern> gets = new ArrayList<>();
        for (int j = 2; j < c.argc; j++) {
            int left = c.argc - j - 1;
            if (c.argIs(j, "asc")) {
                desc = false;
            } else if (c.argIs(j, "desc")) {
                desc = true;
            } else if (c.argIs(j, "alpha")) {
                alpha = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                limitStart = c.argLong(j + 1);
                limitCount = c.argLong(j + 2);
                j += 2;
            } else if (!readonly && c.argIs(j, "store") && left >= 1) {
                storeKey = c.arg(j + 1);
                j++;
            } else if (c.argIs(j, "by") && left >= 1) {
                sortBy = new SortPattern(c.arg(j + 1));
                if (sortBy.constant()) {
                    dontSort = true;
                } else if (!c.server().acl().unrestrictedKeyAccess(c, true, false)) {
                    // A pattern reads keys the ACL never sees: only users who may read any key may use it.
                    throw CommandError.of("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
                j++;
            } else if (c.argIs(j, "get") && left >= 1) {
                if (!c.server().acl().unrestrictedKeyAccess(c, true, false)) {
                    throw CommandError.of("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                gets.add(new SortPattern(c.arg(j + 1)));
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Object value = ZSetKeys.readAny(c, c.arg(1));
        if (value != null && !(value instanceof RedisList) && !(value instanceof RedisSet) && !(value instanceof ZSet)) {
            throw CommandError.WRONGTYPE;
        }
        if (dontSort && value instanceof RedisSet && storeKey != null) {
            // A set has no order of its own: a stored result must be reproducible.
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        if (value instanceof ZSet z) {
            z.convertToSkiplist();
        }
        long vectorLen = value == null ? 0
                : value instanceof RedisList l ? l.size() : value instanceof RedisSet s ? s.size() : ((ZSet) value).size();
        long start = Math.min(Math.max(limitStart, 0), vectorLen);
        long count = Math.min(Math.max(limitCount, -1), vectorLen);
        long end = count < 0 ? vectorLen - 1 : start + count - 1;
        if (start >= vectorLen) {
            start = vectorLen - 1;
            end = vectorLen - 2;
        }
        if (end >= vectorLen) {
            end = vectorLen - 1;
        }
        List<Item> items = new ArrayList<>();
        if ((value instanceof ZSet || value instanceof RedisList) && dontSort) {
            // Ordered types with nothing to sort: their own order (reversed for DESC), and just
            // the requested range.
            long n = end - start + 1;
            if (value instanceof RedisList l) {
                if (end >= start) {
                    for (RedisList.Cursor cur = l.cursor(desc ? l.size() - start - 1 : start, !desc);
                            cur.valid() && items.size() < n; cur.advance()) {
                        items.add(new Item(cur.get()));
                    }
                }
            } else {
                ((ZSet) value).range(start, start + n - 1, desc, (m, s) -> items.add(new Item(m)));
            }
            end -= start;
            start = 0;
        } else if (value instanceof RedisList l) {
            for (RedisList.Cursor cur = l.cursor(0, true); cur.valid(); cur.advance()) {
                items.add(new Item(cur.get()));
            }
        } else if (value instanceof RedisSet s) {
            for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
                items.add(new Item(cur.bytes()));
            }
        } else if (value instanceof ZSet z) {
            z.forEach((m, sc) -> items.add(new Item(m)));
        }
        Database db = c.db();
        long now = c.server().keyspace().now();
        boolean conversionError = false;
        if (!dontSort) {
            for (Item it : items) {
                byte[] by = sortBy != null ? sortBy.lookup(db, it.obj, now) : it.obj;
                if (by == null) {
                    continue;
                }
                if (alpha) {
                    if (sortBy != null) {
                        it.cmp = by;
                    }
                } else {
                    double[] out = new double[2];
                    int stop = Strtod.parse(by, 0, out);
                    boolean atEnd = stop == by.length || by[stop] == 0;
                    boolean range = out[1] != 0 || (out[0] != 0 && Math.abs(out[0]) < Double.MIN_NORMAL);
                    if (!atEnd || range || Double.isNaN(out[0])) {
                        conversionError = true;
                    }
                    it.score = out[0];
                }
            }
            items.sort(comparator(alpha, sortBy != null, storeKey != null, desc));
        }
        long outputLen = gets.isEmpty() ? end - start + 1 : gets.size() * (end - start + 1);
        if (conversionError) {
            throw NOT_DOUBLE;
        }
        if (storeKey == null) {
            Reply r = c.reply();
            r.array(outputLen);
            for (long j = start; j <= end; j++) {
                Item it = items.get((int) j);
                if (gets.isEmpty()) {
                    r.bulk(it.obj);
                }
                for (SortPattern g : gets) {
                    byte[] v = g.lookup(db, it.obj, now);
                    if (v == null) {
                        r.nullBulk();
                    } else {
                        r.bulk(v);
                    }
                }
            }
            return;
        }
        RedisList out = new RedisList(ListLimits.of(c.server().config()));
        for (long j = start; j <= end; j++) {
            Item it = items.get((int) j);
            if (gets.isEmpty()) {
                out.push(it.obj, false);
            }
            for (SortPattern g : gets) {
                byte[] v = g.lookup(db, it.obj, now);
                out.push(v == null ? new byte[0] : v, false);
            }
        }
        if (outputLen > 0) {
            db.set(storeKey, out, false);
            c.server().keyspace().notify(EventType.LIST, "sortstore", storeKey, db.id());
            c.server().stats().dirty += outputLen;
        } else if (db.deleteStoreDestination(storeKey)) {
            c.server().keyspace().notify(EventType.GENERIC, "del", storeKey, db.id());
            c.server().stats().dirty++;
        }
        c.reply().integer(outputLen);
    }

    /** Redis's sortCompare for the chosen mode, then reversed for DESC. */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            cmp = (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.obj, b.obj);
        } else if (byPattern) {
            cmp = (a, b) -> {
                if (a.cmp == null || b.cmp == null) {
                    return a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
                }
                return store ? Arrays.compareUnsigned(a.cmp, b.cmp) : collate(a.cmp, b.cmp);
            };
        } else {
            cmp = (a, b) -> store ? Arrays.compareUnsigned(a.obj, b.obj) : collate(a.obj, b.obj);
        }
        return desc ? cmp.reversed() : cmp;
    }

    /**
     * strcoll in the C/C.UTF-8 locales redis-server runs in: byte order of the strings up to
     * their first NUL.
     */
    private static int collate(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = a[i] & 0xff;
            int y = b[i] & 0xff;
            if (x != y || x == 0) {
                return x - y;
            }
        }
        int x = a.length > n ? a[n] & 0xff : 0;
        int y = b.length > n ? b[n] & 0xff : 0;
        return x - y;
    }
}
