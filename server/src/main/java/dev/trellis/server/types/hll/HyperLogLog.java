package dev.trellis.server.types.hll;

import java.util.Arrays;

/**
 * A HyperLogLog held in a string value, byte for byte in Redis's format, so GET, DUMP and
 * replication move it between Trellis and Redis. The 16-byte header is "HYLL", the encoding
 * (0 dense, 1 sparse), three zero bytes and the cached cardinality (little endian, top bit
 * set when stale). Dense: 16384 registers of 6 bits packed from the least significant bit.
 * Sparse: run-length opcodes ZERO (00xxxxxx, 1-64 zero registers), XZERO (01xxxxxx xxxxxxxx,
 * 1-16384 zero registers) and VAL (1vvvvvxx, 1-4 registers of value 1-32), promoted to dense
 * when a value exceeds 32 or the string would pass hll-sparse-max-bytes.
 *
 * <p>An instance edits one value: dense updates happen in place (a key owns its array),
 * sparse edits work in a buffer; {@link #bytes()} returns the array to store afterwards.
 */
public final class HyperLogLog {
    public static final int P = 14;
    public static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    private static final int P_MASK = REGISTERS - 1;
    public static final int BITS = 6;
    public static final int REGISTER_MAX = (1 << BITS) - 1;
    public static final int HDR_SIZE = 16;
    public static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;
    private static final long SEED = 0xadc83b19L;

    private byte[] buf;
    private int len;

    private HyperLogLog(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** Wraps an existing value (checked with {@link #isValid}); dense ones are edited in place. */
    public static HyperLogLog of(byte[] value) {
        return new HyperLogLog(value, value.length);
    }

    /** A new empty HyperLogLog: sparse, all registers in XZERO runs, cached cardinality 0. */
    public static HyperLogLog createSparse() {
        int n = HDR_SIZE + ((REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
        byte[] b = new byte[n];
        header(b, SPARSE);
        int p = HDR_SIZE;
        for (int left = REGISTERS; left > 0; ) {
            int x = Math.min(SPARSE_XZERO_MAX_LEN, left);
            setXZero(b, p, x);
            p += 2;
            left -= x;
        }
        return new HyperLogLog(b, n);
    }

    private static void header(byte[] b, int encoding) {
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = (byte) encoding;
    }

    /** Redis's isHLLObjectOrReply test on a string value. */
    public static boolean isValid(byte[] v) {
        if (v.length < HDR_SIZE || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') {
            return false;
        }
        int enc = v[4] & 0xff;
        if (enc > SPARSE) {
            return false;
        }
        return enc != DENSE || v.length == DENSE_SIZE;
    }

    /** The value to store: the same array when edited in place, else a trimmed copy. */
    public byte[] bytes() {
        if (len != buf.length) {
            buf = Arrays.copyOf(buf, len);
        }
        return buf;
    }

    public int encoding() {
        return buf[4];
    }

    // ------------------------------------------------------------------ cardinality cache

    public boolean cacheValid() {
        return (buf[15] & 0x80) == 0;
    }

    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    public long cachedCardinality() {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (buf[8 + i] & 0xff);
        }
        return card;
    }

    public void cacheCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            buf[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ------------------------------------------------------------------ hashing

    /** MurmurHash2, 64-bit version, as Redis uses it (endian neutral). */
    public static long murmurHash64A(byte[] data, int off, int len, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = seed ^ (len * m);
        int end = off + (len - (len & 7));
        int i = off;
        for (; i != end; i += 8) {
            long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        switch (len & 7) {
            case 7:
                h ^= (data[i + 6] & 0xffL) << 48;
            case 6:
                h ^= (data[i + 5] & 0xffL) << 40;
            case 5:
                h ^= (data[i + 4] & 0xffL) << 32;
            case 4:
                h ^= (data[i + 3] & 0xffL) << 24;
            case 3:
                h ^= (data[i + 2] & 0xffL) << 16;
            case 2:
                h ^= (data[i + 1] & 0xffL) << 8;
            case 1:
                h ^= data[i] & 0xffL;
                h *= m;
            default:
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /**
     * The register an element maps to (low 14 bits of its hash) and the length of the
     * "000..1" pattern in the rest, packed as {@code index << 8 | count}.
     */
    static int patLen(byte[] ele, int off, int len) {
        long hash = murmurHash64A(ele, off, len, SEED);
        int index = (int) (hash & P_MASK);
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index << 8 | count;
    }

    // ------------------------------------------------------------------ dense registers

    static int denseGet(byte[] b, int regnum) {
        int base = HDR_SIZE;
        int bytePos = regnum * BITS / 8;
        int fb = regnum * BITS & 7;
        int fb8 = 8 - fb;
        int b0 = b[base + bytePos] & 0xff;
        int b1 = base + bytePos + 1 < b.length ? b[base + bytePos + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << fb8)) & REGISTER_MAX;
    }

    static void denseSet(byte[] b, int regnum, int val) {
        int base = HDR_SIZE;
        int bytePos = regnum * BITS / 8;
        int fb = regnum * BITS & 7;
        int fb8 = 8 - fb;
        int i = base + bytePos;
        b[i] = (byte) ((b[i] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (i + 1 < b.length) {
            b[i + 1] = (byte) ((b[i + 1] & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8));
        }
    }

    private boolean denseSetIfGreater(int index, int count) {
        if (count > denseGet(buf, index)) {
            denseSet(buf, index, count);
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ sparse opcodes

    private static boolean isZero(byte[] b, int p) {
        return (b[p] & 0xc0) == 0;
    }

    private static boolean isXZero(byte[] b, int p) {
        return (b[p] & 0xc0) == 0x40;
    }

    private static boolean isVal(byte[] b, int p) {
        return (b[p] & 0x80) != 0;
    }

    private static int zeroLen(byte[] b, int p) {
        return (b[p] & 0x3f) + 1;
    }

    private static int xzeroLen(byte[] b, int p) {
        return (((b[p] & 0x3f) << 8) | (b[p + 1] & 0xff)) + 1;
    }

    private static int valValue(byte[] b, int p) {
        return ((b[p] >> 2) & 0x1f) + 1;
    }

    private static int valLen(byte[] b, int p) {
        return (b[p] & 0x3) + 1;
    }

    private static void setVal(byte[] b, int p, int val, int len) {
        b[p] = (byte) (((val - 1) << 2 | (len - 1)) | 0x80);
    }

    private static void setZero(byte[] b, int p, int len) {
        b[p] = (byte) (len - 1);
    }

    private static void setXZero(byte[] b, int p, int len) {
        int l = len - 1;
        b[p] = (byte) ((l >> 8) | 0x40);
        b[p + 1] = (byte) (l & 0xff);
    }

    /** Converts to dense in place of this instance; false when the sparse data is corrupt. */
    public boolean toDense() {
        if (buf[4] == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(buf, 0, dense, 0, HDR_SIZE);
        dense[4] = DENSE;
        int idx = 0;
        int p = HDR_SIZE;
        while (p < len) {
            if (isZero(buf, p)) {
                idx += zeroLen(buf, p);
                p++;
            } else if (isXZero(buf, p)) {
                idx += xzeroLen(buf, p);
                p += 2;
            } else {
                int runlen = valLen(buf, p);
                int regval = valValue(buf, p);
                if (runlen + idx > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    denseSet(dense, idx, regval);
                    idx++;
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    private void ensureRoom(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + extra, len + Math.min(len, 300)));
        }
    }

    /**
     * Redis's hllSparseSet: raises register {@code index} to {@code count} if lower, splitting
     * and merging opcodes exactly as Redis does, or promoting to dense. Returns 1 when a
     * register changed, 0 when not, -1 for a corrupt value.
     */
    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promote(index, count);
        }
        ensureRoom(3);
        byte[] b = buf;
        int sparse = HDR_SIZE;
        int p = sparse;
        int end = len;
        long first = 0;
        int prev = -1;
        long span = 0;
        while (p < end) {
            int oplen = 1;
            if (isZero(b, p)) {
                span = zeroLen(b, p);
            } else if (isVal(b, p)) {
                span = valLen(b, p);
            } else {
                span = xzeroLen(b, p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int next = isXZero(b, p) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = false;
        boolean xzero = false;
        boolean val = false;
        int runlen;
        if (isZero(b, p)) {
            zero = true;
            runlen = zeroLen(b, p);
        } else if (isXZero(b, p)) {
            xzero = true;
            runlen = xzeroLen(b, p);
        } else {
            val = true;
            runlen = valLen(b, p);
        }
        boolean simple = false;
        if (val) {
            int oldcount = valValue(b, p);
            if (oldcount >= count) {
                return 0;
            }
            if (runlen == 1) {
                setVal(b, p, count, 1);
                simple = true;
            }
        }
        if (!simple && zero && runlen == 1) {
            setVal(b, p, count, 1);
            simple = true;
        }
        if (!simple) {
            byte[] seq = new byte[5];
            int n = 0;
            long last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    int l = (int) (index - first);
                    if (l > SPARSE_ZERO_MAX_LEN) {
                        setXZero(seq, n, l);
                        n += 2;
                    } else {
                        setZero(seq, n, l);
                        n++;
                    }
                }
                setVal(seq, n, count, 1);
                n++;
                if (index != last) {
                    int l = (int) (last - index);
                    if (l > SPARSE_ZERO_MAX_LEN) {
                        setXZero(seq, n, l);
                        n += 2;
                    } else {
                        setZero(seq, n, l);
                        n++;
                    }
                }
            } else {
                int curval = valValue(b, p);
                if (index != first) {
                    setVal(seq, n, curval, (int) (index - first));
                    n++;
                }
                setVal(seq, n, count, 1);
                n++;
                if (index != last) {
                    setVal(seq, n, curval, (int) (last - index));
                    n++;
                }
            }
            int oldlen = xzero ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && (long) len + delta > sparseMaxBytes) {
                return promote(index, count);
            }
            if (delta != 0 && next >= 0) {
                System.arraycopy(b, next, b, next + delta, end - next);
            }
            len += delta;
            System.arraycopy(seq, 0, b, p, n);
            end += delta;
        }
        // Merge adjacent VAL opcodes with the same value where the length allows.
        p = prev >= 0 ? prev : sparse;
        int scanlen = 5;
        while (p < end && scanlen-- > 0) {
            if (isXZero(b, p)) {
                p += 2;
                continue;
            } else if (isZero(b, p)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b, p + 1)) {
                int v1 = valValue(b, p);
                int v2 = valValue(b, p + 1);
                if (v1 == v2) {
                    int l = valLen(b, p) + valLen(b, p + 1);
                    if (l <= SPARSE_VAL_MAX_LEN) {
                        setVal(b, p + 1, v1, l);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promote(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        denseSetIfGreater(index, count);
        return 1;
    }

    /** PFADD of one element: 1 when a register changed, 0 when not, -1 for a corrupt value. */
    public int add(byte[] ele, long sparseMaxBytes) {
        int pl = patLen(ele, 0, ele.length);
        return set(pl >>> 8, pl & 0xff, sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count}; as {@link #add}. */
    public int set(int index, int count, long sparseMaxBytes) {
        return switch (buf[4]) {
            case DENSE -> denseSetIfGreater(index, count) ? 1 : 0;
            case SPARSE -> sparseSet(index, count, sparseMaxBytes);
            default -> -1;
        };
    }

    /**
     * Raises each of {@code max} (one byte per register) to this value's registers; false when
     * the sparse data is corrupt.
     */
    public boolean mergeInto(byte[] max) {
        if (buf[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(buf, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int i = 0;
        int p = HDR_SIZE;
        while (p < len) {
            if (isZero(buf, p)) {
                i += zeroLen(buf, p);
                p++;
            } else if (isXZero(buf, p)) {
                i += xzeroLen(buf, p);
                p += 2;
            } else {
                int runlen = valLen(buf, p);
                int regval = valValue(buf, p);
                if (runlen + i > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    if (regval > max[i]) {
                        max[i] = (byte) regval;
                    }
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /** The register histogram; sets {@code invalid[0]} when the sparse data is corrupt. */
    private int[] histogram(boolean[] invalid) {
        int[] h = new int[64];
        if (buf[4] == DENSE) {
            for (int j = 0; j < REGISTERS; j++) {
                h[denseGet(buf, j)]++;
            }
            return h;
        }
        int idx = 0;
        int p = HDR_SIZE;
        while (p < len) {
            if (isZero(buf, p)) {
                int r = zeroLen(buf, p);
                idx += r;
                h[0] += r;
                p++;
            } else if (isXZero(buf, p)) {
                int r = xzeroLen(buf, p);
                idx += r;
                h[0] += r;
                p += 2;
            } else {
                int r = valLen(buf, p);
                idx += r;
                h[valValue(buf, p)] += r;
                p++;
            }
        }
        if (idx != REGISTERS && invalid != null) {
            invalid[0] = true;
        }
        return h;
    }

    /** The estimated cardinality (Ertl's estimator, as Redis's hllCount). */
    public long count(boolean[] invalid) {
        return estimate(histogram(invalid));
    }

    /** The estimated cardinality of raw registers (one byte each), for multi-key PFCOUNT. */
    public static long countRaw(byte[] registers) {
        int[] h = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            h[registers[i] & 63]++;
        }
        return estimate(h);
    }

    private static long estimate(int[] reghisto) {
        double m = REGISTERS;
        double z = m * tau((m - reghisto[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += reghisto[j];
            z *= 0.5;
        }
        z += m * sigma(reghisto[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    /** Register values in order (PFDEBUG GETREG); the value must be dense. */
    public int register(int i) {
        return denseGet(buf, i);
    }

    /** The sparse opcodes as "z:len", "Z:len", "v:value,len" words (PFDEBUG DECODE). */
    public String decodeSparse() {
        StringBuilder sb = new StringBuilder();
        int p = HDR_SIZE;
        while (p < len) {
            if (isZero(buf, p)) {
                sb.append("z:").append(zeroLen(buf, p)).append(' ');
                p++;
            } else if (isXZero(buf, p)) {
                sb.append("Z:").append(xzeroLen(buf, p)).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(valValue(buf, p)).append(',').append(valLen(buf, p)).append(' ');
                p++;
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }

    /** A dense HyperLogLog of all zero registers (for the self test). */
    static byte[] emptyDense() {
        byte[] b = new byte[DENSE_SIZE];
        header(b, DENSE);
        return b;
    }
}
