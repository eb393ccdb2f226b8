package dev.trellis.server.eviction;

/**
 * Redis's eviction pool: the best candidates seen by sampling, kept across eviction rounds so
 * that each round's few samples improve on the last ones. Sorted by ascending idle score; the
 * best candidate is at the end.
 */
final class EvictionPool {
    static final int SIZE = 16;

    private final long[] idle = new long[SIZE];
    private final int[] dbIds = new int[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private int size;

    /** Offers a sampled key; kept when the pool has room or it beats the worst candidate. */
    void offer(int dbId, byte[] key, long score) {
        int k = 0;
        while (k < size && idle[k] < score) {
            k++;
        }
        if (k == 0 && size == SIZE) {
            return; // worse than everything in a full pool
        }
        if (size < SIZE) {
            // Shift the better candidates right to make room at k.
            System.arraycopy(idle, k, idle, k + 1, size - k);
            System.arraycopy(dbIds, k, dbIds, k + 1, size - k);
            System.arraycopy(keys, k, keys, k + 1, size - k);
            size++;
        } else {
            // Full: drop the worst (index 0) and shift the worse ones left.
            k--;
            System.arraycopy(idle, 1, idle, 0, k);
            System.arraycopy(dbIds, 1, dbIds, 0, k);
            System.arraycopy(keys, 1, keys, 0, k);
        }
        idle[k] = score;
        dbIds[k] = dbId;
        keys[k] = key;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Removes and returns the best candidate's key; {@link #lastDb()} tells its database. */
    byte[] pollBest() {
        size--;
        byte[] k = keys[size];
        lastDb = dbIds[size];
        keys[size] = null;
        return k;
    }

    private int lastDb;

    int lastDb() {
        return lastDb;
    }

    void clear() {
        java.util.Arrays.fill(keys, null);
        size = 0;
    }
}
