package dev.trellis.server.commands.keys;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;

/** Integer and database-index arguments with Redis's messages (getIntFromObjectOrReply). */
final class IntArgs {
    static final CommandError OUT_OF_INT_RANGE =
            CommandError.of("ERR value is out of range, value must between -2147483648 and 2147483647");
    static final CommandError DB_RANGE = CommandError.DB_INDEX;
    static final CommandError SAME_OBJECT = CommandError.of("ERR source and destination objects are the same");

    private IntArgs() {
    }

    /** Argument {@code i} as an int; {@code message} (if not null) replaces both errors. */
    static int intArg(Client c, int i, CommandError message) {
        long v;
        try {
            v = c.argLong(i);
        } catch (CommandError e) {
            throw message != null ? message : e;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw message != null ? message : OUT_OF_INT_RANGE;
        }
        return (int) v;
    }

    /** Argument {@code i} as an existing database index. */
    static int dbIndex(Client c, int i) {
        int id = intArg(c, i, null);
        if (id < 0 || id >= c.server().keyspace().databases()) {
            throw DB_RANGE;
        }
        return id;
    }
}
