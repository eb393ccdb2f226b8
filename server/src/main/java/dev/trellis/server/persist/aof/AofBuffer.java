package dev.trellis.server.persist.aof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Commands in RESP form waiting to be written to the AOF (Redis's aof_buf); reused, not reallocated. */
final class AofBuffer {
    private static final int KEEP = 1 << 16;
    private byte[] b = new byte[4096];
    private int len;
    private final byte[] digits = new byte[20];

    int length() {
        return len;
    }

    boolean isEmpty() {
        return len == 0;
    }

    byte[] array() {
        return b;
    }

    void clear() {
        len = 0;
        if (b.length > KEEP * 4) {
            b = new byte[KEEP];
        }
    }

    /** Drops the first {@code n} bytes (a short write went out). */
    void consume(int n) {
        System.arraycopy(b, n, b, 0, len - n);
        len -= n;
    }

    private void room(int n) {
        if (len + n > b.length) {
            long want = Math.max((long) len + n, (long) b.length * 2);
            b = Arrays.copyOf(b, (int) Math.min(want, Integer.MAX_VALUE - 16));
        }
    }

    void raw(byte[] x, int off, int n) {
        room(n);
        System.arraycopy(x, off, b, len, n);
        len += n;
    }

    void ascii(String s) {
        raw(s.getBytes(StandardCharsets.US_ASCII), 0, s.length());
    }

    private void header(char type, long n) {
        room(24);
        b[len++] = (byte) type;
        if (n == 0) {
            b[len++] = '0';
        } else {
            int d = 0;
            for (long v = n; v > 0; v /= 10) {
                digits[d++] = (byte) ('0' + v % 10);
            }
            while (d > 0) {
                b[len++] = digits[--d];
            }
        }
        b[len++] = '\r';
        b[len++] = '\n';
    }

    /** One command as a RESP array of bulk strings. */
    void command(byte[][] argv, int argc) {
        header('*', argc);
        for (int i = 0; i < argc; i++) {
            byte[] a = argv[i];
            header('$', a.length);
            room(a.length + 2);
            System.arraycopy(a, 0, b, len, a.length);
            len += a.length;
            b[len++] = '\r';
            b[len++] = '\n';
        }
    }
}
