package dev.trellis.server.types.zset;

/**
 * One element of a {@link ZSkipList}: member, score, the level-0 links, and for the quarter of
 * nodes taller than one level, forward pointers and spans for the upper levels. Nodes also
 * chain the member index's buckets, so an element costs one object plus its member bytes.
 * The span of level 0 is always 1 and is not stored.
 */
final class ZNode {
    final byte[] member;
    final int hash;
    double score;
    ZNode backward;
    /** Forward pointer at level 0. */
    ZNode next;
    /** Next node in the same member-index bucket. */
    ZNode bucketNext;
    /** Forward pointers for levels 1..level-1, or null for a one-level node. */
    ZNode[] upper;
    /** Spans for levels 1..level-1. */
    int[] upperSpan;

    ZNode(byte[] member, int hash, double score, int level) {
        this.member = member;
        this.hash = hash;
        this.score = score;
        if (level > 1) {
            upper = new ZNode[level - 1];
            upperSpan = new int[level - 1];
        }
    }

    int level() {
        return upper == null ? 1 : upper.length + 1;
    }

    ZNode forward(int i) {
        return i == 0 ? next : upper[i - 1];
    }

    void forward(int i, ZNode n) {
        if (i == 0) {
            next = n;
        } else {
            upper[i - 1] = n;
        }
    }

    int span(int i) {
        return i == 0 ? 1 : upperSpan[i - 1];
    }

    void span(int i, int s) {
        if (i > 0) {
            upperSpan[i - 1] = s;
        }
    }
}
