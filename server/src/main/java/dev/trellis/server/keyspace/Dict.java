package dev.trellis.server.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The keyspace hash table: chained buckets in a power-of-two table, resized by incremental
 * rehashing into a second table, as Redis's dict does. That shape is what gives {@link #scan}
 * its guarantee: the cursor walks bucket indexes in reverse-binary order, so every key present
 * for the whole scan is returned even when the table grows or shrinks in between (a key may be
 * returned twice).
 */
public final class Dict {
    private static final KeyEntry[] EMPTY = new KeyEntry[0];
    private static final int INITIAL = 4;

    private KeyEntry[] t0 = EMPTY;
    private KeyEntry[] t1 = EMPTY;
    private int used0;
    private int used1;
    /** Next bucket of t0 to move into t1, or -1 when not rehashing. */
    private int rehashIndex = -1;

    public int size() {
        return used0 + used1;
    }

    public boolean isRehashing() {
        return rehashIndex >= 0;
    }

    /** Bucket count of the main table (for INFO/DEBUG HTSTATS-style reporting). */
    public int buckets() {
        return t0.length + t1.length;
    }

    public KeyEntry find(byte[] key) {
        return size() == 0 ? null : find(key, KeyHash.hash(key));
    }

    /** {@link #find(byte[])} with the key's {@link KeyHash} already computed (a bulk loader hashes on its own thread). */
    public KeyEntry find(byte[] key, int h) {
        if (size() == 0) {
            return null;
        }
        if (rehashIndex >= 0) {
            rehashStep(1);
        }
        KeyEntry e = findIn(t0, key, h);
        if (e == null && rehashIndex >= 0) {
            e = findIn(t1, key, h);
        }
        return e;
    }

    /**
     * Reads the bucket of {@code key} and its first entry, returning something derived from them
     * (so the reads are not optimised away). A bulk loader calls this for a batch of keys before
     * adding them: the cache misses of independent keys then overlap instead of being paid one
     * after another inside {@link #find}.
     */
    public int touch(byte[] key) {
        return touch(key, KeyHash.hash(key));
    }

    /** {@link #touch(byte[])} with the key's hash already computed. */
    public int touch(byte[] key, int h) {
        KeyEntry[] t = t0;
        if (t.length == 0) {
            return 0;
        }
        KeyEntry e = t[h & (t.length - 1)];
        return e == null ? 0 : e.hash;
    }

    private static KeyEntry findIn(KeyEntry[] t, byte[] key, int h) {
        if (t.length == 0) {
            return null;
        }
        for (KeyEntry e = t[h & (t.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /** Adds a new entry for a key known to be absent, and returns it. */
    public KeyEntry addNew(byte[] key, Object value) {
        return addNew(key, KeyHash.hash(key), value);
    }

    /** {@link #addNew(byte[], Object)} with the key's hash already computed. */
    public KeyEntry addNew(byte[] key, int h, Object value) {
        KeyEntry e = new KeyEntry(key, h, value);
        insert(e);
        return e;
    }

    /** Inserts an entry (key known absent). */
    void insert(KeyEntry e) {
        if (rehashIndex >= 0) {
            rehashStep(1);
        }
        growIfNeeded();
        if (rehashIndex >= 0) {
            int i = e.hash & (t1.length - 1);
            e.next = t1[i];
            t1[i] = e;
            used1++;
        } else {
            int i = e.hash & (t0.length - 1);
            e.next = t0[i];
            t0[i] = e;
            used0++;
        }
    }

    public KeyEntry remove(byte[] key) {
        if (size() == 0) {
            return null;
        }
        int h = KeyHash.hash(key);
        if (rehashIndex >= 0) {
            rehashStep(1);
        }
        KeyEntry e = removeFrom(t0, key, h);
        if (e != null) {
            used0--;
        } else if (rehashIndex >= 0) {
            e = removeFrom(t1, key, h);
            if (e != null) {
                used1--;
            }
        }
        if (e != null) {
            shrinkIfNeeded();
        }
        return e;
    }

    private static KeyEntry removeFrom(KeyEntry[] t, byte[] key, int h) {
        if (t.length == 0) {
            return null;
        }
        int i = h & (t.length - 1);
        KeyEntry prev = null;
        for (KeyEntry e = t[i]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                if (prev == null) {
                    t[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                return e;
            }
        }
        return null;
    }

    public void clear() {
        t0 = EMPTY;
        t1 = EMPTY;
        used0 = used1 = 0;
        rehashIndex = -1;
    }

    /**
     * Sizes an empty table for about {@code n} entries at once (an RDB file's RESIZEDB hint, as
     * Redis's dictExpand), so loading does not rehash the keyspace over and over. Capped, since
     * the hint comes from a file.
     */
    public void expand(long n) {
        if (size() > 0 || rehashIndex >= 0 || n <= t0.length) {
            return;
        }
        long p = Long.highestOneBit(Math.min(n, 1L << 24));
        if (p < n && p < (1L << 24)) {
            p <<= 1;
        }
        if (p > t0.length) {
            t0 = new KeyEntry[(int) p];
        }
    }

    private void growIfNeeded() {
        if (rehashIndex >= 0) {
            return;
        }
        if (t0.length == 0) {
            t0 = new KeyEntry[INITIAL];
            return;
        }
        if (used0 >= t0.length) {
            startRehash(Integer.highestOneBit(Math.max(used0 + 1, 1)) << 1);
        }
    }

    private void shrinkIfNeeded() {
        if (rehashIndex >= 0 || t0.length <= INITIAL) {
            return;
        }
        // Shrink when under 1/8 full, like Redis's HASHTABLE_MIN_FILL.
        if (used0 * 8L < t0.length) {
            int target = Math.max(INITIAL, Integer.highestOneBit(Math.max(used0, 1)) << 1);
            if (target < t0.length) {
                startRehash(target);
            }
        }
    }

    private void startRehash(int newSize) {
        t1 = new KeyEntry[newSize];
        used1 = 0;
        rehashIndex = 0;
        if (used0 == 0) {
            finishRehash();
        }
    }

    /** Moves up to {@code n} buckets to the new table; returns true if more remain. */
    public boolean rehashStep(int n) {
        if (rehashIndex < 0) {
            return false;
        }
        int emptyVisits = n * 10;
        int mask1 = t1.length - 1;
        while (n-- > 0 && used0 > 0) {
            while (t0[rehashIndex] == null) {
                rehashIndex++;
                if (--emptyVisits == 0) {
                    return true;
                }
            }
            KeyEntry e = t0[rehashIndex];
            while (e != null) {
                KeyEntry next = e.next;
                int i = e.hash & mask1;
                e.next = t1[i];
                t1[i] = e;
                used0--;
                used1++;
                e = next;
            }
            t0[rehashIndex] = null;
            rehashIndex++;
        }
        if (used0 == 0) {
            finishRehash();
            return false;
        }
        return true;
    }

    private void finishRehash() {
        t0 = t1;
        used0 = used1;
        t1 = EMPTY;
        used1 = 0;
        rehashIndex = -1;
    }

    /** Rehashes for about {@code ms} milliseconds (the cron's active rehashing). */
    public void rehashMilliseconds(long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (rehashStep(100)) {
            if (System.nanoTime() > deadline) {
                break;
            }
        }
    }

    /**
     * Visits the buckets at {@code cursor} and returns the next cursor (0 when done). Cursors
     * advance by incrementing the reversed bits of the index, which keeps them valid across
     * resizes.
     */
    public long scan(long cursor, Consumer<KeyEntry> visitor) {
        if (size() == 0) {
            return 0;
        }
        if (rehashIndex < 0) {
            long m0 = t0.length - 1;
            visitBucket(t0, (int) (cursor & m0), visitor);
            return nextCursor(cursor, m0);
        }
        KeyEntry[] small = t0;
        KeyEntry[] large = t1;
        if (small.length > large.length) {
            small = t1;
            large = t0;
        }
        long m0 = small.length - 1;
        long m1 = large.length - 1;
        visitBucket(small, (int) (cursor & m0), visitor);
        do {
            visitBucket(large, (int) (cursor & m1), visitor);
            cursor = nextCursor(cursor, m1);
        } while ((cursor & (m0 ^ m1)) != 0);
        return cursor;
    }

    private static long nextCursor(long v, long mask) {
        v |= ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    private static void visitBucket(KeyEntry[] t, int i, Consumer<KeyEntry> visitor) {
        for (KeyEntry e = t[i]; e != null; ) {
            KeyEntry next = e.next; // the visitor may delete e (expired keys)
            visitor.accept(e);
            e = next;
        }
    }

    /** Chain length the fair sampler assumes; longer chains are rare with a good hash. */
    private static final int SAMPLE_CHAIN = 8;

    /**
     * A random entry, uniformly chosen: a random bucket over both tables is accepted with
     * probability (chain length / {@value #SAMPLE_CHAIN}) and then a random entry of its chain
     * taken, so every entry has the same chance per attempt, whatever the chain lengths and
     * rehashing state (Redis's fair random key, without its small-sample bias). Sparse tables
     * fall back to the first entry after a random bucket after many rejected attempts.
     */
    public KeyEntry random() {
        if (size() == 0) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int n0 = t0.length;
        int total = n0 + t1.length;
        for (int attempt = 0; attempt < 1000; attempt++) {
            int b = rnd.nextInt(total);
            KeyEntry head = b < n0 ? t0[b] : t1[b - n0];
            if (head == null) {
                continue;
            }
            int len = 0;
            for (KeyEntry e = head; e != null; e = e.next) {
                len++;
            }
            int pick = rnd.nextInt(Math.max(len, SAMPLE_CHAIN));
            if (pick < len) {
                KeyEntry e = head;
                while (pick-- > 0) {
                    e = e.next;
                }
                return e;
            }
        }
        int b = rnd.nextInt(total);
        for (int i = 0; ; i++) {
            int at = (b + i) % total;
            KeyEntry head = at < n0 ? t0[at] : t1[at - n0];
            if (head != null) {
                return head;
            }
        }
    }

    /** Visits every entry; the visitor must not modify the dict. */
    public void forEach(Consumer<KeyEntry> visitor) {
        for (KeyEntry[] t : new KeyEntry[][] {t0, t1}) {
            for (KeyEntry head : t) {
                for (KeyEntry e = head; e != null; e = e.next) {
                    visitor.accept(e);
                }
            }
        }
    }
}
