package dev.trellis.server.types.set;

import dev.trellis.server.keyspace.KeyHash;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * The big-set representation: an open-addressing table of member byte arrays (linear probing,
 * backward-shift deletion, no tombstones), one array per member and one reference per slot.
 * SCAN cursors walk home buckets in reverse-binary order, which keeps Redis's guarantee that a
 * scan returns every member present throughout, across resizes.
 */
final class MemberTable {
    private byte[][] slots;
    private int size;
    private int mask;

    MemberTable(long expected) {
        int cap = 8;
        while (cap * 3L / 4 < expected && cap < (1 << 30)) {
            cap <<= 1;
        }
        slots = new byte[cap][];
        mask = cap - 1;
    }

    private MemberTable(MemberTable o) {
        slots = new byte[o.slots.length][];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = o.slots[i] == null ? null : o.slots[i].clone();
        }
        size = o.size;
        mask = o.mask;
    }

    MemberTable copy() {
        return new MemberTable(this);
    }

    int size() {
        return size;
    }

    int capacity() {
        return slots.length;
    }

    byte[] at(int slot) {
        return slots[slot];
    }

    int find(byte[] m) {
        int i = KeyHash.hash(m) & mask;
        byte[] e;
        while ((e = slots[i]) != null) {
            if (Arrays.equals(e, m)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Adds {@code m} (the table keeps the array); false when already present. */
    boolean add(byte[] m) {
        return add(m, false);
    }

    /** Adds {@code m}, stored as a copy when {@code copy} (made only if it was absent). */
    boolean add(byte[] m, boolean copy) {
        int i = KeyHash.hash(m) & mask;
        byte[] e;
        while ((e = slots[i]) != null) {
            if (Arrays.equals(e, m)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = copy ? m.clone() : m;
        size++;
        if (size * 4L > slots.length * 3L) {
            resize(slots.length * 2);
        }
        return true;
    }

    boolean remove(byte[] m) {
        int i = find(m);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    void removeAt(int slot) {
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
            int home = KeyHash.hash(e) & mask;
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                slots[hole] = e;
                slots[j] = null;
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
        slots = new byte[cap][];
        mask = cap - 1;
        for (byte[] e : old) {
            if (e != null) {
                int i = KeyHash.hash(e) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = e;
            }
        }
    }

    /** Next occupied slot at or after {@code from}, or -1. */
    int nextSlot(int from) {
        for (int i = from; i < slots.length; i++) {
            if (slots[i] != null) {
                return i;
            }
        }
        return -1;
    }

    int randomSlot(RandomGenerator r) {
        while (true) {
            int i = r.nextInt(slots.length);
            if (slots[i] != null) {
                return i;
            }
        }
    }

    /** Visits the members whose home bucket is {@code cursor}'s; returns the next cursor. */
    long scan(long cursor, IntConsumer visitSlot) {
        if (size == 0) {
            return 0;
        }
        int m = mask;
        int bucket = (int) (cursor & m);
        for (int i = bucket; slots[i] != null; i = (i + 1) & m) {
            if ((KeyHash.hash(slots[i]) & m) == bucket) {
                visitSlot.accept(i);
            }
        }
        cursor |= ~(long) m;
        cursor = Long.reverse(Long.reverse(cursor) + 1);
        return cursor & m;
    }

    long memoryUsage() {
        long total = 32 + 16 + 4L * slots.length;
        for (byte[] e : slots) {
            if (e != null) {
                total += (16 + e.length + 7) & ~7;
            }
        }
        return total;
    }
}
