package dev.trellis.server.commands.keys;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Keyspace;

/** Whole-database commands: SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL. */
final class DatabaseCommands {
    private static final CommandError FIRST_INDEX = CommandError.of("ERR invalid first DB index");
    private static final CommandError SECOND_INDEX = CommandError.of("ERR invalid second DB index");

    private DatabaseCommands() {
    }

    static void select(Client c) {
        c.select(IntArgs.dbIndex(c, 1));
        c.reply().ok();
    }

    static void swapdb(Client c) {
        int a = IntArgs.intArg(c, 1, FIRST_INDEX);
        int b = IntArgs.intArg(c, 2, SECOND_INDEX);
        Keyspace ks = c.server().keyspace();
        if (a < 0 || a >= ks.databases() || b < 0 || b >= ks.databases()) {
            throw IntArgs.DB_RANGE;
        }
        ks.swap(a, b);
        c.server().stats().dirty++;
        c.reply().ok();
    }

    static void dbsize(Client c) {
        c.reply().integer(c.db().size());
    }

    /**
     * FLUSHDB / FLUSHALL [ASYNC|SYNC]. Values are freed by the garbage collector either way.
     * The dirty counter always moves, so the flush is propagated even when already empty.
     */
    static void flush(Client c, boolean all) {
        if (c.argc > 2 || (c.argc == 2 && !c.argIs(1, "sync") && !c.argIs(1, "async"))) {
            throw CommandError.SYNTAX;
        }
        long removed = 0;
        if (all) {
            Keyspace ks = c.server().keyspace();
            for (int i = 0; i < ks.databases(); i++) {
                removed += ks.db(i).clear();
            }
        } else {
            removed = c.db().clear();
        }
        c.server().stats().dirty += Math.max(1, removed);
        if (all) {
            var persistence = dev.trellis.server.persist.Persistence.of(c.server());
            if (persistence != null) {
                persistence.afterFlushAll(); // as Redis's flushAllDataAndResetRDB, before the reply
            }
        }
        c.reply().ok();
    }
}
