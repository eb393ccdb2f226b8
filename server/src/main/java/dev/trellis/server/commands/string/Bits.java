package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Bit-level helpers shared by the bitmap commands: offsets, growing a string, counting, searching. */
final class Bits {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final CommandError BAD_OFFSET = CommandError.of("ERR bit offset is not an integer or out of range");

    private Bits() {
    }

    /**
     * Parses a bit offset: a non-negative integer whose byte stays below proto-max-bulk-len.
     * With {@code bits > 0}, "#n" means n * bits (BITFIELD's typed offsets).
     */
    static long offset(Client c, int arg, int bits) {
        byte[] a = c.arg(arg);
        boolean hash = bits > 0 && a.length > 0 && a[0] == '#';
        byte[] digits = hash ? Arrays.copyOfRange(a, 1, a.length) : a;
        long v = Numbers.parseLongOr(digits, Long.MIN_VALUE, true);
        if (v == Long.MIN_VALUE && !Numbers.isLong(digits)) {
            throw BAD_OFFSET;
        }
        if (hash) {
            v *= bits; // wraps like Redis's signed multiply; a negative result is rejected below
        }
        if (v < 0 || (v >>> 3) >= c.server().config().protoMaxBulkLen) {
            throw BAD_OFFSET;
        }
        return v;
    }

    /**
     * The string at argv[1] prepared for writing up to bit {@code maxBit} (Redis's
     * lookupStringForBitCommand): created zero-filled when missing, zero-padded when short, and
     * from now on encoded "raw". {@code grew[0]} tells whether the key was created or extended.
     */
    static KeyEntry forWrite(Client c, long maxBit, boolean[] grew) {
        Database db = c.db();
        byte[] key = c.arg(1);
        KeyEntry e = db.lookupWrite(key);
        byte[] old = Strings.of(e);
        int needed = (int) (maxBit >>> 3) + 1;
        if (old == null) {
            Strings.checkLength(c, needed, 0);
            e = db.add(key, new byte[needed]);
            grew[0] = true;
        } else if (old.length < needed) {
            Strings.checkLength(c, needed, 0);
            e.value(Arrays.copyOf(old, needed));
            grew[0] = true;
        } else {
            grew[0] = false;
        }
        e.stringEncoding(KeyEntry.STRING_RAW);
        return e;
    }

    /** Number of set bits in b[from, from+len). */
    static long popcount(byte[] b, int from, int len) {
        long n = 0;
        int i = from;
        int end = from + len;
        for (; i + 8 <= end; i += 8) {
            n += Long.bitCount((long) LONGS.get(b, i));
        }
        for (; i < end; i++) {
            n += Integer.bitCount(b[i] & 0xff);
        }
        return n;
    }

    /**
     * Position (relative to {@code from}, in bits) of the first bit equal to {@code bit} in
     * b[from, from+len). When none: -1 looking for 1, and len*8 looking for 0 (the string is
     * taken as zero-padded on the right), as Redis's redisBitpos.
     */
    static long firstBit(byte[] b, int from, int len, int bit) {
        int skip = bit == 1 ? 0 : 0xff;
        int i = from;
        int end = from + len;
        long skipWord = bit == 1 ? 0L : -1L;
        while (i + 8 <= end && (long) LONGS.get(b, i) == skipWord) {
            i += 8;
        }
        while (i < end && (b[i] & 0xff) == skip) {
            i++;
        }
        if (i == end) {
            return bit == 1 ? -1 : (long) len * 8;
        }
        int v = b[i] & 0xff;
        int pos = bit == 1 ? Integer.numberOfLeadingZeros(v) - 24 : Integer.numberOfLeadingZeros(~v & 0xff) - 24;
        return (long) (i - from) * 8 + pos;
    }
}
