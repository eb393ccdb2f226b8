package dev.trellis.server.types.hash;

import dev.trellis.server.keyspace.KeyHash;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The big-hash representation: an open-addressing table (linear probing, backward-shift
 * deletion, no tombstones) of entries that pack field and value into one array,
 * {@code [varint field length][field][value]}, so a field costs one object rather than three.
 * TTLs live in a parallel array allocated on the first field expiry.
 *
 * <p>SCAN cursors walk "home" buckets in reverse-binary order, so every entry present for the
 * whole scan is returned even if the table grows or shrinks meanwhile (Redis's guarantee): an
 * entry's home bucket is {@code hash & mask}, whatever slot probing put it in.
 */
final class FieldTable {
    private static final byte[][] NO_SLOTS = new byte[0][];

    private byte[][] slots;
    private long[] ttls;
    private int size;
    private int ttlCount;
    private int mask;

    FieldTable(int expected) {
        int cap = 8;
        while (cap * 3L / 4 < expected) {
            cap <<= 1;
        }
        slots = new byte[cap][];
        mask = cap - 1;
    }

    private FieldTable(FieldTable o) {
        slots = new byte[o.slots.length][];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = o.slots[i] == null ? null : o.slots[i].clone();
        }
        ttls = o.ttls == null ? null : o.ttls.clone();
        size = o.size;
        ttlCount = o.ttlCount;
        mask = o.mask;
    }

    FieldTable copy() {
        return new FieldTable(this);
    }

    int size() {
        return size;
    }

    int capacity() {
        return slots.length;
    }

    int ttlCount() {
        return ttlCount;
    }

    // --- entry layout --------------------------------------------------------------------

    static byte[] entry(byte[] field, byte[] value) {
        int h = varintSize(field.length);
        byte[] e = new byte[h + field.length + value.length];
        int p = 0;
        int n = field.length;
        while (n >= 0x80) {
            e[p++] = (byte) (n | 0x80);
            n >>>= 7;
        }
        e[p++] = (byte) n;
        System.arraycopy(field, 0, e, p, field.length);
        System.arraycopy(value, 0, e, p + field.length, value.length);
        return e;
    }

    private static int varintSize(int n) {
        int s = 1;
        while (n >= 0x80) {
            n >>>= 7;
            s++;
        }
        return s;
    }

    static int fieldLength(byte[] e) {
        int v = 0;
        int shift = 0;
        for (int p = 0; ; p++) {
            int b = e[p];
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }

    static int fieldOffset(byte[] e) {
        int p = 0;
        while ((e[p] & 0x80) != 0) {
            p++;
        }
        return p + 1;
    }

    static int valueOffset(byte[] e) {
        return fieldOffset(e) + fieldLength(e);
    }

    static int valueLength(byte[] e) {
        return e.length - valueOffset(e);
    }

    static byte[] field(byte[] e) {
        int off = fieldOffset(e);
        return Arrays.copyOfRange(e, off, off + fieldLength(e));
    }

    static byte[] value(byte[] e) {
        return Arrays.copyOfRange(e, valueOffset(e), e.length);
    }

    private static int hashOf(byte[] e) {
        return KeyHash.hash(e, fieldOffset(e), fieldLength(e));
    }

    private static boolean fieldEquals(byte[] e, byte[] f) {
        int off = fieldOffset(e);
        int len = fieldLength(e);
        return len == f.length && Arrays.equals(e, off, off + len, f, 0, len);
    }

    // --- lookups and updates -------------------------------------------------------------

    /** Slot of {@code field}, or -1. */
    int find(byte[] field) {
        int i = KeyHash.hash(field) & mask;
        byte[] e;
        while ((e = slots[i]) != null) {
            if (fieldEquals(e, field)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    byte[] entryAt(int slot) {
        return slots[slot];
    }

    /** Replaces the entry in {@code slot} (same field, new value). */
    void replaceEntry(int slot, byte[] e) {
        slots[slot] = e;
    }

    /** Adds a field known to be absent; returns its slot. */
    int addNew(byte[] e, long ttl) {
        if ((size + 1) * 4L > slots.length * 3L) {
            resize(slots.length * 2);
        }
        int i = hashOf(e) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = e;
        size++;
        if (ttl != 0) {
            setTtl(i, ttl);
        }
        return i;
    }

    long ttl(int slot) {
        return ttls == null ? 0 : ttls[slot];
    }

    /** Sets (or with 0 clears) the TTL of the entry in {@code slot}. */
    void setTtl(int slot, long when) {
        if (ttls == null) {
            if (when == 0) {
                return;
            }
            ttls = new long[slots.length];
        }
        long old = ttls[slot];
        if (old == 0 && when != 0) {
            ttlCount++;
        } else if (old != 0 && when == 0) {
            ttlCount--;
        }
        ttls[slot] = when;
    }

    /** Removes the entry in {@code slot}, shifting later entries of its probe run back. */
    void removeAt(int slot) {
        setTtl(slot, 0);
        slots[slot] = null;
        size--;
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            byte[] e = slots[j];
            if (e == null) {
                break;
            }
            int home = hashOf(e) & mask;
            // move e into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                slots[hole] = e;
                slots[j] = null;
                if (ttls != null) {
                    ttls[hole] = ttls[j];
                    ttls[j] = 0;
                }
                hole = j;
            }
        }
        if (slots.length > 8 && size * 8L < slots.length) {
            int cap = 8;
            while (cap * 3L / 4 < size * 2L) {
                cap <<= 1;
            }
            if (cap < slots.length) {
                resize(cap);
            }
        }
    }

    private void resize(int cap) {
        byte[][] old = slots;
        long[] oldTtls = ttls;
        slots = new byte[cap][];
        ttls = oldTtls == null || ttlCount == 0 ? null : new long[cap];
        mask = cap - 1;
        for (int k = 0; k < old.length; k++) {
            byte[] e = old[k];
            if (e != null) {
                int i = hashOf(e) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = e;
                if (ttls != null) {
                    ttls[i] = oldTtls[k];
                }
            }
        }
    }

    // --- iteration -----------------------------------------------------------------------

    /** Next occupied slot at or after {@code from}, or -1. */
    int nextSlot(int from) {
        for (int i = from; i < slots.length; i++) {
            if (slots[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /** A uniformly random occupied slot; the table must not be empty. */
    int randomSlot(java.util.random.RandomGenerator r) {
        while (true) {
            int i = r.nextInt(slots.length);
            if (slots[i] != null) {
                return i;
            }
        }
    }

    /** Visits the entries whose home bucket is {@code cursor}'s; returns the next cursor. */
    long scan(long cursor, IntConsumer visitSlot) {
        if (size == 0) {
            return 0;
        }
        int m = mask;
        int bucket = (int) (cursor & m);
        for (int i = bucket; slots[i] != null; i = (i + 1) & m) {
            if ((hashOf(slots[i]) & m) == bucket) {
                visitSlot.accept(i);
            }
        }
        return nextCursor(cursor, m);
    }

    /** Reverse-binary increment of {@code cursor} under {@code mask} (Redis's dictScan order). */
    static long nextCursor(long cursor, long mask) {
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        cursor = Long.reverse(cursor);
        return cursor & 0xFFFFFFFFL;
    }

    long memoryUsage() {
        long m = 16 + 16 + 4L * slots.length + (ttls == null ? 0 : 16 + 8L * ttls.length);
        for (byte[] e : slots) {
            if (e != null) {
                m += (16 + e.length + 7) & ~7;
            }
        }
        return m;
    }
}
