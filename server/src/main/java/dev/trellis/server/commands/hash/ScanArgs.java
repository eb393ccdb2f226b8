package dev.trellis.server.commands.hash;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.util.Glob;

/**
 * The cursor and options of HSCAN/SSCAN (and ZSCAN): {@code COUNT n}, {@code MATCH pattern},
 * and for HSCAN {@code NOVALUES}, with Redis's errors and its cursor syntax (an unsigned 64-bit
 * number as strtoull reads it).
 */
public final class ScanArgs {
    private static final byte[] ZERO = {'0'};

    public final long cursor;
    public final long count;
    /** Null when absent or "*". */
    public final byte[] pattern;
    public final boolean noValues;

    private ScanArgs(long cursor, long count, byte[] pattern, boolean noValues) {
        this.cursor = cursor;
        this.count = count;
        this.pattern = pattern;
        this.noValues = noValues;
    }

    /**
     * Parses the options from argv[3] for a scan starting at {@code cursor} (parsed first with
     * {@link #parseCursor}, before the key lookup, as Redis does); {@code hash} allows NOVALUES.
     */
    public static ScanArgs parse(Client c, long cursor, boolean hash) {
        long count = 10;
        byte[] pattern = null;
        boolean noValues = false;
        int i = 3;
        while (i < c.argc) {
            int left = c.argc - i;
            if (c.argIs(i, "count") && left >= 2) {
                count = c.argLong(i + 1);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
                i += 2;
            } else if (c.argIs(i, "match") && left >= 2) {
                byte[] p = c.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
                i += 2;
            } else if (c.argIs(i, "novalues")) {
                if (!hash) {
                    throw CommandError.of("ERR NOVALUES option can only be used in HSCAN");
                }
                noValues = true;
                i++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        return new ScanArgs(cursor, count, pattern, noValues);
    }

    public boolean matches(byte[] s) {
        return pattern == null || Glob.match(pattern, s, false);
    }

    /** The reply to a scan of a missing key: cursor 0 and no elements. */
    public static void replyEmpty(Reply r) {
        r.array(2);
        r.bulk(ZERO);
        r.emptyArray();
    }

    /** Writes a cursor the way Redis does (a bulk string of the unsigned number). */
    public static void replyCursor(Reply r, long cursor) {
        r.bulk(Long.toUnsignedString(cursor).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Redis 7.2's cursor syntax (strtoul plus a check): no leading space, an optional sign,
     * decimal digits that fit 64 bits unsigned; a minus wraps around as in C; "" reads as 0.
     */
    public static long parseCursor(byte[] s) {
        CommandError bad = CommandError.of("ERR invalid cursor");
        int n = s.length;
        if (n == 0) {
            return 0;
        }
        if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')) {
            throw bad;
        }
        int i = 0;
        boolean neg = false;
        if (s[0] == '+' || s[0] == '-') {
            neg = s[0] == '-';
            i = 1;
        }
        if (i == n) {
            throw bad;
        }
        for (int k = i; k < n; k++) {
            if (s[k] < '0' || s[k] > '9') {
                throw bad;
            }
        }
        long v;
        try {
            v = Long.parseUnsignedLong(new String(s, i, n - i, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw bad;
        }
        return neg ? -v : v;
    }
}
