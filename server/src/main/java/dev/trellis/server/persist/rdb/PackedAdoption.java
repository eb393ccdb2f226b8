package dev.trellis.server.persist.rdb;

import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.PackedEntries;
import java.util.Arrays;

/**
 * Checks that let a listpack read from a file become a value's storage as it is (no decoding
 * and re-encoding of every element): the blob must be well formed, and its entries exactly what
 * our own writes would have stored (integers as integers, within the encoding limits, no
 * duplicate keys). Anything else goes through the element-wise readers, which convert the
 * encoding or report the exact error.
 */
final class PackedAdoption {
    private PackedAdoption() {
    }

    /** The entries of a whole listpack (header, entries, terminator), kept in {@code lp}; null when malformed. */
    static PackedEntries entries(byte[] lp) {
        int len = lp.length;
        if (len < 7 || (lp[len - 1] & 0xff) != 0xff) {
            return null;
        }
        long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
        if (total != len) {
            return null;
        }
        int declared = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        PackedEntries e = PackedEntries.parseInPlace(lp, 6, len - 1);
        if (e == null || (declared != 0xffff && declared != e.count())) {
            return null;
        }
        return e;
    }

    /**
     * True when every entry is stored as we store it and fits a listpack of the type: string
     * entries are not integer text (those are kept as integers), and no element is longer than
     * {@code maxLen} bytes (integers counted by their digits). With {@code needString}, at least
     * one entry must be a string (an all-integer set is an intset).
     */
    static boolean canonical(PackedEntries e, long maxLen, boolean needString) {
        byte[] b = e.buffer();
        boolean sawString = false;
        for (int p = e.first(); p >= 0; p = e.next(p)) {
            if (Listpack.isInt(b, p)) {
                if (maxLen < 20 && Listpack.digits(Listpack.intValue(b, p)) > maxLen) {
                    return false;
                }
            } else {
                int len = Listpack.strLength(b, p);
                if (len > maxLen || isIntegerText(b, Listpack.strOffset(b, p), len)) {
                    return false;
                }
                sawString = true;
            }
        }
        return sawString || !needString;
    }

    /** True when no two of the entries 0, stride, 2*stride... (fields, members) are equal. */
    static boolean distinct(PackedEntries e, int stride) {
        int n = (e.count() + stride - 1) / stride;
        if (n < 2) {
            return true;
        }
        byte[] b = e.buffer();
        int[] at = new int[n];
        int[] hash = new int[n];
        int i = 0;
        for (int p = e.first(); p >= 0; ) {
            at[i] = p;
            hash[i++] = hashOf(b, p);
            for (int k = 0; k < stride && p >= 0; k++) {
                p = e.next(p);
            }
        }
        for (int x = 1; x < n; x++) {
            for (int y = 0; y < x; y++) {
                if (hash[x] == hash[y] && sameEntry(b, at[x], at[y])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int hashOf(byte[] b, int p) {
        if (Listpack.isInt(b, p)) {
            return Long.hashCode(Listpack.intValue(b, p));
        }
        int off = Listpack.strOffset(b, p);
        int len = Listpack.strLength(b, p);
        int h = len;
        for (int k = off; k < off + len; k++) {
            h = 31 * h + b[k];
        }
        return h;
    }

    /** Equal elements, given that string entries never hold integer text. */
    private static boolean sameEntry(byte[] b, int p, int q) {
        boolean pi = Listpack.isInt(b, p);
        if (pi != Listpack.isInt(b, q)) {
            return false;
        }
        if (pi) {
            return Listpack.intValue(b, p) == Listpack.intValue(b, q);
        }
        int lp = Listpack.strLength(b, p);
        int op = Listpack.strOffset(b, p);
        int oq = Listpack.strOffset(b, q);
        return lp == Listpack.strLength(b, q) && Arrays.equals(b, op, op + lp, b, oq, oq + lp);
    }

    /** {@link Listpack#isCanonicalLong} over {@code b[off, off+len)}. */
    static boolean isIntegerText(byte[] b, int off, int len) {
        if (len == 0 || len > 20) {
            return false;
        }
        int c = b[off];
        if (c != '-' && (c < '0' || c > '9')) {
            return false; // the common case of text: decided by its first byte
        }
        return Listpack.isCanonicalLong(Arrays.copyOfRange(b, off, off + len));
    }
}
