package dev.trellis.server.module.nativeabi;

/**
 * {@code RedisModuleString} in native memory ({@code TrellisString} in the shim's header):
 * <pre>
 *   0  char   *ptr       the bytes, NUL-terminated
 *   8  size_t  len
 *  16  int64   refcount  (RetainString/HoldString add one, FreeString drops one)
 *  24  size_t  cap       0 when the bytes follow the header, else ptr's own allocation size
 *  32  ...               inline bytes
 * </pre>
 * The bytes never move while the string lives, except through StringAppendBuffer, so the
 * pointer {@code StringPtrLen} returns stays valid as the API promises.
 */
public final class NativeStrings {
    static final long HEADER = 32;

    private NativeStrings() {
    }

    /** A new string (refcount 1) holding a copy of {@code b[off, off+len)}. */
    public static long create(byte[] b, int off, int len) {
        return init(Native.malloc(HEADER + len + 1), b, off, len);
    }

    /** Fills a block of at least {@code HEADER + len + 1} bytes as a new inline string (refcount 1). */
    static long init(long s, byte[] b, int off, int len) {
        Native.putLong(s, s + HEADER);
        Native.putLong(s + 8, len);
        Native.putLong(s + 16, 1);
        Native.putLong(s + 24, 0);
        Native.copy(b, off, s + HEADER, len);
        Native.putByte(s + HEADER + len, (byte) 0);
        return s;
    }

    public static long create(byte[] b) {
        return create(b, 0, b.length);
    }

    /** A new string copying {@code len} native bytes at {@code p}. */
    public static long createFrom(long p, long len) {
        long s = Native.malloc(HEADER + len + 1);
        Native.putLong(s, s + HEADER);
        Native.putLong(s + 8, len);
        Native.putLong(s + 16, 1);
        Native.putLong(s + 24, 0);
        if (len > 0) {
            Native.copy(p, s + HEADER, len);
        }
        Native.putByte(s + HEADER + len, (byte) 0);
        return s;
    }

    public static long ptr(long s) {
        return Native.getLong(s);
    }

    public static long len(long s) {
        return Native.getLong(s + 8);
    }

    /** True when the bytes follow the header (the string never grew by appending). */
    static boolean isInline(long s) {
        return Native.getLong(s + 24) == 0 && Native.getLong(s) == s + HEADER;
    }

    public static long refcount(long s) {
        return Native.getLong(s + 16);
    }

    /** A Java copy of the string's bytes. */
    public static byte[] bytes(long s) {
        return Native.bytes(Native.getLong(s), Native.getLong(s + 8));
    }

    public static void retain(long s) {
        Native.putLong(s + 16, Native.getLong(s + 16) + 1);
    }

    /** Drops one reference; frees the string when none is left. Returns true if freed. */
    public static boolean release(long s) {
        long rc = Native.getLong(s + 16) - 1;
        if (rc > 0) {
            Native.putLong(s + 16, rc);
            return false;
        }
        if (Native.getLong(s + 24) != 0) {
            Native.free(Native.getLong(s));
        }
        Native.putLong(s + 16, 0);
        Native.free(s);
        return true;
    }

    /** Appends bytes; the buffer moves to its own allocation when it must grow. */
    public static void append(long s, long src, long n) {
        long len = len(s);
        long cap = Native.getLong(s + 24);
        long ptr = ptr(s);
        long need = len + n + 1;
        if (cap == 0 || cap < need) {
            long newCap = Math.max(need, (len + n) * 2 + 1);
            long nb = Native.malloc(newCap);
            Native.copy(ptr, nb, len);
            if (cap != 0) {
                Native.free(ptr);
            }
            ptr = nb;
            Native.putLong(s, nb);
            Native.putLong(s + 24, newCap);
        }
        if (n > 0) {
            Native.copy(src, ptr + len, n);
        }
        Native.putLong(s + 8, len + n);
        Native.putByte(ptr + len + n, (byte) 0);
    }

    /** Shrinks a separately allocated buffer to its length (TrimStringAllocation). */
    public static void trim(long s) {
        long cap = Native.getLong(s + 24);
        long len = len(s);
        if (cap != 0 && cap > len + 1) {
            long nb = Native.realloc(ptr(s), len + 1);
            Native.putLong(s, nb);
            Native.putLong(s + 24, len + 1);
        }
    }

    /** Bytes of native memory the string uses (MallocSizeString). */
    public static long allocSize(long s) {
        long cap = Native.getLong(s + 24);
        return cap == 0 ? HEADER + len(s) + 1 : HEADER + cap;
    }

    /** Byte-wise comparison as memcmp then length (StringCompare). */
    public static int compare(long a, long b) {
        long la = len(a);
        long lb = len(b);
        long pa = ptr(a);
        long pb = ptr(b);
        long n = Math.min(la, lb);
        long mismatch = Native.MEM.asSlice(pa, n).mismatch(Native.MEM.asSlice(pb, n));
        if (mismatch >= 0) {
            int x = Native.getByte(pa + mismatch) & 0xff;
            int y = Native.getByte(pb + mismatch) & 0xff;
            return x < y ? -1 : 1;
        }
        return Long.compare(la, lb);
    }
}
