package dev.trellis.server.commands.list;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;

/**
 * Integer arguments with Redis's range checks and messages (getRangeLongFromObjectOrReply and
 * friends). When a custom message is given, Redis uses it for unparsable input too.
 */
public final class Args {
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private Args() {
    }

    /** Argument {@code i} within [min, max]; {@code msg} (or Redis's default) otherwise. */
    public static long range(Client c, int i, long min, long max, String msg) {
        long v;
        byte[] a = c.arg(i);
        if (!Numbers.isLong(a)) {
            throw msg != null ? CommandError.of(msg) : CommandError.NOT_INTEGER;
        }
        v = Numbers.parseLong(a);
        if (v < min || v > max) {
            throw CommandError.of(msg != null ? msg
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /** Argument {@code i} as a non-negative long. */
    public static long positive(Client c, int i, String msg) {
        return range(c, i, 0, Long.MAX_VALUE, msg != null ? msg : MUST_BE_POSITIVE);
    }

    /** Argument {@code i} in [-LONG_MAX, LONG_MAX] (counts whose sign flips direction). */
    public static long signed(Client c, int i) {
        return range(c, i, -Long.MAX_VALUE, Long.MAX_VALUE, null);
    }
}
