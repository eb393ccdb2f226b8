package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;

/** Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP. */
final class BitCommands {
    private static final CommandError BAD_BIT = CommandError.of("ERR bit is not an integer or out of range");
    private static final CommandError BITPOS_BIT = CommandError.of("ERR The bit argument must be 1 or 0.");
    private static final CommandError NOT_SINGLE =
            CommandError.of("ERR BITOP NOT must be called with a single source key.");

    private BitCommands() {
    }

    static void setbit(Client c) {
        long offset = Bits.offset(c, 2, 0);
        long on;
        try {
            on = c.argLong(3);
        } catch (CommandError e) {
            throw BAD_BIT;
        }
        if ((on & ~1L) != 0) {
            throw BAD_BIT;
        }
        boolean[] grew = new boolean[1];
        KeyEntry e = Bits.forWrite(c, offset, grew);
        byte[] v = (byte[]) e.value();
        int index = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        boolean was = (v[index] & mask) != 0;
        if (grew[0] || was != (on == 1)) {
            v[index] = (byte) (on == 1 ? v[index] | mask : v[index] & ~mask);
            Database db = c.db();
            c.server().keyspace().signalModified(db, c.arg(1));
            c.server().keyspace().notify(EventType.STRING, "setbit", c.arg(1), db.id());
            c.server().stats().dirty++;
        }
        c.reply().integer(was ? 1 : 0);
    }

    static void getbit(Client c) {
        long offset = Bits.offset(c, 2, 0);
        byte[] v = Strings.of(c.db().lookupRead(c.arg(1)));
        long index = offset >>> 3;
        boolean set = v != null && index < v.length && (v[(int) index] & (1 << (7 - (int) (offset & 7)))) != 0;
        c.reply().integer(set ? 1 : 0);
    }

    static void bitcount(Client c) {
        byte[] v = Strings.of(c.db().lookupRead(c.arg(1)));
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long start;
        long end;
        int firstMask = 0;
        int lastMask = 0;
        if (c.argc == 4 || c.argc == 5) {
            long total = v.length;
            start = c.argLong(2);
            end = c.argLong(3);
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            boolean isBit = c.argc == 5 && unit(c, 4);
            if (isBit) {
                total <<= 3;
            }
            long[] r = clamp(start, end, total);
            start = r[0];
            end = r[1];
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (c.argc == 2) {
            start = 0;
            end = v.length - 1L;
        } else {
            throw CommandError.SYNTAX;
        }
        if (start > end) {
            c.reply().integer(0);
            return;
        }
        long count = Bits.popcount(v, (int) start, (int) (end - start + 1));
        // Bits of the edge bytes outside a BIT range were counted: take them out again.
        count -= Integer.bitCount(v[(int) start] & firstMask) + Integer.bitCount(v[(int) end] & lastMask);
        c.reply().integer(count);
    }

    /** BIT or BYTE: true for BIT, syntax error otherwise. */
    private static boolean unit(Client c, int arg) {
        if (c.argIs(arg, "bit")) {
            return true;
        }
        if (c.argIs(arg, "byte")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    /** Converts negative indexes and clamps to [0, total-1]; may leave start > end. */
    private static long[] clamp(long start, long end, long total) {
        if (start < 0) {
            start += total;
        }
        if (end < 0) {
            end += total;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= total) {
            end = total - 1;
        }
        return new long[] {start, end};
    }

    static void bitpos(Client c) {
        long bit = c.argLong(2);
        if (bit != 0 && bit != 1) {
            throw BITPOS_BIT;
        }
        KeyEntry e = c.db().lookupRead(c.arg(1));
        if (e == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        byte[] v = Strings.of(e);
        long start;
        long end;
        boolean endGiven = false;
        int firstMask = 0;
        int lastMask = 0;
        if (c.argc >= 4 && c.argc <= 6) {
            long total = v.length;
            start = c.argLong(3);
            boolean isBit = c.argc == 6 && unit(c, 5);
            if (c.argc >= 5) {
                end = c.argLong(4);
                endGiven = true;
            } else {
                end = isBit ? (total << 3) + 7 : total - 1;
            }
            if (isBit) {
                total <<= 3;
            }
            long[] r = clamp(start, end, total);
            start = r[0];
            end = r[1];
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (c.argc == 3) {
            start = 0;
            end = v.length - 1L;
        } else {
            throw CommandError.SYNTAX;
        }
        if (start > end) {
            c.reply().integer(-1);
            return;
        }
        c.reply().integer(search(v, (int) start, (int) end, (int) bit, firstMask, lastMask, endGiven));
    }

    /**
     * BITPOS over bytes [start, end] whose first and last bytes may be partly outside a BIT
     * range (the mask bits are outside). Bits outside are made to look like the opposite of
     * {@code bit} so they never match.
     */
    private static long search(byte[] v, int start, int end, int bit, int firstMask, int lastMask, boolean endGiven) {
        int bytes = end - start + 1;
        byte[] window;
        int from;
        if (firstMask != 0 || lastMask != 0) {
            window = java.util.Arrays.copyOfRange(v, start, end + 1);
            window[0] = mask(window[0], firstMask, bit);
            window[bytes - 1] = mask(window[bytes - 1], lastMask, bit);
            from = 0;
        } else {
            window = v;
            from = start;
        }
        long pos = Bits.firstBit(window, from, bytes, bit);
        // Looking for 0 in an explicit range with none: the zero padding beyond is not in range.
        if (bit == 0 && pos == (long) bytes * 8 && (endGiven || lastMask != 0)) {
            return -1;
        }
        return pos == -1 ? -1 : pos + (long) start * 8;
    }

    private static byte mask(byte b, int outside, int bit) {
        return (byte) (bit == 1 ? b & ~outside : b | outside);
    }

    static void bitop(Client c) {
        int op;
        if (c.argIs(1, "and")) {
            op = 0;
        } else if (c.argIs(1, "or")) {
            op = 1;
        } else if (c.argIs(1, "xor")) {
            op = 2;
        } else if (c.argIs(1, "not")) {
            op = 3;
        } else {
            throw CommandError.SYNTAX;
        }
        if (op == 3 && c.argc != 4) {
            throw NOT_SINGLE;
        }
        Database db = c.db();
        int n = c.argc - 3;
        byte[][] src = new byte[n][];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            byte[] s = Strings.of(db.lookupRead(c.arg(i + 3)));
            src[i] = s == null ? Strings.EMPTY : s;
            maxLen = Math.max(maxLen, src[i].length);
        }
        byte[] target = c.arg(2);
        if (maxLen == 0) {
            if (db.deleteStoreDestination(target)) {
                c.server().keyspace().notify(EventType.GENERIC, "del", target, db.id());
                c.server().stats().dirty++;
            }
            c.reply().integer(0);
            return;
        }
        byte[] out = new byte[maxLen];
        byte[] first = src[0];
        for (int j = 0; j < maxLen; j++) {
            int acc = j < first.length ? first[j] : 0;
            if (op == 3) {
                acc = ~acc;
            }
            for (int i = 1; i < n; i++) {
                int b = j < src[i].length ? src[i][j] : 0;
                acc = switch (op) {
                    case 0 -> acc & b;
                    case 1 -> acc | b;
                    default -> acc ^ b;
                };
            }
            out[j] = (byte) acc;
        }
        KeyEntry e = db.set(target, out, false);
        e.stringEncoding(KeyEntry.STRING_RAW);
        c.server().keyspace().notify(EventType.STRING, "set", target, db.id());
        c.server().stats().dirty++;
        c.reply().integer(maxLen);
    }
}
