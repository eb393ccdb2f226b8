package dev.trellis.server.types.stream;

import dev.trellis.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Element-level primitives of Redis's listpack byte format, which stream nodes are stored in
 * (so a node is byte-for-byte what Redis keeps and what RDB files carry). Sizes follow
 * listpack.c exactly, including its back-length thresholds (2 bytes below 16383, 3 below
 * 2097151, ...). Strings that are canonical 64-bit integers are stored as integers.
 *
 * <p>A listpack is a 6-byte header (total bytes, element count, little endian), the
 * elements, and an 0xFF end byte. Methods take the buffer and an element's offset.
 */
final class Lp {
    static final int HEADER = 6;
    static final int EOF = 0xFF;
    /** The element count Redis stores once it no longer fits 16 bits: "unknown". */
    static final int COUNT_UNKNOWN = 0xFFFF;

    private Lp() {
    }

    // --- header ---------------------------------------------------------------------------

    static int totalBytes(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    static void totalBytes(byte[] b, int v) {
        b[0] = (byte) v;
        b[1] = (byte) (v >>> 8);
        b[2] = (byte) (v >>> 16);
        b[3] = (byte) (v >>> 24);
    }

    static int numElements(byte[] b) {
        return (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
    }

    static void numElements(byte[] b, int v) {
        b[4] = (byte) v;
        b[5] = (byte) (v >>> 8);
    }

    // --- sizes ----------------------------------------------------------------------------

    /** lpStringToInt64: true when {@code s[off, off+len)} is a canonical 64-bit integer. */
    static boolean isInt(byte[] s, int off, int len) {
        if (len == 0 || len >= 21) {
            return false;
        }
        if (len == 1 && s[off] == '0') {
            return true;
        }
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (s[i] == '-') {
            neg = true;
            i++;
            if (i == end) {
                return false;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0; // accumulated negatively so Long.MIN_VALUE fits
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return neg || v != Long.MIN_VALUE;
    }

    /** The value of a string for which {@link #isInt} holds. */
    static long intOf(byte[] s, int off, int len) {
        boolean neg = s[off] == '-';
        long v = 0;
        for (int i = neg ? off + 1 : off; i < off + len; i++) {
            v = v * 10 - (s[i] - '0');
        }
        return neg ? v : -v;
    }

    static int intEncodedSize(long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        } else if (v >= -4096 && v <= 4095) {
            return 2;
        } else if (v >= -32768 && v <= 32767) {
            return 3;
        } else if (v >= -8388608 && v <= 8388607) {
            return 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 9;
    }

    static int stringEncodedSize(int len) {
        if (len < 64) {
            return 1 + len;
        } else if (len < 4096) {
            return 2 + len;
        }
        return 5 + len;
    }

    /** Bytes of the back length after an element of {@code l} encoded bytes (lpEncodeBacklen). */
    static int backlenSize(int l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    static int intEntrySize(long v) {
        int enc = intEncodedSize(v);
        return enc + backlenSize(enc);
    }

    /** Whole element size (encoding, payload, back length) for the bytes {@code s[off, off+len)}. */
    static int entrySize(byte[] s, int off, int len) {
        int enc = isInt(s, off, len) ? intEncodedSize(intOf(s, off, len)) : stringEncodedSize(len);
        return enc + backlenSize(enc);
    }

    static int entrySize(byte[] s) {
        return entrySize(s, 0, s.length);
    }

    /** Encoding plus payload bytes of the element at {@code p}. */
    static int encodedSize(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0x80) {
            return 1;
        } else if (h < 0xC0) {
            return 1 + (h & 0x3F);
        } else if (h < 0xE0) {
            return 2;
        } else if (h < 0xF0) {
            return 2 + (((h & 0x0F) << 8) | (b[p + 1] & 0xFF));
        }
        return switch (h) {
            case 0xF0 -> 5 + ((b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF) << 16 | (b[p + 4] & 0xFF) << 24);
            case 0xF1 -> 3;
            case 0xF2 -> 4;
            case 0xF3 -> 5;
            case 0xF4 -> 9;
            default -> throw new IllegalStateException("corrupt listpack element " + h);
        };
    }

    /** Offset of the element after the one at {@code p} (may be the end byte). */
    static int next(byte[] b, int p) {
        int enc = encodedSize(b, p);
        return p + enc + backlenSize(enc);
    }

    /** Offset of the element that ends right before {@code end}. */
    static int prev(byte[] b, int end) {
        long v = 0;
        int shift = 0;
        int q = end - 1;
        while (true) {
            int x = b[q] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            q--;
            shift += 7;
        }
        int enc = (int) v;
        return end - backlenSize(enc) - enc;
    }

    // --- reading --------------------------------------------------------------------------

    static boolean isIntAt(byte[] b, int p) {
        int h = b[p] & 0xFF;
        return h < 0x80 || (h >= 0xC0 && h < 0xE0) || (h >= 0xF1 && h <= 0xF4);
    }

    /**
     * The integer at {@code p} (lpGetInteger); a string element holding a decimal integer is
     * converted, as Redis does for listpacks that another writer produced.
     */
    static long intAt(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0x80) {
            return h;
        } else if (h >= 0xC0 && h < 0xE0) {
            int v = ((h & 0x1F) << 8) | (b[p + 1] & 0xFF);
            return (v << 19) >> 19;
        }
        return switch (h) {
            case 0xF1 -> (short) ((b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8);
            case 0xF2 -> (b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8 | b[p + 3] << 16;
            case 0xF3 -> (b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF) << 16 | b[p + 4] << 24;
            case 0xF4 -> {
                long v = 0;
                for (int i = 8; i >= 1; i--) {
                    v = v << 8 | (b[p + i] & 0xFF);
                }
                yield v;
            }
            default -> {
                int off = strOffset(b, p);
                int len = strLength(b, p);
                if (!isInt(b, off, len)) {
                    throw new IllegalStateException("listpack element is not an integer");
                }
                yield intOf(b, off, len);
            }
        };
    }

    static int strOffset(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0xC0) {
            return p + 1;
        } else if (h < 0xF0) {
            return p + 2;
        }
        return p + 5;
    }

    static int strLength(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0xC0) {
            return h & 0x3F;
        } else if (h < 0xF0) {
            return ((h & 0x0F) << 8) | (b[p + 1] & 0xFF);
        }
        return (b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF) << 16 | (b[p + 4] & 0xFF) << 24;
    }

    /** The element at {@code p} as bytes (integers as their decimal text). */
    static byte[] get(byte[] b, int p) {
        if (isIntAt(b, p)) {
            return Long.toString(intAt(b, p)).getBytes(StandardCharsets.US_ASCII);
        }
        int off = strOffset(b, p);
        return Arrays.copyOfRange(b, off, off + strLength(b, p));
    }

    /** Writes the element at {@code p} as a bulk string reply. */
    static void reply(Reply r, byte[] b, int p) {
        if (isIntAt(b, p)) {
            r.bulk(intAt(b, p));
        } else {
            r.bulk(b, strOffset(b, p), strLength(b, p));
        }
    }

    /** True when the element at {@code p} holds exactly the bytes {@code s}. */
    static boolean equalsAt(byte[] b, int p, byte[] s) {
        if (isIntAt(b, p)) {
            return isInt(s, 0, s.length) && intOf(s, 0, s.length) == intAt(b, p);
        }
        int len = strLength(b, p);
        int off = strOffset(b, p);
        return len == s.length && Arrays.equals(b, off, off + len, s, 0, len);
    }

    // --- writing --------------------------------------------------------------------------

    /** Writes the bytes {@code s[off, off+len)} as an element at {@code p}; returns the offset after it. */
    static int write(byte[] b, int p, byte[] s, int off, int len) {
        if (isInt(s, off, len)) {
            return writeInt(b, p, intOf(s, off, len));
        }
        int start = p;
        if (len < 64) {
            b[p++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            b[p++] = (byte) (0xE0 | (len >>> 8));
            b[p++] = (byte) len;
        } else {
            b[p++] = (byte) 0xF0;
            b[p++] = (byte) len;
            b[p++] = (byte) (len >>> 8);
            b[p++] = (byte) (len >>> 16);
            b[p++] = (byte) (len >>> 24);
        }
        System.arraycopy(s, off, b, p, len);
        p += len;
        return writeBacklen(b, p, p - start);
    }

    static int writeInt(byte[] b, int p, long v) {
        int start = p;
        if (v >= 0 && v <= 127) {
            b[p++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            b[p++] = (byte) (0xC0 | ((v >>> 8) & 0x1F));
            b[p++] = (byte) v;
        } else {
            int n;
            if (v >= -32768 && v <= 32767) {
                b[p++] = (byte) 0xF1;
                n = 2;
            } else if (v >= -8388608 && v <= 8388607) {
                b[p++] = (byte) 0xF2;
                n = 3;
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                b[p++] = (byte) 0xF3;
                n = 4;
            } else {
                b[p++] = (byte) 0xF4;
                n = 8;
            }
            for (int i = 0; i < n; i++) {
                b[p++] = (byte) (v >>> (8 * i));
            }
        }
        return writeBacklen(b, p, p - start);
    }

    private static int writeBacklen(byte[] b, int p, int l) {
        int n = backlenSize(l);
        for (int i = 0; i < n; i++) {
            int bits = (l >>> (7 * i)) & 0x7F;
            b[p + n - 1 - i] = (byte) (i < n - 1 ? bits | 0x80 : bits);
        }
        return p + n;
    }
}
