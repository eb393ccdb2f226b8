package dev.trellis.server.commands.server;

import dev.trellis.server.client.Numbers;

/** Small argument parsing helpers shared by the server and connection commands. */
public final class Args {
    private Args() {
    }

    /** The argument as a canonical long, or null when it is not one. */
    public static Long tryLong(byte[] b) {
        long v = Numbers.parseLongOr(b, Long.MIN_VALUE, true);
        if (v == Long.MIN_VALUE && !new String(b, java.nio.charset.StandardCharsets.US_ASCII).equals("-9223372036854775808")) {
            return null;
        }
        return v;
    }
}
