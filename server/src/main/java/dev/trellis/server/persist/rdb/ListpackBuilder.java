package dev.trellis.server.persist.rdb;

import dev.trellis.server.types.list.Listpack;
import java.util.Arrays;

/** Builds a listpack blob (header, entries, end byte) to store compact values in RDB form. */
final class ListpackBuilder {
    private byte[] b = new byte[64];
    private int p = 6;
    private int count;

    private void room(int n) {
        if (p + n + 1 > b.length) {
            b = Arrays.copyOf(b, Math.max(p + n + 1, b.length * 2));
        }
    }

    ListpackBuilder add(byte[] s) {
        room(Listpack.entrySize(s));
        p = Listpack.write(b, p, s);
        count++;
        return this;
    }

    ListpackBuilder add(long v) {
        room(Listpack.entrySize(v));
        p = Listpack.writeInt(b, p, v);
        count++;
        return this;
    }

    /** Copies an already encoded entry ({@code len} bytes, back length included). */
    ListpackBuilder addRaw(byte[] src, int off, int len) {
        room(len);
        System.arraycopy(src, off, b, p, len);
        p += len;
        count++;
        return this;
    }

    /** Copies {@code count} already encoded entries filling {@code src[off, off+len)}. */
    ListpackBuilder addRawRun(byte[] src, int off, int len, int count) {
        room(len);
        System.arraycopy(src, off, b, p, len);
        p += len;
        this.count += count;
        return this;
    }

    int count() {
        return count;
    }

    /** Empties the builder for the next listpack (keeping its array). */
    ListpackBuilder reset() {
        p = 6;
        count = 0;
        if (b.length > 1 << 16) {
            b = new byte[64];
        }
        return this;
    }

    /** Appends a string entry of {@code s[off, off+len)}, known not to be integer text. */
    ListpackBuilder addString(byte[] s, int off, int len) {
        room(Listpack.stringEntrySize(len));
        p = Listpack.writeString(b, p, s, off, len);
        count++;
        return this;
    }

    /** Completes the header and end byte; returns the listpack's length, held in {@link #array()}. */
    int finish() {
        room(0);
        b[p] = (byte) 0xff;
        int total = p + 1;
        b[0] = (byte) total;
        b[1] = (byte) (total >>> 8);
        b[2] = (byte) (total >>> 16);
        b[3] = (byte) (total >>> 24);
        int n = Math.min(count, 65535);
        b[4] = (byte) n;
        b[5] = (byte) (n >>> 8);
        return total;
    }

    byte[] array() {
        return b;
    }

    byte[] build() {
        return Arrays.copyOf(b, finish());
    }
}
