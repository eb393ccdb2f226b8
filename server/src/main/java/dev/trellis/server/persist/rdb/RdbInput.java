package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.Crc64;
import dev.trellis.server.persist.Lzf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads RDB primitives (lengths, encoded strings, times, doubles) from a byte array (DUMP
 * payloads) or a file, checksumming what it consumes. Every announced length is checked
 * against what is left of the input before anything is allocated for it, so a corrupt or
 * hostile length fails fast instead of allocating without bound.
 */
public final class RdbInput {
    private static final int BUFFER = 1 << 16;

    private final FileChannel channel;
    private byte[] buf;
    private int pos;
    private int end;
    /** Offset in the source of buf[0]. */
    private long bufStart;
    /** Offset in the source where the input ends. */
    private final long limit;
    /** The CRC covers source bytes up to buf[crcFrom] (exclusive). */
    private long crc;
    private int crcFrom;
    private final long origin;

    private RdbInput(FileChannel channel, byte[] buf, int pos, int end, long bufStart, long limit) {
        this.channel = channel;
        this.buf = buf;
        this.pos = pos;
        this.end = end;
        this.bufStart = bufStart;
        this.limit = limit;
        this.crcFrom = pos;
        this.origin = bufStart + pos;
    }

    /** Input over {@code b[off, off+len)}; positions count from {@code off}. */
    public static RdbInput of(byte[] b, int off, int len) {
        return new RdbInput(null, b, off, off + len, -(long) off, len);
    }

    public static RdbInput of(byte[] b) {
        return of(b, 0, b.length);
    }

    /** Input over a file channel from {@code start} (its current position is ignored) to {@code start+size}. */
    public static RdbInput of(FileChannel ch, long start, long size) {
        return new RdbInput(ch, new byte[BUFFER], 0, 0, start, start + size);
    }

    /** Bytes consumed from the start of this input's source (a file offset for files). */
    public long position() {
        return bufStart + pos;
    }

    /** Bytes consumed since this input was created. */
    public long consumed() {
        return position() - origin;
    }

    public long remaining() {
        return limit - position();
    }

    /** The CRC64 of everything consumed so far. */
    public long checksum() {
        return Crc64.update(crc, buf, crcFrom, pos - crcFrom);
    }

    private void ensure(int n) {
        if (end - pos >= n) {
            return;
        }
        if (channel == null || remaining() < n) {
            throw RdbException.shortRead();
        }
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        int live = end - pos;
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, pos, bigger, 0, live);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, live);
        }
        bufStart += pos;
        pos = 0;
        crcFrom = 0;
        end = live;
        try {
            while (end - pos < n) {
                long want = Math.min(buf.length - end, limit - (bufStart + end));
                if (want <= 0) {
                    throw RdbException.shortRead();
                }
                int r = channel.read(ByteBuffer.wrap(buf, end, (int) want), bufStart + end);
                if (r < 0) {
                    throw RdbException.shortRead();
                }
                end += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int readByte() {
        ensure(1);
        return buf[pos++] & 0xff;
    }

    /** Reads exactly {@code len} bytes into {@code dst}. */
    public void readFully(byte[] dst, int off, int len) {
        if (len > remaining()) {
            throw RdbException.shortRead();
        }
        int have = Math.min(end - pos, len);
        System.arraycopy(buf, pos, dst, off, have);
        pos += have;
        if (have == len) {
            return;
        }
        // Large reads go straight from the file into the destination.
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        bufStart += end;
        pos = end = crcFrom = 0;
        int at = off + have;
        int left = len - have;
        try {
            while (left > 0) {
                int r = channel.read(ByteBuffer.wrap(dst, at, left), bufStart);
                if (r < 0) {
                    throw RdbException.shortRead();
                }
                crc = Crc64.update(crc, dst, at, r);
                bufStart += r;
                at += r;
                left -= r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh array of {@code len} bytes from the input (length checked against the input first). */
    public byte[] readBytes(long len) {
        if (len < 0 || len > remaining()) {
            throw RdbException.shortRead();
        }
        if (len > Integer.MAX_VALUE - 16) {
            throw RdbException.corrupt("Value too large for this server");
        }
        byte[] b = new byte[(int) len];
        readFully(b, 0, b.length);
        return b;
    }

    public void skip(long n) {
        if (n < 0 || n > remaining()) {
            throw RdbException.shortRead();
        }
        while (n > 0) {
            int step = (int) Math.min(n, BUFFER);
            ensure(step);
            pos += step;
            n -= step;
        }
    }

    // --- lengths --------------------------------------------------------------------------

    private boolean lastEncoded;

    /**
     * A length (6, 14, 32 or 64 bits). For the "encoded value" form it returns the 6-bit
     * encoding type and {@link #wasEncoded()} tells so, as Redis's rdbLoadLen does.
     * A 64-bit length beyond the signed range reads as {@link Long#MAX_VALUE} (which no input
     * can satisfy, so it fails as the absurd length it is).
     */
    public long readLen() {
        long v = readLenRaw();
        return v < 0 && !lastEncoded ? Long.MAX_VALUE : v;
    }

    /**
     * A length with all 64 bits as stored: module type ids and the numbers module types save
     * (SaveUnsigned/SaveSigned) use the full unsigned range.
     */
    public long readLenRaw() {
        int b = readByte();
        lastEncoded = false;
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((b & 0x3f) << 8) | readByte();
            case 3:
                lastEncoded = true;
                return b & 0x3f;
            default:
                if (b == 0x80) {
                    ensure(4);
                    long v = ((buf[pos] & 0xffL) << 24) | ((buf[pos + 1] & 0xffL) << 16) | ((buf[pos + 2] & 0xffL) << 8) | (buf[pos + 3] & 0xffL);
                    pos += 4;
                    return v;
                }
                if (b == 0x81) {
                    ensure(8);
                    long v = 0;
                    for (int k = 0; k < 8; k++) {
                        v = (v << 8) | (buf[pos + k] & 0xffL);
                    }
                    pos += 8;
                    return v;
                }
                throw RdbException.corrupt("Unknown length encoding " + (b >>> 6) + " in rdbLoadLen()");
        }
    }

    /** A length read as an unsigned 64-bit value (stream IDs use the whole range). */
    public long readLenUnsigned() {
        int b = readByte();
        if (b == 0x81) {
            ensure(8);
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (buf[pos + k] & 0xffL);
            }
            pos += 8;
            return v;
        }
        pos--;
        return readLen();
    }

    public boolean wasEncoded() {
        return lastEncoded;
    }

    /** A length used as a count of following items: also capped by the bytes left (each item takes at least one). */
    public long readCount() {
        long n = readLen();
        if (n > remaining()) {
            throw RdbException.shortRead();
        }
        return n;
    }

    // --- strings --------------------------------------------------------------------------

    /** An RDB string: raw, integer-encoded (returned as its decimal digits) or LZF-compressed. */
    public byte[] readString() {
        long len = readLen();
        if (!lastEncoded) {
            return readBytes(len);
        }
        return switch ((int) len) {
            case Rdb.ENC_INT8 -> digits((byte) readByte());
            case Rdb.ENC_INT16 -> {
                int lo = readByte();
                yield digits((short) (lo | (readByte() << 8)));
            }
            case Rdb.ENC_INT32 -> digits(readInt32LE());
            case Rdb.ENC_LZF -> readLzf();
            default -> throw RdbException.corrupt("Unknown RDB string encoding type " + len);
        };
    }

    public String readStringUtf8() {
        return new String(readString(), StandardCharsets.UTF_8);
    }

    /** The decimal text of {@code v}, written straight into its array (no String on the way). */
    static byte[] digits(long v) {
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        boolean neg = v < 0;
        long u = neg ? -v : v;
        int n = neg ? 2 : 1;
        for (long x = u; x >= 10; x /= 10) {
            n++;
        }
        byte[] out = new byte[n];
        int p = n;
        do {
            out[--p] = (byte) ('0' + u % 10);
            u /= 10;
        } while (u != 0);
        if (neg) {
            out[0] = '-';
        }
        return out;
    }

    private byte[] readLzf() {
        long clen = readLen();
        long len = readLen();
        if (clen > remaining()) {
            throw RdbException.shortRead();
        }
        // A back reference of 3 bytes yields at most 264 bytes: anything claiming more is corrupt.
        if (len > clen * 90 + 64 || len > Integer.MAX_VALUE - 16) {
            throw RdbException.corrupt("Invalid LZF compressed string");
        }
        byte[] out = new byte[(int) len];
        int got;
        if (clen <= BUFFER) {
            // Straight from the read buffer: no copy of the compressed bytes.
            ensure((int) clen);
            got = Lzf.decompress(buf, pos, (int) clen, out, 0, out.length);
            pos += (int) clen;
        } else {
            byte[] c = readBytes(clen);
            got = Lzf.decompress(c, 0, c.length, out, 0, out.length);
        }
        if (got != len) {
            throw RdbException.corrupt("Invalid LZF compressed string");
        }
        return out;
    }

    // --- numbers --------------------------------------------------------------------------

    public int readInt32LE() {
        ensure(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    public long readInt64LE() {
        ensure(8);
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (buf[pos + k] & 0xffL);
        }
        pos += 8;
        return v;
    }

    /** A double as 8 little-endian IEEE bytes (RDB_TYPE_ZSET_2, module doubles). */
    public double readBinaryDouble() {
        return Double.longBitsToDouble(readInt64LE());
    }

    public float readBinaryFloat() {
        return Float.intBitsToFloat(readInt32LE());
    }

    /** A double in the old text form: a length byte (253 NaN, 254 +inf, 255 -inf) then the digits. */
    public double readDoubleString() {
        int len = readByte();
        switch (len) {
            case 255:
                return Double.NEGATIVE_INFINITY;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 253:
                return Double.NaN;
            default:
                String s = new String(readBytes(len), StandardCharsets.US_ASCII).trim();
                try {
                    String l = s.toLowerCase(java.util.Locale.ROOT);
                    if (l.equals("inf") || l.equals("+inf") || l.equals("infinity")) {
                        return Double.POSITIVE_INFINITY;
                    }
                    if (l.equals("-inf") || l.equals("-infinity")) {
                        return Double.NEGATIVE_INFINITY;
                    }
                    if (l.equals("nan")) {
                        return Double.NaN;
                    }
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw RdbException.corrupt("Bad double value");
                }
        }
    }
}
