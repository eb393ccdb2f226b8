package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.Crc64;
import dev.trellis.server.persist.Lzf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes RDB primitives into a growable buffer, handing full chunks to a {@link Sink} (a file,
 * a background writer) or keeping everything in memory (DUMP). Strings are written as Redis
 * does: small integers in the integer encodings, longer strings LZF-compressed when that saves
 * at least four bytes and compression is on. The CRC64 of everything written is kept.
 */
public final class RdbOutput {
    /** Receives written bytes in order. */
    public interface Sink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    private static final int CHUNK = 1 << 16;

    private final Sink sink;
    private final boolean compression;
    private final Lzf lzf = new Lzf();
    private byte[] buf;
    private int pos;
    private long flushed;
    private long crc;
    private byte[] scratch = new byte[256];

    /** An in-memory output (DUMP payloads, tests). */
    public RdbOutput(boolean compression) {
        this(null, compression, 256);
    }

    public RdbOutput(Sink sink, boolean compression) {
        this(sink, compression, CHUNK + 1024);
    }

    private RdbOutput(Sink sink, boolean compression, int initial) {
        this.sink = sink;
        this.compression = compression;
        this.buf = new byte[initial];
    }

    /** Total bytes written so far. */
    public long size() {
        return flushed + pos;
    }

    /** Bytes waiting in the buffer (not yet handed to the sink). */
    public int buffered() {
        return pos;
    }

    /** The CRC64 of everything written so far. */
    public long checksum() {
        return Crc64.update(crc, buf, 0, pos);
    }

    /** The in-memory content (only for outputs without a sink). */
    public byte[] toByteArray() {
        return java.util.Arrays.copyOf(buf, pos);
    }

    private void room(int n) {
        if (pos + n <= buf.length) {
            return;
        }
        if (sink != null && pos > 0) {
            flush();
            if (n <= buf.length) {
                return;
            }
        }
        long want = Math.max((long) pos + n, (long) buf.length * 2);
        if (want > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("RDB output buffer too large");
        }
        buf = java.util.Arrays.copyOf(buf, (int) want);
    }

    /** Hands buffered bytes to the sink. */
    public void flush() {
        if (sink == null || pos == 0) {
            return;
        }
        crc = Crc64.update(crc, buf, 0, pos);
        try {
            sink.write(buf, 0, pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        flushed += pos;
        pos = 0;
    }

    /** Flushes when a chunk's worth is buffered (call between keys). */
    public void maybeFlush() {
        if (sink != null && pos >= CHUNK) {
            flush();
        }
    }

    public void writeByte(int b) {
        room(1);
        buf[pos++] = (byte) b;
    }

    public void writeRaw(byte[] b, int off, int len) {
        if (sink != null && len >= CHUNK) {
            flush();
            crc = Crc64.update(crc, b, off, len);
            try {
                sink.write(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            flushed += len;
            return;
        }
        room(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    public void writeRaw(byte[] b) {
        writeRaw(b, 0, b.length);
    }

    /** A length, or any 64-bit value read as unsigned (module type ids, module fields). */
    public void writeLen(long len) {
        room(9);
        if (len < 0) {
            buf[pos++] = (byte) 0x81;
            for (int k = 7; k >= 0; k--) {
                buf[pos++] = (byte) (len >>> (8 * k));
            }
        } else if (len < (1 << 6)) {
            buf[pos++] = (byte) len;
        } else if (len < (1 << 14)) {
            buf[pos++] = (byte) (0x40 | (len >>> 8));
            buf[pos++] = (byte) len;
        } else if (len <= 0xffffffffL) {
            buf[pos++] = (byte) 0x80;
            buf[pos++] = (byte) (len >>> 24);
            buf[pos++] = (byte) (len >>> 16);
            buf[pos++] = (byte) (len >>> 8);
            buf[pos++] = (byte) len;
        } else {
            buf[pos++] = (byte) 0x81;
            for (int k = 7; k >= 0; k--) {
                buf[pos++] = (byte) (len >>> (8 * k));
            }
        }
    }

    public void writeInt32LE(int v) {
        room(4);
        buf[pos++] = (byte) v;
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 24);
    }

    public void writeInt64LE(long v) {
        room(8);
        for (int k = 0; k < 8; k++) {
            buf[pos++] = (byte) (v >>> (8 * k));
        }
    }

    public void writeBinaryDouble(double d) {
        writeInt64LE(Double.doubleToRawLongBits(d));
    }

    public void writeBinaryFloat(float f) {
        writeInt32LE(Float.floatToRawIntBits(f));
    }

    /** The integer encodings of a value in the signed 32-bit range; false when out of range. */
    private boolean writeIntEncoded(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            room(2);
            buf[pos++] = (byte) (0xc0 | Rdb.ENC_INT8);
            buf[pos++] = (byte) v;
            return true;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            room(3);
            buf[pos++] = (byte) (0xc0 | Rdb.ENC_INT16);
            buf[pos++] = (byte) v;
            buf[pos++] = (byte) (v >>> 8);
            return true;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            room(5);
            buf[pos++] = (byte) (0xc0 | Rdb.ENC_INT32);
            writeInt32LE((int) v);
            return true;
        }
        return false;
    }

    /** A string, as Redis's rdbSaveRawString. */
    public void writeString(byte[] s) {
        writeString(s, 0, s.length);
    }

    public void writeString(byte[] s, int off, int len) {
        if (len <= 11 && len > 0) {
            long v = StrictLong.parse(s, off, len);
            if (v != StrictLong.INVALID && writeIntEncoded(v)) {
                return;
            }
        }
        if (compression && len > 20 && writeLzf(s, off, len)) {
            return;
        }
        writeLen(len);
        writeRaw(s, off, len);
    }

    public void writeString(String s) {
        writeString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A number as a string object (int encoding when it fits 32 bits, else its digits). */
    public void writeLongString(long v) {
        if (!writeIntEncoded(v)) {
            byte[] d = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            writeLen(d.length);
            writeRaw(d, 0, d.length);
        }
    }

    private ListpackBuilder listpack;
    private final byte[] textScratch = new byte[32];

    /** 32 bytes of scratch for a number's text (a codec's, for one value at a time). */
    byte[] textScratch() {
        return textScratch;
    }

    /** An empty listpack builder owned by this output (reused from value to value). */
    ListpackBuilder listpack() {
        if (listpack == null) {
            listpack = new ListpackBuilder();
        }
        return listpack.reset();
    }

    /** Writes a built listpack as a string, straight from the builder's array. */
    void writeListpack(ListpackBuilder lp) {
        int len = lp.finish();
        writeString(lp.array(), 0, len);
    }

    private boolean writeLzf(byte[] s, int off, int len) {
        int max = len - 4;
        if (scratch.length < max) {
            scratch = new byte[Math.max(max, Math.min(scratch.length * 2, 1 << 20))];
        }
        int clen = lzf.compress(s, off, len, scratch, 0, max);
        if (clen == 0) {
            return false;
        }
        writeByte(0xc0 | Rdb.ENC_LZF);
        writeLen(clen);
        writeLen(len);
        writeRaw(scratch, 0, clen);
        if (scratch.length > (1 << 20)) {
            scratch = new byte[256];
        }
        return true;
    }
}
