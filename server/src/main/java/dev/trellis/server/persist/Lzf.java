package dev.trellis.server.persist;

/**
 * LZF in liblzf's raw block format, the one Redis uses for compressed RDB strings: a stream of
 * literal runs (control byte 0-31, then 1-32 bytes) and back references (3 bits of length-2,
 * with an extra length byte when those are all ones, and a 13-bit distance-1).
 *
 * <p>Our own small codec rather than a library: the Java LZF libraries expose a chunked
 * container format of their own, and corrupt input must fail exactly (wrong output length,
 * references before the start, reading past the input) without ever touching memory outside
 * the given ranges, which a decoder written for trusted data does not promise.
 *
 * <p>An instance holds the compressor's hash table; it is not thread-safe.
 */
public final class Lzf {
    private static final int HLOG = 14;
    private static final int MAX_LIT = 32;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private final int[] table = new int[1 << HLOG];

    /**
     * Compresses {@code in[inOff, inOff+inLen)} into {@code out[outOff, outOff+outMax)}; returns
     * the compressed length, or 0 when it does not fit (the caller stores the data raw).
     *
     * <p>Literals are copied byte by byte as they are passed, into a run whose control byte is
     * reserved up front and filled in when the run ends: most strings in a dataset do not
     * compress, and this gives up on them as soon as the output is full, after one pass.
     */
    public int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outMax) {
        if (inLen == 0) {
            return 0;
        }
        int[] htab = table;
        int ip = inOff;
        int inEnd = inOff + inLen;
        int outEnd = outOff + outMax;
        if (outMax < 2) {
            return 0;
        }
        int ctrl = outOff; // the reserved control byte of the current literal run
        int op = outOff + 1;
        int lit = 0;
        while (ip + 2 < inEnd) {
            int v = ((in[ip] & 0xff) << 16) | ((in[ip + 1] & 0xff) << 8) | (in[ip + 2] & 0xff);
            int h = (v * 0x9E3779B1) >>> (32 - HLOG);
            int ref = htab[h] - 1;
            htab[h] = ip + 1;
            int dist = ip - ref;
            if (ref >= inOff && dist > 0 && dist <= MAX_OFF
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int max = Math.min(MAX_REF, inEnd - ip);
                int len = 3;
                while (len < max && in[ref + len] == in[ip + len]) {
                    len++;
                }
                // End the literal run (or take back its unused control byte), then the reference
                // and the next run's control byte.
                if (lit > 0) {
                    out[ctrl] = (byte) (lit - 1);
                } else {
                    op--;
                }
                int l = len - 2;
                int off = dist - 1;
                if (op + (l >= 7 ? 3 : 2) + 1 > outEnd) {
                    return 0;
                }
                if (l < 7) {
                    out[op++] = (byte) ((l << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (l - 7);
                }
                out[op++] = (byte) off;
                ctrl = op++;
                lit = 0;
                // Index a couple of positions inside the match so later data can refer to it.
                int end = ip + len;
                for (int p = ip + 1; p < end && p + 2 < inEnd && p < ip + 3; p++) {
                    int w = ((in[p] & 0xff) << 16) | ((in[p + 1] & 0xff) << 8) | (in[p + 2] & 0xff);
                    htab[(w * 0x9E3779B1) >>> (32 - HLOG)] = p + 1;
                }
                ip = end;
            } else {
                if (op >= outEnd) {
                    return 0;
                }
                out[op++] = in[ip++];
                if (++lit == MAX_LIT) {
                    out[ctrl] = (byte) (MAX_LIT - 1);
                    ctrl = op++;
                    lit = 0;
                }
            }
        }
        while (ip < inEnd) {
            if (op >= outEnd) {
                return 0;
            }
            out[op++] = in[ip++];
            if (++lit == MAX_LIT) {
                out[ctrl] = (byte) (MAX_LIT - 1);
                ctrl = op++;
                lit = 0;
            }
        }
        if (lit > 0) {
            out[ctrl] = (byte) (lit - 1);
        } else {
            op--;
        }
        return op > outEnd ? 0 : op - outOff;
    }

    /**
     * Decompresses {@code in[inOff, inOff+inLen)} into {@code out[outOff, outOff+outLen)}.
     * Returns the number of bytes produced, or -1 when the input is corrupt or does not fit.
     */
    public static int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = outOff;
        int outEnd = outOff + outLen;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outEnd || ip + run > inEnd) {
                    return -1;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= inEnd) {
                        return -1;
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= inEnd) {
                    return -1;
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (op + len > outEnd || ref < outOff) {
                    return -1;
                }
                if (op - ref >= len) {
                    System.arraycopy(out, ref, out, op, len);
                    op += len;
                } else {
                    for (int k = 0; k < len; k++) {
                        out[op++] = out[ref++];
                    }
                }
            }
        }
        return op - outOff;
    }
}
