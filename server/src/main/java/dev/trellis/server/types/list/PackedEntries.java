package dev.trellis.server.types.list;

import java.util.Arrays;

/**
 * A growable run of {@link Listpack} entries in one {@code byte[]}: a small list, hash or set,
 * or one node of a big list. Entries occupy {@code [start, end)} of the buffer, so spare room can
 * sit at either end and pushes at the head do not move the whole run.
 *
 * <p>Offsets handed out ({@link #first()}, {@link #next}, {@link #find}...) are valid until the
 * next modification.
 */
public final class PackedEntries {
    private static final byte[] EMPTY = new byte[0];

    private byte[] buf;
    private int start;
    private int end;
    private int count;

    public PackedEntries() {
        buf = EMPTY;
    }

    public PackedEntries(int capacity) {
        buf = capacity == 0 ? EMPTY : new byte[capacity];
    }

    private PackedEntries(byte[] buf, int start, int end, int count) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.count = count;
    }

    /**
     * The entries in {@code b[from, to)} (a listpack's body, e.g. from an RDB file), checked
     * entry by entry: every length must stay inside the range and every back length must match.
     * Returns null when the bytes are not a valid run of entries.
     */
    public static PackedEntries parse(byte[] b, int from, int to) {
        int count = countEntries(b, from, to);
        return count < 0 ? null : new PackedEntries(Arrays.copyOfRange(b, from, to), 0, to - from, count);
    }

    /**
     * As {@link #parse}, but the run keeps {@code b} as its buffer (no copy): for a listpack
     * read from a file that nothing else holds. Returns null when the bytes are not valid.
     */
    public static PackedEntries parseInPlace(byte[] b, int from, int to) {
        int count = countEntries(b, from, to);
        return count < 0 ? null : new PackedEntries(b, from, to, count);
    }

    /** The number of well-formed entries exactly filling {@code b[from, to)}, or -1. */
    private static int countEntries(byte[] b, int from, int to) {
        if (from < 0 || to > b.length || from > to) {
            return -1;
        }
        int count = 0;
        int p = from;
        while (p < to) {
            int enc = safeEncodedSize(b, p, to);
            if (enc < 0) {
                return -1;
            }
            int back = Listpack.backlenSize(enc);
            if ((long) p + enc + back > to || Listpack.prev(b, p + enc + back) != p) {
                return -1;
            }
            p += enc + back;
            count++;
        }
        return count;
    }

    /** {@link Listpack#encodedSize} with bounds checks; -1 when the entry runs past {@code to}. */
    private static int safeEncodedSize(byte[] b, int p, int to) {
        int h = b[p] & 0xFF;
        int need = h < 0xC0 ? 1 : h < 0xF0 ? 2 : h == 0xF0 ? 5 : 1;
        if (h > 0xF4 || p + need > to) {
            return -1;
        }
        long size = Listpack.encodedSize(b, p);
        return size < 0 || p + size > to ? -1 : (int) size;
    }

    /** A copy holding exactly the entries. */
    public PackedEntries copy() {
        return new PackedEntries(Arrays.copyOfRange(buf, start, end), 0, end - start, count);
    }

    public byte[] buffer() {
        return buf;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes of the entries. */
    public int used() {
        return end - start;
    }

    /** The size Redis would report for this run as a listpack (entries plus header). */
    public int listpackBytes() {
        return end - start + Listpack.OVERHEAD;
    }

    /** Allocated bytes, for memory accounting. */
    public int capacity() {
        return buf.length;
    }

    // --- navigation ----------------------------------------------------------------------

    /** Offset of the first entry, or -1 when empty. */
    public int first() {
        return count == 0 ? -1 : start;
    }

    /** Offset of the last entry, or -1 when empty. */
    public int last() {
        return count == 0 ? -1 : Listpack.prev(buf, end);
    }

    /** Offset of the entry after {@code p}, or -1 at the end. */
    public int next(int p) {
        int q = Listpack.next(buf, p);
        return q >= end ? -1 : q;
    }

    /** Offset of the entry before {@code p}, or -1 at the start. */
    public int prev(int p) {
        return p <= start ? -1 : Listpack.prev(buf, p);
    }

    /** Offset of the entry at {@code index} (0-based), walking from the nearer end. */
    public int offsetOf(int index) {
        if (index < 0 || index >= count) {
            return -1;
        }
        if (index <= count / 2) {
            int p = start;
            for (int i = 0; i < index; i++) {
                p = Listpack.next(buf, p);
            }
            return p;
        }
        int p = end;
        for (int i = count; i > index; i--) {
            p = Listpack.prev(buf, p);
        }
        return p;
    }

    /**
     * Offset of the first entry equal to {@code s} among entries {@code 0, stride, 2*stride...}
     * (stride 2 searches the fields of field/value pairs), or -1.
     */
    public int find(byte[] s, int stride) {
        boolean isInt = Listpack.isCanonicalLong(s);
        long v = isInt ? Listpack.parseCanonical(s) : 0;
        int p = start;
        for (int i = 0; i < count; i += stride) {
            if (Listpack.equals(buf, p, s, isInt, v)) {
                return p;
            }
            for (int k = 0; k < stride; k++) {
                p = Listpack.next(buf, p);
            }
        }
        return -1;
    }

    // --- element access ------------------------------------------------------------------

    public byte[] get(int p) {
        return Listpack.get(buf, p);
    }

    public boolean isInt(int p) {
        return Listpack.isInt(buf, p);
    }

    public long intValue(int p) {
        return Listpack.intValue(buf, p);
    }

    // --- modification --------------------------------------------------------------------

    /** Appends {@code s}. */
    public void pushTail(byte[] s) {
        if (Listpack.isCanonicalLong(s)) {
            pushTail(Listpack.parseCanonical(s));
            return;
        }
        reserveTail(Listpack.stringEntrySize(s.length));
        end = Listpack.writeString(buf, end, s, 0, s.length);
        count++;
    }

    /** Appends integer {@code v}. */
    public void pushTail(long v) {
        int size = Listpack.entrySize(v);
        reserveTail(size);
        end = Listpack.writeInt(buf, end, v);
        count++;
    }

    /** Prepends {@code s}. */
    public void pushHead(byte[] s) {
        boolean isInt = Listpack.isCanonicalLong(s);
        long v = isInt ? Listpack.parseCanonical(s) : 0;
        int size = isInt ? Listpack.entrySize(v) : Listpack.stringEntrySize(s.length);
        reserveHead(size);
        start -= size;
        if (isInt) {
            Listpack.writeInt(buf, start, v);
        } else {
            Listpack.writeString(buf, start, s, 0, s.length);
        }
        count++;
    }

    /**
     * Inserts {@code s} before the entry at {@code p} ({@code p == end()} appends); returns the
     * offset of the new entry (other offsets may have moved).
     */
    public int insertAt(int p, byte[] s) {
        int size = Listpack.entrySize(s);
        p = openGap(p, size);
        Listpack.write(buf, p, s);
        count++;
        return p;
    }

    /** Inserts integer {@code v} before the entry at {@code p}; returns the new entry's offset. */
    public int insertAt(int p, long v) {
        int size = Listpack.entrySize(v);
        p = openGap(p, size);
        Listpack.writeInt(buf, p, v);
        count++;
        return p;
    }

    /** Offset just past the last entry (an insertion point that appends). */
    public int end() {
        return end;
    }

    /** Replaces the entry at {@code p} with {@code s}; returns the entry's new offset. */
    public int replaceAt(int p, byte[] s) {
        int oldSize = Listpack.entrySizeAt(buf, p);
        int newSize = Listpack.entrySize(s);
        if (newSize != oldSize) {
            p = closeGap(p, oldSize);
            count--;
            p = openGap(p >= end ? end : p, newSize);
            count++;
        }
        Listpack.write(buf, p, s);
        return p;
    }

    /** Removes the entry at {@code p}; returns the offset of the entry that followed, or -1. */
    public int removeAt(int p) {
        int size = Listpack.entrySizeAt(buf, p);
        p = closeGap(p, size);
        count--;
        return p >= end ? -1 : p;
    }

    /**
     * Removes the entry at {@code p}; returns the (possibly moved) offset of the entry that
     * preceded it, or -1 (for removing while walking backwards).
     */
    public int removeAtReturningPrev(int p) {
        int prev = prev(p);
        int size = Listpack.entrySizeAt(buf, p);
        boolean prefixMoves = p - start < end - p - size;
        closeGap(p, size);
        count--;
        if (prev < 0) {
            return -1;
        }
        return prefixMoves ? prev + size : prev;
    }

    /** Removes {@code n} consecutive entries starting at {@code p}. */
    public void removeRange(int p, int n) {
        int q = p;
        for (int i = 0; i < n; i++) {
            q = Listpack.next(buf, q);
        }
        closeGap(p, q - p);
        count -= n;
    }

    /** Removes the first {@code n} entries. */
    public void removeHead(int n) {
        if (n >= count) {
            clear();
            return;
        }
        int p = start;
        for (int i = 0; i < n; i++) {
            p = Listpack.next(buf, p);
        }
        start = p;
        count -= n;
    }

    /** Removes the last {@code n} entries. */
    public void removeTail(int n) {
        if (n >= count) {
            clear();
            return;
        }
        int p = end;
        for (int i = 0; i < n; i++) {
            p = Listpack.prev(buf, p);
        }
        end = p;
        count -= n;
    }

    public void clear() {
        start = 0;
        end = 0;
        count = 0;
        buf = EMPTY;
    }

    /** Moves the last {@code n} entries into a new run (splitting a list node). */
    public PackedEntries splitTail(int n) {
        int p = end;
        for (int i = 0; i < n; i++) {
            p = Listpack.prev(buf, p);
        }
        PackedEntries tail = new PackedEntries(Arrays.copyOfRange(buf, p, end), 0, end - p, n);
        end = p;
        count -= n;
        trimToSize();
        return tail;
    }

    /** Appends all entries of {@code other} (merging list nodes). */
    public void appendAll(PackedEntries other) {
        int n = other.used();
        reserveTail(n);
        System.arraycopy(other.buf, other.start, buf, end, n);
        end += n;
        count += other.count;
    }

    /** Drops spare capacity. */
    public void trimToSize() {
        if (buf.length != end - start) {
            buf = count == 0 ? EMPTY : Arrays.copyOfRange(buf, start, end);
            end -= start;
            start = 0;
        }
    }

    private void reserveTail(int need) {
        if (buf.length - end >= need) {
            return;
        }
        int used = end - start;
        int cap = used + need + (used >> 2);
        byte[] nb = new byte[cap];
        System.arraycopy(buf, start, nb, 0, used);
        buf = nb;
        start = 0;
        end = used;
    }

    private void reserveHead(int need) {
        if (start >= need) {
            return;
        }
        int used = end - start;
        int slack = (used >> 2);
        int cap = used + need + slack;
        byte[] nb = new byte[cap];
        int ns = need + slack;
        System.arraycopy(buf, start, nb, ns, used);
        buf = nb;
        start = ns;
        end = ns + used;
    }

    /** Makes room for {@code size} bytes at {@code p}; returns the (possibly moved) offset. */
    private int openGap(int p, int size) {
        int rel = p - start;
        int used = end - start;
        if (rel == used) {
            reserveTail(size);
            int at = end;
            end += size;
            return at;
        }
        if (rel == 0 && start >= size) {
            start -= size;
            return start;
        }
        if (buf.length - end >= size) {
            System.arraycopy(buf, p, buf, p + size, end - p);
            end += size;
            return p;
        }
        int cap = used + size + (used >> 2);
        byte[] nb = new byte[cap];
        System.arraycopy(buf, start, nb, 0, rel);
        System.arraycopy(buf, p, nb, rel + size, used - rel);
        buf = nb;
        start = 0;
        end = used + size;
        return rel;
    }

    /** Removes {@code size} bytes at {@code p}, moving the shorter side; returns p's new offset. */
    private int closeGap(int p, int size) {
        int before = p - start;
        int after = end - p - size;
        if (before < after) {
            System.arraycopy(buf, start, buf, start + size, before);
            start += size;
            p += size;
        } else {
            System.arraycopy(buf, p + size, buf, p, after);
            end -= size;
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
        return p;
    }
}
