package dev.trellis.server.commands.set;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.list.Args;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.set.RedisSet;
import dev.trellis.server.types.set.SetLimits;
import java.util.Arrays;
import java.util.Comparator;

/**
 * SINTER, SINTERCARD, SUNION, SDIFF and the STORE forms. A missing key is an empty set; any key
 * of another type is WRONGTYPE. STORE forms overwrite the destination whatever its type, or
 * delete it when the result is empty.
 */
final class SetAlgebra {
    private final SetLimits limits;

    SetAlgebra(SetLimits limits) {
        this.limits = limits;
    }

    void register(CommandTable t) {
        t.bind("sinter", c -> inter(c, 1, c.argc, null, false, 0));
        t.bind("sinterstore", c -> inter(c, 2, c.argc, c.arg(1), false, 0));
        t.bind("sintercard", this::sintercard);
        t.bind("sunion", c -> unionDiff(c, 1, null, true));
        t.bind("sunionstore", c -> unionDiff(c, 2, c.arg(1), true));
        t.bind("sdiff", c -> unionDiff(c, 1, null, false));
        t.bind("sdiffstore", c -> unionDiff(c, 2, c.arg(1), false));
    }

    /** The sets at argv[from..to), null for missing keys; WRONGTYPE for any other type. */
    private static RedisSet[] lookupAll(Client c, int from, int to) {
        RedisSet[] sets = new RedisSet[to - from];
        for (int i = from; i < to; i++) {
            sets[i - from] = SetCommands.lookupRead(c, c.arg(i));
        }
        return sets;
    }

    private void sintercard(Client c) {
        long numkeys = Args.range(c, 1, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys > c.argc - 2) {
            throw CommandError.of("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < c.argc; j++) {
            if (c.argIs(j, "limit") && j < c.argc - 1) {
                limit = Args.positive(c, ++j, "ERR LIMIT can't be negative");
            } else {
                throw CommandError.SYNTAX;
            }
        }
        inter(c, 2, 2 + (int) numkeys, null, true, limit);
    }

    private void inter(Client c, int from, int to, byte[] dst, boolean cardinalityOnly, long limit) {
        RedisSet[] sets = lookupAll(c, from, to);
        Database db = c.db();
        for (RedisSet s : sets) {
            if (s == null) {
                if (dst != null) {
                    deleteDestination(c, dst);
                    c.reply().integer(0);
                } else if (cardinalityOnly) {
                    c.reply().integer(0);
                } else {
                    c.reply().set(0);
                }
                return;
            }
        }
        Arrays.sort(sets, Comparator.comparingLong(RedisSet::size));
        RedisSet first = sets[0];
        RedisSet result = dst == null ? null : first.isIntset() ? new RedisSet(limits) : RedisSet.emptyListpack(limits);
        java.util.List<byte[]> members = result == null && !cardinalityOnly ? new java.util.ArrayList<>() : null;
        long cardinality = 0;
        for (RedisSet.Cursor cur = first.cursor(); cur.next(); ) {
            byte[] m = cur.bytes();
            boolean inAll = true;
            for (int j = 1; j < sets.length && inAll; j++) {
                inAll = sets[j] == first || sets[j].contains(m);
            }
            if (!inAll) {
                continue;
            }
            cardinality++;
            if (cardinalityOnly) {
                if (limit != 0 && cardinality >= limit) {
                    break;
                }
            } else if (result != null) {
                result.add(m);
            } else {
                members.add(m);
            }
        }
        if (cardinalityOnly) {
            c.reply().integer(cardinality);
        } else if (result != null) {
            if (result.size() > 0) {
                boolean ints = true;
                for (RedisSet.Cursor cur = result.cursor(); cur.next() && ints; ) {
                    ints = cur.isInt() || Listpack.isCanonicalLong(cur.bytes());
                }
                if (ints) {
                    result.convertToIntsetIfPossible();
                }
                store(c, dst, result, "sinterstore");
            } else {
                c.reply().integer(0);
                deleteDestination(c, dst);
            }
        } else {
            c.reply().set(members.size());
            for (byte[] m : members) {
                c.reply().bulk(m);
            }
        }
    }

    private void unionDiff(Client c, int from, byte[] dst, boolean union) {
        RedisSet[] sets = lookupAll(c, from, c.argc);
        RedisSet result = new RedisSet(limits);
        if (union) {
            for (RedisSet s : sets) {
                if (s != null) {
                    result.beforeAdd(s.size());
                    for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
                        result.add(cur.bytes());
                    }
                }
            }
        } else if (sets[0] != null) {
            boolean sameSet = false;
            for (int j = 1; j < sets.length; j++) {
                sameSet |= sets[j] == sets[0];
            }
            if (!sameSet) {
                for (RedisSet.Cursor cur = sets[0].cursor(); cur.next(); ) {
                    byte[] m = cur.bytes();
                    boolean elsewhere = false;
                    for (int j = 1; j < sets.length && !elsewhere; j++) {
                        elsewhere = sets[j] != null && sets[j].contains(m);
                    }
                    if (!elsewhere) {
                        result.add(m);
                    }
                }
            }
        }
        if (dst == null) {
            SetCommands.replyMembers(c, result);
        } else if (result.size() > 0) {
            store(c, dst, result, union ? "sunionstore" : "sdiffstore");
        } else {
            c.reply().integer(0);
            deleteDestination(c, dst);
        }
    }

    private static void store(Client c, byte[] dst, RedisSet result, String event) {
        c.db().set(dst, result, false);
        c.reply().integer(result.size());
        SetCommands.notify(c, event, dst);
        c.server().stats().dirty++;
    }

    private static void deleteDestination(Client c, byte[] dst) {
        if (c.db().deleteStoreDestination(dst)) {
            SetCommands.notifyDel(c, dst);
            c.server().stats().dirty++;
        }
    }
}
