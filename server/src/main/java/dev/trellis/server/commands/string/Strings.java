package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.KeyEntry;

/** Helpers shared by the string command bodies. */
final class Strings {
    static final byte[] EMPTY = new byte[0];
    private static final CommandError TOO_BIG =
            CommandError.of("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    /** The largest byte[] the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Strings() {
    }

    /** The string held by {@code e}, null for a missing key; WRONGTYPE for other types. */
    static byte[] of(KeyEntry e) {
        if (e == null) {
            return null;
        }
        if (e.value() instanceof byte[] b) {
            return b;
        }
        throw CommandError.WRONGTYPE;
    }

    /**
     * Checks that a string of {@code size} bytes grown by {@code append} stays within
     * proto-max-bulk-len (and within what a Java array can hold).
     */
    static void checkLength(Client c, long size, long append) {
        long total = size + append;
        if (total < 0 || total > c.server().config().protoMaxBulkLen || total > MAX_ARRAY) {
            throw TOO_BIG;
        }
    }

    /** Converts ASCII bytes to a String without charset lookup. */
    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
