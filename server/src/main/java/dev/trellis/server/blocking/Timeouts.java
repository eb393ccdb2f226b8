package dev.trellis.server.blocking;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;

/** Timeout arguments of blocking commands, parsed as Redis does. */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * A timeout in (fractional) seconds at argument {@code i}, as an absolute deadline in ms from
     * the command's time, or 0 for "forever". The value is rounded up to whole milliseconds.
     */
    public static long secondsArgument(Client c, int i) {
        double secs = Numbers.parseDoubleOr(c.arg(i), Double.NaN);
        if (Double.isNaN(secs)) {
            throw CommandError.of("ERR timeout is not a float or out of range");
        }
        double ms = secs * 1000.0;
        if (ms > Long.MAX_VALUE) {
            throw CommandError.of("ERR timeout is out of range");
        }
        return toDeadline((long) Math.ceil(ms), c.server().keyspace().now());
    }

    /** A timeout in whole milliseconds at argument {@code i} (XREAD BLOCK, WAIT), as a deadline. */
    public static long millisArgument(Client c, int i) {
        if (!Numbers.isLong(c.arg(i))) {
            throw CommandError.of("ERR timeout is not an integer or out of range");
        }
        return toDeadline(Numbers.parseLong(c.arg(i)), c.server().keyspace().now());
    }

    private static long toDeadline(long ms, long now) {
        if (ms < 0) {
            throw CommandError.of("ERR timeout is negative");
        }
        if (ms == 0) {
            return 0;
        }
        if (ms > Long.MAX_VALUE - now) {
            throw CommandError.of("ERR timeout is out of range");
        }
        return ms + now;
    }
}
