package dev.trellis.server.commands.stream;

import dev.trellis.server.types.stream.StreamId;
import java.util.Collection;

/**
 * The node count of the radix tree Redis keeps stream nodes in (XINFO STREAM's
 * radix-tree-nodes), computed from the node keys (16-byte big-endian IDs) as the shape of a
 * compressed trie: one node for the head, one per compressed run, one per branching point,
 * one per child of a branch, one per leaf. This is the shape Redis's rax builds for
 * equal-length keys, where no key is a prefix of another.
 */
final class RaxShape {
    private static final int KEY_LEN = 16;

    private RaxShape() {
    }

    static long nodeCount(Collection<StreamId> sortedKeys) {
        int n = sortedKeys.size();
        if (n == 0) {
            return 1;
        }
        byte[][] keys = new byte[n][];
        int i = 0;
        for (StreamId id : sortedKeys) {
            keys[i++] = encode(id);
        }
        return count(keys, 0, n - 1, 0);
    }

    private static byte[] encode(StreamId id) {
        byte[] b = new byte[KEY_LEN];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (id.ms() >>> (56 - 8 * k));
            b[8 + k] = (byte) (id.seq() >>> (56 - 8 * k));
        }
        return b;
    }

    /** Nodes of the subtree at {@code depth} holding keys[lo..hi] (which share that prefix). */
    private static long count(byte[][] keys, int lo, int hi, int depth) {
        if (depth == KEY_LEN) {
            return 1; // the leaf where the key ends
        }
        if (lo == hi) {
            return 2; // the rest of the key compressed, then the leaf
        }
        int lcp = depth;
        while (lcp < KEY_LEN && keys[lo][lcp] == keys[hi][lcp]) {
            lcp++;
        }
        if (lcp > depth) {
            return 1 + count(keys, lo, hi, lcp); // a compressed run down to the branching point
        }
        long total = 1; // the branching node
        int start = lo;
        for (int i = lo + 1; i <= hi + 1; i++) {
            if (i > hi || keys[i][depth] != keys[start][depth]) {
                total += count(keys, start, i - 1, depth + 1);
                start = i;
            }
        }
        return total;
    }
}
