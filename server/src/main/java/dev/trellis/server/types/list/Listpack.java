package dev.trellis.server.types.list;

import dev.trellis.server.resp.Reply;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A packed run of elements in a {@code byte[]}, with the entry layout of Redis's listpack so a
 * run costs the same bytes as Redis (which is what the size thresholds are measured in).
 *
 * <p>Each entry is an encoding byte (plus length or integer bytes), the payload, then a
 * "back length" that lets a reader step backwards. Strings that are canonical 64-bit integers
 * are stored as integers of the smallest width and read back as the same decimal text.
 *
 * <pre>
 * 0xxxxxxx                 integer 0..127
 * 10llllll                 string of up to 63 bytes
 * 110xxxxx xxxxxxxx        13-bit signed integer
 * 1110llll llllllll        string of up to 4095 bytes
 * 11110000 + 4 byte len    longer string
 * 0xF1 / 0xF2 / 0xF3 / 0xF4  16 / 24 / 32 / 64-bit signed integer (little endian)
 * </pre>
 *
 * <p>All methods are static and take the buffer plus the offset of an entry's first byte.
 */
public final class Listpack {
    /** Bytes Redis counts for a listpack's header (total bytes + count) and end marker. */
    public static final int OVERHEAD = 7;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int STR32 = 0xF0;
    private static final int INT16 = 0xF1;
    private static final int INT24 = 0xF2;
    private static final int INT32 = 0xF3;
    private static final int INT64 = 0xF4;

    private Listpack() {
    }

    // --- canonical integers --------------------------------------------------------------

    /**
     * True when {@code s} is the canonical decimal text of a 64-bit integer ("12", "-5", not
     * "012", "+1", "-0" or " 1"): such elements are stored as integers.
     */
    public static boolean isCanonicalLong(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return false;
        }
        int i = 0;
        if (s[0] == '-') {
            if (n == 1) {
                return false;
            }
            i = 1;
        }
        if (s[i] == '0') {
            return n == 1;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return s[0] == '-' || v != Long.MIN_VALUE;
    }

    /** The value of a string for which {@link #isCanonicalLong} is true. */
    public static long parseCanonical(byte[] s) {
        boolean neg = s[0] == '-';
        long v = 0;
        for (int i = neg ? 1 : 0; i < s.length; i++) {
            v = v * 10 - (s[i] - '0');
        }
        return neg ? v : -v;
    }

    // --- sizes ---------------------------------------------------------------------------

    /** Size of the encoding and payload of integer {@code v}. */
    public static int intEncodedSize(long v) {
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

    /** Size of the encoding and payload of a string of {@code len} bytes. */
    public static int stringEncodedSize(int len) {
        if (len < 64) {
            return 1 + len;
        } else if (len < 4096) {
            return 2 + len;
        }
        return 5 + len;
    }

    /** Bytes of the back length that follows an entry of {@code encodedSize} bytes. */
    public static int backlenSize(int encodedSize) {
        if (encodedSize < 128) {
            return 1;
        } else if (encodedSize < 16384) {
            return 2;
        } else if (encodedSize < 2097152) {
            return 3;
        } else if (encodedSize < 268435456) {
            return 4;
        }
        return 5;
    }

    /** Total bytes of the entry that stores {@code s}. */
    public static int entrySize(byte[] s) {
        int enc = isCanonicalLong(s) ? intEncodedSize(parseCanonical(s)) : stringEncodedSize(s.length);
        return enc + backlenSize(enc);
    }

    /** Total bytes of the entry that stores a (non-integer) string of {@code len} bytes. */
    public static int stringEntrySize(int len) {
        int enc = stringEncodedSize(len);
        return enc + backlenSize(enc);
    }

    /** Total bytes of the entry that stores integer {@code v}. */
    public static int entrySize(long v) {
        int enc = intEncodedSize(v);
        return enc + backlenSize(enc);
    }

    /** Size of the encoding and payload of the entry at {@code p}. */
    public static int encodedSize(byte[] b, int p) {
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
            case STR32 -> 5 + (int) INT.get(b, p + 1);
            case INT16 -> 3;
            case INT24 -> 4;
            case INT32 -> 5;
            case INT64 -> 9;
            default -> throw new IllegalStateException("corrupt packed entry " + h);
        };
    }

    /** Total bytes of the entry at {@code p}, back length included. */
    public static int entrySizeAt(byte[] b, int p) {
        int enc = encodedSize(b, p);
        return enc + backlenSize(enc);
    }

    /** Offset of the entry after the one at {@code p}. */
    public static int next(byte[] b, int p) {
        return p + entrySizeAt(b, p);
    }

    /** Offset of the entry that ends right before {@code end}. */
    public static int prev(byte[] b, int end) {
        int v = 0;
        int shift = 0;
        int q = end - 1;
        int n = 1;
        while (true) {
            int x = b[q] & 0xFF;
            v |= (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            q--;
            n++;
            shift += 7;
        }
        return end - n - v;
    }

    // --- reading -------------------------------------------------------------------------

    /** True when the entry at {@code p} holds an integer. */
    public static boolean isInt(byte[] b, int p) {
        int h = b[p] & 0xFF;
        return h < 0x80 || (h >= 0xC0 && h < 0xE0) || (h >= INT16 && h <= INT64);
    }

    /** The integer of an entry for which {@link #isInt} is true. */
    public static long intValue(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0x80) {
            return h;
        } else if (h < 0xE0) {
            int v = ((h & 0x1F) << 8) | (b[p + 1] & 0xFF);
            return (v << 19) >> 19;
        }
        return switch (h) {
            case INT16 -> (short) SHORT.get(b, p + 1);
            case INT24 -> (((b[p + 1] & 0xFF) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] << 16)));
            case INT32 -> (int) INT.get(b, p + 1);
            case INT64 -> (long) LONG.get(b, p + 1);
            default -> throw new IllegalStateException("not an integer entry");
        };
    }

    /** Offset of a string entry's payload. */
    public static int strOffset(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0xC0) {
            return p + 1;
        } else if (h < 0xF0) {
            return p + 2;
        }
        return p + 5;
    }

    /** Length of a string entry's payload. */
    public static int strLength(byte[] b, int p) {
        int h = b[p] & 0xFF;
        if (h < 0xC0) {
            return h & 0x3F;
        } else if (h < 0xF0) {
            return ((h & 0x0F) << 8) | (b[p + 1] & 0xFF);
        }
        return (int) INT.get(b, p + 1);
    }

    /** Length in bytes of the element's text (digits for integers). */
    public static int elementLength(byte[] b, int p) {
        if (isInt(b, p)) {
            return digits(intValue(b, p));
        }
        return strLength(b, p);
    }

    /** The element at {@code p} as a new byte array. */
    public static byte[] get(byte[] b, int p) {
        if (isInt(b, p)) {
            return Long.toString(intValue(b, p)).getBytes(StandardCharsets.US_ASCII);
        }
        int off = strOffset(b, p);
        return Arrays.copyOfRange(b, off, off + strLength(b, p));
    }

    /** Writes the element at {@code p} as a bulk string reply. */
    public static void reply(Reply r, byte[] b, int p) {
        if (isInt(b, p)) {
            r.bulk(intValue(b, p));
        } else {
            r.bulk(b, strOffset(b, p), strLength(b, p));
        }
    }

    /**
     * True when the entry at {@code p} equals element {@code s}; {@code sIsInt} and
     * {@code sVal} are {@code s}'s {@link #isCanonicalLong} test and value, computed once by
     * callers that compare against many entries.
     */
    public static boolean equals(byte[] b, int p, byte[] s, boolean sIsInt, long sVal) {
        if (isInt(b, p)) {
            return sIsInt && intValue(b, p) == sVal;
        }
        // a string entry can still hold digits when another writer produced the listpack
        int len = strLength(b, p);
        if (len != s.length) {
            return false;
        }
        int off = strOffset(b, p);
        return Arrays.equals(b, off, off + len, s, 0, len);
    }

    /** Convenience form of {@link #equals(byte[], int, byte[], boolean, long)}. */
    public static boolean equals(byte[] b, int p, byte[] s) {
        boolean isInt = isCanonicalLong(s);
        return equals(b, p, s, isInt, isInt ? parseCanonical(s) : 0);
    }

    // --- writing -------------------------------------------------------------------------

    /** Writes element {@code s} at {@code p}; returns the offset after it. */
    public static int write(byte[] b, int p, byte[] s) {
        if (isCanonicalLong(s)) {
            return writeInt(b, p, parseCanonical(s));
        }
        return writeString(b, p, s, 0, s.length);
    }

    /** Writes a string entry at {@code p}; returns the offset after it. */
    public static int writeString(byte[] b, int p, byte[] s, int off, int len) {
        int start = p;
        if (len < 64) {
            b[p++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            b[p++] = (byte) (0xE0 | (len >>> 8));
            b[p++] = (byte) len;
        } else {
            b[p++] = (byte) STR32;
            INT.set(b, p, len);
            p += 4;
        }
        System.arraycopy(s, off, b, p, len);
        p += len;
        return writeBacklen(b, p, p - start);
    }

    /** Writes an integer entry at {@code p}; returns the offset after it. */
    public static int writeInt(byte[] b, int p, long v) {
        int start = p;
        if (v >= 0 && v <= 127) {
            b[p++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            b[p++] = (byte) (0xC0 | ((v >>> 8) & 0x1F));
            b[p++] = (byte) v;
        } else if (v >= -32768 && v <= 32767) {
            b[p++] = (byte) INT16;
            SHORT.set(b, p, (short) v);
            p += 2;
        } else if (v >= -8388608 && v <= 8388607) {
            b[p++] = (byte) INT24;
            b[p++] = (byte) v;
            b[p++] = (byte) (v >>> 8);
            b[p++] = (byte) (v >>> 16);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            b[p++] = (byte) INT32;
            INT.set(b, p, (int) v);
            p += 4;
        } else {
            b[p++] = (byte) INT64;
            LONG.set(b, p, v);
            p += 8;
        }
        return writeBacklen(b, p, p - start);
    }

    private static int writeBacklen(byte[] b, int p, int encoded) {
        int n = backlenSize(encoded);
        for (int i = 0; i < n; i++) {
            int bits = (encoded >>> (7 * i)) & 0x7F;
            b[p + n - 1 - i] = (byte) (i < n - 1 ? bits | 0x80 : bits);
        }
        return p + n;
    }

    /** Number of characters of {@code v} in decimal. */
    public static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = 1;
        if (v < 0) {
            n++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
