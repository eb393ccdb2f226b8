package dev.trellis.server.commands.keys;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.Values;
import dev.trellis.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** SCAN, KEYS and RANDOMKEY. */
final class ScanCommands {
    private static final CommandError INVALID_CURSOR = CommandError.of("ERR invalid cursor");

    private ScanCommands() {
    }

    /**
     * Parses a cursor as C's strtoul does (Redis's parseScanCursorOrReply): optional sign (a
     * negative number wraps), decimal digits, no leading space, nothing after; an empty string
     * is cursor 0.
     */
    static long parseCursor(byte[] s) {
        int i = 0;
        int n = s.length;
        if (n > 0 && isSpace(s[0])) {
            throw INVALID_CURSOR;
        }
        boolean neg = false;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i == n) {
            if (n == 0) {
                return 0; // strtoul converts nothing and stops at the terminator
            }
            throw INVALID_CURSOR;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                throw INVALID_CURSOR;
            }
            // Overflow past 2^64-1 is ERANGE.
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw INVALID_CURSOR;
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw INVALID_CURSOR;
            }
            v = next;
        }
        return neg ? -v : v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    static void scan(Client c) {
        long cursor = parseCursor(c.arg(1));
        long count = 10;
        byte[] pattern = null;
        byte[] type = null;
        for (int i = 2; i < c.argc; i += 2) {
            boolean hasValue = i + 1 < c.argc;
            if (c.argIs(i, "count") && hasValue) {
                count = c.argLong(i + 1);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (c.argIs(i, "match") && hasValue) {
                byte[] p = c.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else if (c.argIs(i, "type") && hasValue) {
                type = c.arg(i + 1);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Database db = c.db();
        List<byte[]> keys = new ArrayList<>();
        // Bounded work on sparse tables: at most ten buckets visited per wanted key.
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        do {
            cursor = db.scan(cursor, e -> keys.add(e.key()));
        } while (cursor != 0 && maxIterations-- > 0 && keys.size() < count);

        List<byte[]> out = new ArrayList<>(keys.size());
        String typeName = type == null ? null : new String(type, StandardCharsets.UTF_8);
        for (byte[] k : keys) {
            if (pattern != null && !Glob.match(pattern, k, false)) {
                continue;
            }
            if (typeName != null) {
                KeyEntry e = db.lookupRead(k, Database.NO_TOUCH);
                String actual = e == null ? "none" : Values.typeName(e.value());
                if (!actual.equalsIgnoreCase(typeName)) {
                    continue;
                }
            }
            if (db.lookup(k) == null) {
                continue; // expired: deleted now, as Redis's expireIfNeeded does
            }
            out.add(k);
        }
        c.reply().array(2);
        c.reply().bulk(Long.toUnsignedString(cursor));
        c.reply().array(out.size());
        for (byte[] k : out) {
            c.reply().bulk(k);
        }
    }

    static void keys(Client c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Database db = c.db();
        long now = c.server().keyspace().now();
        List<byte[]> out = new ArrayList<>();
        db.dict().forEach(e -> {
            if ((all || Glob.match(pattern, e.key(), false))
                    && (e.expireAt() == KeyEntry.NO_EXPIRE || e.expireAt() > now)) {
                out.add(e.key());
            }
        });
        c.reply().array(out.size());
        for (byte[] k : out) {
            c.reply().bulk(k);
        }
    }

    static void randomkey(Client c) {
        KeyEntry e = c.db().randomKey();
        if (e == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(e.key());
        }
    }
}
