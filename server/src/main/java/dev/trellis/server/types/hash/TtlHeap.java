package dev.trellis.server.types.hash;

import java.util.Arrays;

/**
 * Min-heap of (expire time, field) for a big hash with field TTLs. Entries are not removed when
 * a TTL changes: readers check an entry against the table and drop it if stale, and the heap is
 * rebuilt when stale entries outnumber live ones.
 */
final class TtlHeap {
    private long[] times = new long[8];
    private byte[][] fields = new byte[8][];
    private int n;

    int size() {
        return n;
    }

    void clear() {
        times = new long[8];
        fields = new byte[8][];
        n = 0;
    }

    void add(long time, byte[] field) {
        if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
            fields = Arrays.copyOf(fields, n * 2);
        }
        int i = n++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= time) {
                break;
            }
            times[i] = times[parent];
            fields[i] = fields[parent];
            i = parent;
        }
        times[i] = time;
        fields[i] = field;
    }

    /** Smallest time, or {@link Long#MAX_VALUE} when empty. */
    long peekTime() {
        return n == 0 ? Long.MAX_VALUE : times[0];
    }

    byte[] peekField() {
        return fields[0];
    }

    void poll() {
        long t = times[--n];
        byte[] f = fields[n];
        fields[n] = null;
        if (n == 0) {
            return;
        }
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && times[child + 1] < times[child]) {
                child++;
            }
            if (times[child] >= t) {
                break;
            }
            times[i] = times[child];
            fields[i] = fields[child];
            i = child;
        }
        times[i] = t;
        fields[i] = f;
    }
}
