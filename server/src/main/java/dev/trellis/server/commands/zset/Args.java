package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;

/** Argument parsing with Redis's range-checked integer helpers and their error texts. */
public final class Args {
    private Args() {
    }

    /**
     * getRangeLongFromObjectOrReply: an integer in [min, max]. With a message, both a
     * non-integer and an out-of-range value answer "ERR " + message; without one, Redis's
     * generic texts.
     */
    public static long rangeLong(Client c, int i, long min, long max, String message) {
        long v = Numbers.parseLongOr(c.arg(i), Long.MIN_VALUE, true);
        boolean ok = v != Long.MIN_VALUE || Numbers.isLong(c.arg(i));
        if (!ok) {
            throw message != null ? CommandError.of("ERR " + message) : CommandError.NOT_INTEGER;
        }
        if (v < min || v > max) {
            throw CommandError.of(message != null ? "ERR " + message
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /** getPositiveLongFromObjectOrReply: an integer >= 0 (any failure answers the message). */
    public static long positiveLong(Client c, int i, String message) {
        return rangeLong(c, i, 0, Long.MAX_VALUE,
                message != null ? message : "value is out of range, must be positive");
    }
}
