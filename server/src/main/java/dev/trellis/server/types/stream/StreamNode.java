package dev.trellis.server.types.stream;

import java.util.Arrays;

/**
 * One node of a stream: a run of entries in a single listpack, laid out exactly like Redis's
 * stream listpacks so nodes fill up, split and report sizes where Redis's do, and RDB can
 * carry them unchanged. The node's key (its "master ID") is held by {@link RedisStream}.
 *
 * <pre>
 * master entry: count | deleted | num-fields | field_1 ... field_N | 0
 * each entry:   flags | ms-delta | seq-delta | [num-fields | field_1 ...] value_1 ... | lp-count
 * </pre>
 * An entry whose field names equal the master entry's sets {@link #SAMEFIELDS} and omits
 * them; {@code lp-count} is the number of elements of the entry before it, so readers can walk
 * backwards. Deleted entries stay in place with {@link #DELETED} set until the node empties.
 */
public final class StreamNode {
    /** Entry flag: deleted (a tombstone). */
    public static final int DELETED = 1;
    /** Entry flag: the field names are the master entry's. */
    public static final int SAMEFIELDS = 2;

    /** The listpack; bytes past {@link Lp#totalBytes} are spare capacity. */
    byte[] lp;

    private StreamNode(byte[] lp) {
        this.lp = lp;
    }

    /**
     * A node whose listpack is {@code listpack} (e.g. read from an RDB file), kept as given;
     * the caller has validated it with {@link StreamListpacks#validate}.
     */
    public static StreamNode ofListpack(byte[] listpack) {
        return new StreamNode(listpack);
    }

    /**
     * A new node holding one entry, {@code fieldsValues[off..]} as {@code numFields}
     * field/value pairs, whose ID is the node's master ID.
     */
    static StreamNode create(byte[][] fv, int off, int numFields) {
        int size = Lp.HEADER + 1 + Lp.intEntrySize(1) + Lp.intEntrySize(0) + Lp.intEntrySize(numFields)
                + Lp.intEntrySize(0);
        for (int i = 0; i < numFields; i++) {
            size += Lp.entrySize(fv[off + 2 * i]);
        }
        size += entryBytes(fv, off, numFields, SAMEFIELDS, 0, 0);
        byte[] b = new byte[size];
        int p = Lp.HEADER;
        p = Lp.writeInt(b, p, 1);
        p = Lp.writeInt(b, p, 0);
        p = Lp.writeInt(b, p, numFields);
        for (int i = 0; i < numFields; i++) {
            byte[] f = fv[off + 2 * i];
            p = Lp.write(b, p, f, 0, f.length);
        }
        p = Lp.writeInt(b, p, 0);
        int elements = 4 + numFields;
        int[] counted = new int[1];
        p = writeEntry(b, p, fv, off, numFields, SAMEFIELDS, 0, 0, counted);
        elements += counted[0];
        b[p] = (byte) Lp.EOF;
        Lp.totalBytes(b, p + 1);
        Lp.numElements(b, Math.min(elements, Lp.COUNT_UNKNOWN));
        return new StreamNode(b);
    }

    /** Bytes an entry takes in a listpack. */
    private static int entryBytes(byte[][] fv, int off, int numFields, int flags, long msDelta, long seqDelta) {
        int size = Lp.intEntrySize(flags) + Lp.intEntrySize(msDelta) + Lp.intEntrySize(seqDelta);
        boolean same = (flags & SAMEFIELDS) != 0;
        if (!same) {
            size += Lp.intEntrySize(numFields);
        }
        for (int i = 0; i < numFields; i++) {
            if (!same) {
                size += Lp.entrySize(fv[off + 2 * i]);
            }
            size += Lp.entrySize(fv[off + 2 * i + 1]);
        }
        return size + Lp.intEntrySize(lpCount(numFields, flags));
    }

    private static long lpCount(int numFields, int flags) {
        long n = numFields + 3L;
        if ((flags & SAMEFIELDS) == 0) {
            n += numFields + 1L;
        }
        return n;
    }

    private static int writeEntry(byte[] b, int p, byte[][] fv, int off, int numFields, int flags, long msDelta,
            long seqDelta, int[] elements) {
        boolean same = (flags & SAMEFIELDS) != 0;
        p = Lp.writeInt(b, p, flags);
        p = Lp.writeInt(b, p, msDelta);
        p = Lp.writeInt(b, p, seqDelta);
        if (!same) {
            p = Lp.writeInt(b, p, numFields);
        }
        for (int i = 0; i < numFields; i++) {
            if (!same) {
                byte[] f = fv[off + 2 * i];
                p = Lp.write(b, p, f, 0, f.length);
            }
            byte[] v = fv[off + 2 * i + 1];
            p = Lp.write(b, p, v, 0, v.length);
        }
        long count = lpCount(numFields, flags);
        p = Lp.writeInt(b, p, count);
        elements[0] = (int) (count + 1);
        return p;
    }

    /** Appends an entry with ID deltas from the master ID; updates the live count. */
    void append(byte[][] fv, int off, int numFields, long msDelta, long seqDelta) {
        int flags = sameFieldsAsMaster(fv, off, numFields) ? SAMEFIELDS : 0;
        replaceInt(Lp.HEADER, liveCount() + 1);
        int need = entryBytes(fv, off, numFields, flags, msDelta, seqDelta);
        int total = Lp.totalBytes(lp);
        ensureCapacity(total + need);
        int[] counted = new int[1];
        int p = writeEntry(lp, total - 1, fv, off, numFields, flags, msDelta, seqDelta, counted);
        lp[p] = (byte) Lp.EOF;
        Lp.totalBytes(lp, p + 1);
        addElements(counted[0]);
    }

    private boolean sameFieldsAsMaster(byte[][] fv, int off, int numFields) {
        int p = Lp.next(lp, Lp.next(lp, Lp.HEADER));
        if (Lp.intAt(lp, p) != numFields) {
            return false;
        }
        p = Lp.next(lp, p);
        for (int i = 0; i < numFields; i++) {
            if (!Lp.equalsAt(lp, p, fv[off + 2 * i])) {
                return false;
            }
            p = Lp.next(lp, p);
        }
        return true;
    }

    private void addElements(int n) {
        int cur = Lp.numElements(lp);
        if (cur != Lp.COUNT_UNKNOWN) {
            Lp.numElements(lp, (int) Math.min((long) cur + n, Lp.COUNT_UNKNOWN));
        }
    }

    private void ensureCapacity(int need) {
        if (lp.length < need) {
            lp = Arrays.copyOf(lp, Math.max(need, Math.min(lp.length * 2, need + 4096)));
        }
    }

    /** Drops spare capacity (done when the node is full, as Redis's lpShrinkToFit). */
    void shrinkToFit() {
        int total = Lp.totalBytes(lp);
        if (lp.length > total) {
            lp = Arrays.copyOf(lp, total);
        }
    }

    /**
     * Replaces the integer element at {@code p} with {@code v}, moving the rest of the
     * listpack when the encoding size changes. Returns the change in bytes.
     */
    int replaceInt(int p, long v) {
        int oldSize = Lp.next(lp, p) - p;
        int newSize = Lp.intEntrySize(v);
        int delta = newSize - oldSize;
        int total = Lp.totalBytes(lp);
        if (delta != 0) {
            ensureCapacity(total + delta);
            System.arraycopy(lp, p + oldSize, lp, p + newSize, total - p - oldSize);
            Lp.totalBytes(lp, total + delta);
        }
        Lp.writeInt(lp, p, v);
        return delta;
    }

    /** Live (not deleted) entries. */
    public long liveCount() {
        return Lp.intAt(lp, Lp.HEADER);
    }

    /** Entries marked deleted but still present. */
    public long deletedCount() {
        return Lp.intAt(lp, Lp.next(lp, Lp.HEADER));
    }

    /** Size of the listpack in bytes, as Redis's lpBytes. */
    public int bytes() {
        return Lp.totalBytes(lp);
    }

    /** Heap bytes held (capacity included). */
    long allocated() {
        return lp.length + 16L;
    }

    /** A copy of the exact listpack bytes (for RDB and DUMP). */
    public byte[] listpack() {
        return Arrays.copyOf(lp, Lp.totalBytes(lp));
    }

    StreamNode copy() {
        return new StreamNode(listpack());
    }

    /** Offset of the master entry's field count. */
    int masterFieldCountPos() {
        return Lp.next(lp, Lp.next(lp, Lp.HEADER));
    }

    /**
     * The ID of the last entry (deleted or not) given the master ID, as Redis's
     * lpGetEdgeStreamID(last); null for a node with no entries.
     */
    StreamId lastId(StreamId master) {
        int last = Lp.prev(lp, Lp.totalBytes(lp) - 1);
        long lpCount = Lp.intAt(lp, last);
        if (lpCount == 0) {
            return null;
        }
        int p = last;
        for (long i = 0; i < lpCount; i++) {
            p = Lp.prev(lp, p);
        }
        p = Lp.next(lp, p);
        long ms = master.ms() + Lp.intAt(lp, p);
        p = Lp.next(lp, p);
        long seq = master.seq() + Lp.intAt(lp, p);
        return new StreamId(ms, seq);
    }
}
