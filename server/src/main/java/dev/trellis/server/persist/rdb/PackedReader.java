package dev.trellis.server.persist.rdb;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the compact encodings Redis embeds in RDB strings: listpack, ziplist, intset and the
 * ancient zipmap. Every offset is checked against the blob, so a corrupt blob fails with an
 * {@link RdbException} and never reads outside it. Integer entries come out as their decimal
 * digits, as Redis returns them.
 */
public final class PackedReader {
    private PackedReader() {
    }

    private static RdbException bad(String what) {
        return RdbException.corrupt(what + " integrity check failed.");
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    private static long le(byte[] b, int p, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return v;
    }

    private static byte[] digits(long v) {
        return RdbInput.digits(v);
    }

    // --- listpack ---------------------------------------------------------------------------

    /** Calls {@code each} for every element of a listpack; returns the element count. */
    public static int listpack(byte[] b, Consumer<byte[]> each) {
        if (b.length < 7) {
            throw bad("Listpack");
        }
        if (u32(b, 0) != b.length) {
            throw bad("Listpack");
        }
        int declared = u16(b, 4);
        int p = 6;
        int n = 0;
        while (true) {
            if (p >= b.length) {
                throw bad("Listpack");
            }
            int h = b[p] & 0xff;
            if (h == 0xff) {
                break;
            }
            int encLen;
            byte[] value;
            if (h < 0x80) {
                encLen = 1;
                value = digits(h);
            } else if (h < 0xc0) {
                int len = h & 0x3f;
                encLen = 1 + len;
                check(b, p, encLen);
                value = java.util.Arrays.copyOfRange(b, p + 1, p + 1 + len);
            } else if (h < 0xe0) {
                encLen = 2;
                check(b, p, 2);
                int v = ((h & 0x1f) << 8) | (b[p + 1] & 0xff);
                value = digits(v >= 4096 ? v - 8192 : v);
            } else if (h < 0xf0) {
                check(b, p, 2);
                int len = ((h & 0x0f) << 8) | (b[p + 1] & 0xff);
                encLen = 2 + len;
                check(b, p, encLen);
                value = java.util.Arrays.copyOfRange(b, p + 2, p + 2 + len);
            } else {
                switch (h) {
                    case 0xf0 -> {
                        check(b, p, 5);
                        long len = u32(b, p + 1);
                        if (len > b.length) {
                            throw bad("Listpack");
                        }
                        encLen = 5 + (int) len;
                        check(b, p, encLen);
                        value = java.util.Arrays.copyOfRange(b, p + 5, p + encLen);
                    }
                    case 0xf1 -> {
                        encLen = 3;
                        check(b, p, 3);
                        value = digits((short) le(b, p + 1, 2));
                    }
                    case 0xf2 -> {
                        encLen = 4;
                        check(b, p, 4);
                        value = digits((le(b, p + 1, 3) << 40) >> 40);
                    }
                    case 0xf3 -> {
                        encLen = 5;
                        check(b, p, 5);
                        value = digits((int) le(b, p + 1, 4));
                    }
                    case 0xf4 -> {
                        encLen = 9;
                        check(b, p, 9);
                        value = digits(le(b, p + 1, 8));
                    }
                    default -> throw bad("Listpack");
                }
            }
            int back = encLen <= 127 ? 1 : encLen < 16383 ? 2 : encLen < 2097151 ? 3 : encLen < 268435455 ? 4 : 5;
            check(b, p, encLen + back);
            p += encLen + back;
            n++;
            each.accept(value);
        }
        if (p != b.length - 1 || (declared != 65535 && declared != n)) {
            throw bad("Listpack");
        }
        return n;
    }

    private static void check(byte[] b, int p, long len) {
        if (len < 0 || p + len > b.length - 1) {
            throw bad("Listpack");
        }
    }

    // --- ziplist ----------------------------------------------------------------------------

    /** Calls {@code each} for every element of a ziplist; returns the element count. */
    public static int ziplist(byte[] b, Consumer<byte[]> each) {
        if (b.length < 11 || u32(b, 0) != b.length || u32(b, 4) >= b.length) {
            throw bad("Ziplist");
        }
        int declared = u16(b, 8);
        int p = 10;
        int n = 0;
        while (true) {
            if (p >= b.length) {
                throw bad("Ziplist");
            }
            if ((b[p] & 0xff) == 0xff) {
                break;
            }
            // prevlen
            if ((b[p] & 0xff) == 0xfe) {
                zcheck(b, p, 5);
                p += 5;
            } else {
                p += 1;
            }
            zcheck(b, p, 1);
            int e = b[p] & 0xff;
            byte[] value;
            switch (e >>> 6) {
                case 0 -> {
                    int len = e & 0x3f;
                    zcheck(b, p, 1 + len);
                    value = java.util.Arrays.copyOfRange(b, p + 1, p + 1 + len);
                    p += 1 + len;
                }
                case 1 -> {
                    zcheck(b, p, 2);
                    int len = ((e & 0x3f) << 8) | (b[p + 1] & 0xff);
                    zcheck(b, p, 2 + len);
                    value = java.util.Arrays.copyOfRange(b, p + 2, p + 2 + len);
                    p += 2 + len;
                }
                case 2 -> {
                    zcheck(b, p, 5);
                    long len = ((b[p + 1] & 0xffL) << 24) | ((b[p + 2] & 0xffL) << 16) | ((b[p + 3] & 0xffL) << 8) | (b[p + 4] & 0xffL);
                    if (len > b.length) {
                        throw bad("Ziplist");
                    }
                    zcheck(b, p, 5 + len);
                    value = java.util.Arrays.copyOfRange(b, p + 5, p + 5 + (int) len);
                    p += 5 + (int) len;
                }
                default -> {
                    long v;
                    int size;
                    switch (e) {
                        case 0xc0 -> { size = 2; zcheck(b, p, 3); v = (short) le(b, p + 1, 2); }
                        case 0xd0 -> { size = 4; zcheck(b, p, 5); v = (int) le(b, p + 1, 4); }
                        case 0xe0 -> { size = 8; zcheck(b, p, 9); v = le(b, p + 1, 8); }
                        case 0xf0 -> { size = 3; zcheck(b, p, 4); v = (le(b, p + 1, 3) << 40) >> 40; }
                        case 0xfe -> { size = 1; zcheck(b, p, 2); v = b[p + 1]; }
                        default -> {
                            if (e >= 0xf1 && e <= 0xfd) {
                                size = 0;
                                v = (e & 0x0f) - 1;
                            } else {
                                throw bad("Ziplist");
                            }
                        }
                    }
                    value = digits(v);
                    p += 1 + size;
                }
            }
            n++;
            each.accept(value);
        }
        if (p != b.length - 1 || (declared != 65535 && declared != n)) {
            throw bad("Ziplist");
        }
        return n;
    }

    private static void zcheck(byte[] b, int p, long len) {
        if (p + len > b.length - 1) {
            throw bad("Ziplist");
        }
    }

    // --- intset -----------------------------------------------------------------------------

    /** Calls {@code each} for every member of an intset (ascending, unique); returns the count. */
    public static int intset(byte[] b, Consumer<byte[]> each) {
        if (b.length < 8) {
            throw bad("Intset");
        }
        long enc = u32(b, 0);
        long len = u32(b, 4);
        if ((enc != 2 && enc != 4 && enc != 8) || len * enc + 8 != b.length || len == 0) {
            throw bad("Intset");
        }
        long prev = 0;
        for (int i = 0; i < len; i++) {
            int p = 8 + i * (int) enc;
            long v = enc == 2 ? (short) le(b, p, 2) : enc == 4 ? (int) le(b, p, 4) : le(b, p, 8);
            if (i > 0 && v <= prev) {
                throw bad("Intset");
            }
            prev = v;
            each.accept(digits(v));
        }
        return (int) len;
    }

    // --- zipmap -----------------------------------------------------------------------------

    /** Calls {@code each} for every field then value of a zipmap (Redis 2.x hashes). */
    public static int zipmap(byte[] b, Consumer<byte[]> each) {
        if (b.length < 2) {
            throw bad("Zipmap");
        }
        int p = 1;
        int n = 0;
        while (true) {
            if (p >= b.length) {
                throw bad("Zipmap");
            }
            if ((b[p] & 0xff) == 0xff) {
                break;
            }
            for (int k = 0; k < 2; k++) {
                if (p >= b.length) {
                    throw bad("Zipmap");
                }
                int first = b[p] & 0xff;
                long len;
                if (first < 254) {
                    len = first;
                    p += 1;
                } else if (first == 254) {
                    if (p + 5 > b.length) {
                        throw bad("Zipmap");
                    }
                    len = u32(b, p + 1);
                    p += 5;
                } else {
                    throw bad("Zipmap");
                }
                int free = 0;
                if (k == 1) {
                    if (p >= b.length) {
                        throw bad("Zipmap");
                    }
                    free = b[p] & 0xff;
                    p++;
                }
                if (p + len + free > b.length - 1) {
                    throw bad("Zipmap");
                }
                each.accept(java.util.Arrays.copyOfRange(b, p, p + (int) len));
                p += (int) len + free;
            }
            n++;
        }
        if (p != b.length - 1) {
            throw bad("Zipmap");
        }
        return n;
    }
}
