package dev.trellis.server.commands.hll;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.hll.HyperLogLog;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST. A HyperLogLog is a string value in Redis's
 * byte layout (see {@link HyperLogLog}); these commands check that layout before touching it.
 */
public final class HllCommands implements CommandGroup {
    private static final CommandError NOT_HLL = CommandError.of("WRONGTYPE Key is not a valid HyperLogLog string value.");
    private static final CommandError CORRUPT = CommandError.of("INVALIDOBJ Corrupted HLL object detected");

    @Override
    public void register(Server server, CommandTable t) {
        t.bind("pfadd", HllCommands::pfadd);
        t.bind("pfcount", HllCommands::pfcount);
        t.bind("pfmerge", HllCommands::pfmerge);
        t.bind("pfdebug", HllCommands::pfdebug);
        t.bind("pfselftest", HllSelfTest::execute);
    }

    /** The HyperLogLog bytes of an entry: WRONGTYPE for non-strings, NOT_HLL for other strings. */
    private static byte[] hllBytes(KeyEntry e) {
        if (!(e.value() instanceof byte[] b)) {
            throw CommandError.WRONGTYPE;
        }
        if (!HyperLogLog.isValid(b)) {
            throw NOT_HLL;
        }
        return b;
    }

    /** Stores edited bytes back; HyperLogLogs are raw strings, as Redis creates them. */
    private static void store(KeyEntry e, HyperLogLog h) {
        e.value(h.bytes());
        e.stringEncoding(KeyEntry.STRING_RAW);
    }

    private static long sparseMax(Client c) {
        return c.server().config().hllSparseMaxBytes;
    }

    static void pfadd(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupWrite(key);
        HyperLogLog h;
        long updated = 0;
        if (e == null) {
            h = HyperLogLog.createSparse();
            updated++;
        } else {
            h = HyperLogLog.of(hllBytes(e));
        }
        long max = sparseMax(c);
        for (int j = 2; j < c.argc; j++) {
            int r = h.add(c.arg(j), max);
            if (r == 1) {
                updated++;
            } else if (r == -1) {
                throw CORRUPT;
            }
        }
        if (updated > 0) {
            h.invalidateCache();
        }
        if (e == null) {
            e = db.add(key, h.bytes());
            e.stringEncoding(KeyEntry.STRING_RAW);
        } else {
            store(e, h);
        }
        if (updated > 0) {
            c.server().keyspace().signalModified(db, key);
            c.server().keyspace().notify(EventType.STRING, "pfadd", key, db.id());
            c.server().stats().dirty += updated;
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    static void pfcount(Client c) {
        Database db = c.db();
        if (c.argc > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < c.argc; j++) {
                KeyEntry e = db.lookupRead(c.arg(j));
                if (e == null) {
                    continue;
                }
                if (!HyperLogLog.of(hllBytes(e)).mergeInto(max)) {
                    throw CORRUPT;
                }
            }
            c.reply().integer(HyperLogLog.countRaw(max));
            return;
        }
        KeyEntry e = db.lookupRead(c.arg(1));
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        HyperLogLog h = HyperLogLog.of(hllBytes(e));
        long card;
        if (h.cacheValid()) {
            card = h.cachedCardinality();
        } else {
            boolean[] invalid = new boolean[1];
            card = h.count(invalid);
            if (invalid[0]) {
                throw CORRUPT;
            }
            // The cache lives in the value: PFCOUNT writes it back, as Redis does.
            h.cacheCardinality(card);
            store(e, h);
            c.server().keyspace().signalModified(db, c.arg(1));
            c.server().stats().dirty++;
        }
        c.reply().integer(card);
    }

    static void pfmerge(Client c) {
        Database db = c.db();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < c.argc; j++) {
            KeyEntry e = db.lookupRead(c.arg(j));
            if (e == null) {
                continue;
            }
            HyperLogLog h = HyperLogLog.of(hllBytes(e));
            if (h.encoding() == HyperLogLog.DENSE) {
                useDense = true;
            }
            if (!h.mergeInto(max)) {
                throw CORRUPT;
            }
        }
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupWrite(key);
        HyperLogLog h = e == null ? HyperLogLog.createSparse() : HyperLogLog.of((byte[]) e.value());
        if (useDense && !h.toDense()) {
            throw CORRUPT;
        }
        long sparseMax = sparseMax(c);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                h.set(j, max[j], sparseMax);
            }
        }
        h.invalidateCache();
        if (e == null) {
            e = db.add(key, h.bytes());
            e.stringEncoding(KeyEntry.STRING_RAW);
        } else {
            store(e, h);
        }
        c.server().keyspace().signalModified(db, key);
        c.server().keyspace().notify(EventType.STRING, "pfadd", key, db.id());
        c.server().stats().dirty++;
        c.reply().ok();
    }

    static void pfdebug(Client c) {
        String sub = c.argString(1);
        KeyEntry e = c.db().lookupWrite(c.arg(2));
        if (e == null) {
            throw CommandError.of("ERR The specified key does not exist");
        }
        HyperLogLog h = HyperLogLog.of(hllBytes(e));
        Reply r = c.reply();
        switch (sub.toLowerCase(java.util.Locale.ROOT)) {
            case "getreg" -> {
                arity(c, sub);
                if (h.encoding() == HyperLogLog.SPARSE) {
                    if (!h.toDense()) {
                        throw CORRUPT;
                    }
                    store(e, h);
                    c.server().stats().dirty++;
                }
                r.array(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                    r.integer(h.register(j));
                }
            }
            case "decode" -> {
                arity(c, sub);
                if (h.encoding() != HyperLogLog.SPARSE) {
                    throw CommandError.of("ERR HLL encoding is not sparse");
                }
                r.bulk(h.decodeSparse());
            }
            case "encoding" -> {
                arity(c, sub);
                r.simple(h.encoding() == HyperLogLog.DENSE ? "dense" : "sparse");
            }
            case "todense" -> {
                arity(c, sub);
                boolean converted = false;
                if (h.encoding() == HyperLogLog.SPARSE) {
                    if (!h.toDense()) {
                        throw CORRUPT;
                    }
                    store(e, h);
                    converted = true;
                    c.server().stats().dirty++;
                }
                r.integer(converted ? 1 : 0);
            }
            default -> throw CommandError.of("ERR Unknown PFDEBUG subcommand '" + sub + "'");
        }
    }

    private static void arity(Client c, String sub) {
        if (c.argc != 3) {
            throw CommandError.of("ERR Wrong number of arguments for the '" + sub + "' subcommand");
        }
    }
}
