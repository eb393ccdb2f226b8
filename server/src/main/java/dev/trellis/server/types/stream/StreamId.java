package dev.trellis.server.types.stream;


/**
 * A stream entry ID: a millisecond time and a sequence number, both unsigned 64-bit values
 * (held in Java longs and compared unsigned). IDs order by time, then sequence, which is the
 * order of Redis's 128-bit big-endian radix-tree keys.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    /** 0-0: the smallest ID, also "no ID yet". */
    public static final StreamId MIN = new StreamId(0, 0);
    /** The largest ID (both parts 2^64-1). */
    public static final StreamId MAX = new StreamId(-1L, -1L);

    /** Compares two IDs given as parts, unsigned: negative, zero or positive. */
    public static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }

    @Override
    public int compareTo(StreamId o) {
        return compare(ms, seq, o.ms, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID, or null when this is the maximum (Redis's streamIncrID failing). */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID, or null when this is 0-0 (Redis's streamDecrID failing). */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** The "ms-seq" text Redis replies with. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** "ms-seq" in ASCII, written straight into the array (XADD replies with one per call). */
    public byte[] toBytes() {
        int a = unsignedDigits(ms);
        int b = unsignedDigits(seq);
        byte[] out = new byte[a + 1 + b];
        writeUnsigned(out, a, ms);
        out[a] = '-';
        writeUnsigned(out, a + 1 + b, seq);
        return out;
    }

    private static int unsignedDigits(long v) {
        if (v < 0) {
            return 1 + unsignedDigits(Long.divideUnsigned(v, 10)); // above Long.MAX_VALUE as unsigned
        }
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        return n;
    }

    /** Writes {@code v} (unsigned) so that its last digit lands at {@code end - 1}. */
    private static void writeUnsigned(byte[] out, int end, long v) {
        int i = end;
        if (v < 0) {
            long q = Long.divideUnsigned(v, 10);
            out[--i] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        do {
            out[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
    }
}
