package dev.trellis.server.types.set;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A sorted array of distinct 64-bit integers stored at the narrowest width that fits them all
 * (2, 4 or 8 bytes, widened when a bigger value arrives), like Redis's intset. Lookups are
 * binary searches; iteration is in ascending order.
 */
final class IntSet {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] data;
    private int width;
    private int size;

    IntSet() {
        data = new byte[0];
        width = 2;
    }

    /** Over existing contents: {@code size} values of {@code width} bytes, strictly ascending. */
    IntSet(byte[] data, int width, int size) {
        this.data = data;
        this.width = width;
        this.size = size;
    }

    private IntSet(IntSet o) {
        data = Arrays.copyOf(o.data, o.size * o.width);
        width = o.width;
        size = o.size;
    }

    IntSet copy() {
        return new IntSet(this);
    }

    int size() {
        return size;
    }

    int bytes() {
        return data.length;
    }

    long get(int i) {
        int p = i * width;
        return switch (width) {
            case 2 -> (short) SHORT.get(data, p);
            case 4 -> (int) INT.get(data, p);
            default -> (long) LONG.get(data, p);
        };
    }

    private void put(int i, long v) {
        int p = i * width;
        switch (width) {
            case 2 -> SHORT.set(data, p, (short) v);
            case 4 -> INT.set(data, p, (int) v);
            default -> LONG.set(data, p, v);
        }
    }

    private static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
    }

    /** Index of {@code v}, or -(insertion point) - 1. */
    private int search(long v) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = get(mid);
            if (m < v) {
                lo = mid + 1;
            } else if (m > v) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    boolean contains(long v) {
        return widthFor(v) <= width && search(v) >= 0;
    }

    /** Adds {@code v}; false when already present. */
    boolean add(long v) {
        int w = widthFor(v);
        if (w > width) {
            widen(w);
        }
        int i = search(v);
        if (i >= 0) {
            return false;
        }
        i = -i - 1;
        byte[] nd = new byte[(size + 1) * width];
        System.arraycopy(data, 0, nd, 0, i * width);
        System.arraycopy(data, i * width, nd, (i + 1) * width, (size - i) * width);
        data = nd;
        size++;
        put(i, v);
        return true;
    }

    boolean remove(long v) {
        if (widthFor(v) > width) {
            return false;
        }
        int i = search(v);
        if (i < 0) {
            return false;
        }
        byte[] nd = new byte[(size - 1) * width];
        System.arraycopy(data, 0, nd, 0, i * width);
        System.arraycopy(data, (i + 1) * width, nd, i * width, (size - i - 1) * width);
        data = nd;
        size--;
        return true;
    }

    private void widen(int w) {
        long[] vals = new long[size];
        for (int i = 0; i < size; i++) {
            vals[i] = get(i);
        }
        width = w;
        data = new byte[size * w];
        for (int i = 0; i < size; i++) {
            put(i, vals[i]);
        }
    }
}
