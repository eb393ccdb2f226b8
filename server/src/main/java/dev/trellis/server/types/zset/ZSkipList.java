package dev.trellis.server.types.zset;

import dev.trellis.server.keyspace.KeyHash;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The large encoding of a sorted set ("skiplist" in OBJECT ENCODING): a skiplist ordered by
 * (score, member) with spans for O(log n) ranks, plus a hash index from member to node. The
 * index is chained through the nodes themselves and sized as a power of two, so SCAN can walk
 * its buckets with a reverse-binary cursor that survives resizes.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;

    final ZNode header = new ZNode(null, 0, 0, MAX_LEVEL);
    ZNode tail;
    int length;
    int level = 1;
    /** Sum of member lengths, for memory estimates without a walk. */
    long memberBytes;
    private ZNode[] table = new ZNode[4];

    // ------------------------------------------------------------------ member index

    ZNode find(byte[] member) {
        int h = KeyHash.hash(member);
        for (ZNode n = table[h & (table.length - 1)]; n != null; n = n.bucketNext) {
            if (n.hash == h && Arrays.equals(n.member, member)) {
                return n;
            }
        }
        return null;
    }

    private void indexAdd(ZNode n) {
        if (length >= table.length) {
            resize(table.length * 2);
        }
        int i = n.hash & (table.length - 1);
        n.bucketNext = table[i];
        table[i] = n;
    }

    private void indexRemove(ZNode n) {
        int i = n.hash & (table.length - 1);
        ZNode p = table[i];
        if (p == n) {
            table[i] = n.bucketNext;
        } else {
            while (p.bucketNext != n) {
                p = p.bucketNext;
            }
            p.bucketNext = n.bucketNext;
        }
        n.bucketNext = null;
    }

    /** Shrinks the index when it is under 10% full, as Redis resizes its dictionaries. */
    void shrinkIfSparse() {
        if (table.length > 4 && length * 10L < table.length) {
            resize(Math.max(4, Integer.highestOneBit(Math.max(1, length) - 1) << 1));
        }
    }

    private void resize(int size) {
        ZNode[] t = new ZNode[size];
        for (ZNode head : table) {
            for (ZNode n = head; n != null; ) {
                ZNode next = n.bucketNext;
                int i = n.hash & (size - 1);
                n.bucketNext = t[i];
                t[i] = n;
                n = next;
            }
        }
        table = t;
    }

    /**
     * Visits the index buckets from {@code cursor} until about {@code count} entries were seen
     * (at most ten times as many buckets), returning the next cursor or 0 at the end.
     */
    long scan(long cursor, long count, EntryVisitor v) {
        if (length == 0) {
            return 0;
        }
        long seen = 0;
        long maxBuckets = count * 10;
        do {
            long mask = table.length - 1;
            for (ZNode n = table[(int) (cursor & mask)]; n != null; n = n.bucketNext) {
                v.accept(n.member, n.score);
                seen++;
            }
            cursor |= ~mask;
            cursor = Long.reverse(cursor);
            cursor++;
            cursor = Long.reverse(cursor);
        } while (cursor != 0 && maxBuckets-- > 0 && seen < count);
        return cursor;
    }

    // ------------------------------------------------------------------ list

    private static boolean before(ZNode n, double score, byte[] member) {
        return n.score < score || (n.score == score && Arrays.compareUnsigned(n.member, member) < 0);
    }

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (r.nextInt() & 0xFFFF) < 0x4000) {
            lvl++;
        }
        return lvl;
    }

    /** Adds a member known to be absent. */
    ZNode insert(byte[] member, double score) {
        ZNode x = new ZNode(member, KeyHash.hash(member), score, randomLevel());
        link(x);
        indexAdd(x);
        length++;
        memberBytes += member.length;
        return x;
    }

    private void link(ZNode x) {
        int lvl = x.level();
        int top = Math.max(level, lvl);
        ZNode[] update = new ZNode[top];
        int[] rank = new int[top];
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            ZNode f;
            while ((f = n.forward(i)) != null && before(f, x.score, x.member)) {
                rank[i] += n.span(i);
                n = f;
            }
            update[i] = n;
        }
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span(i, length);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            ZNode u = update[i];
            x.forward(i, u.forward(i));
            u.forward(i, x);
            x.span(i, u.span(i) - (rank[0] - rank[i]));
            u.span(i, rank[0] - rank[i] + 1);
        }
        for (int i = lvl; i < level; i++) {
            update[i].span(i, update[i].span(i) + 1);
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.next != null) {
            x.next.backward = x;
        } else {
            tail = x;
        }
    }

    /** The per-level predecessors of node {@code x}. */
    private ZNode[] predecessors(ZNode x) {
        ZNode[] update = new ZNode[level];
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && before(f, x.score, x.member)) {
                n = f;
            }
            update[i] = n;
        }
        return update;
    }

    private void unlink(ZNode x, ZNode[] update) {
        for (int i = 0; i < level; i++) {
            ZNode u = update[i];
            if (u.forward(i) == x) {
                u.span(i, u.span(i) + x.span(i) - 1);
                u.forward(i, x.forward(i));
            } else {
                u.span(i, u.span(i) - 1);
            }
        }
        if (x.next != null) {
            x.next.backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward(level - 1) == null) {
            level--;
        }
    }

    void delete(ZNode x) {
        unlink(x, predecessors(x));
        indexRemove(x);
        length--;
        memberBytes -= x.member.length;
    }

    /** Changes a node's score, moving it only when its position changes. */
    void updateScore(ZNode x, double score) {
        ZNode b = x.backward;
        ZNode f = x.next;
        if ((b == null || before(b, score, x.member))
                && (f == null || f.score > score || (f.score == score && Arrays.compareUnsigned(f.member, x.member) > 0))) {
            x.score = score;
            return;
        }
        unlink(x, predecessors(x));
        x.score = score;
        link(x);
    }

    /** 1-based rank of a node. */
    long rank(ZNode x) {
        long rank = 0;
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && (f == x || before(f, x.score, x.member))) {
                rank += n.span(i);
                n = f;
            }
            if (n == x) {
                return rank;
            }
        }
        return 0;
    }

    /** The node at a 1-based rank, or null. */
    ZNode byRank(long rank) {
        if (rank == 1) {
            return header.next;
        }
        if (rank == length) {
            return tail;
        }
        long traversed = 0;
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && traversed + n.span(i) <= rank) {
                traversed += n.span(i);
                n = f;
            }
            if (traversed == rank) {
                return n;
            }
        }
        return null;
    }

    ZNode firstInRange(ScoreRange r) {
        if (r.isEmpty() || tail == null || !r.aboveMin(tail.score) || !r.belowMax(header.next.score)) {
            return null;
        }
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && !r.aboveMin(f.score)) {
                n = f;
            }
        }
        n = n.next;
        return n != null && r.belowMax(n.score) ? n : null;
    }

    ZNode lastInRange(ScoreRange r) {
        if (r.isEmpty() || tail == null || !r.aboveMin(tail.score) || !r.belowMax(header.next.score)) {
            return null;
        }
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && r.belowMax(f.score)) {
                n = f;
            }
        }
        return n != header && r.aboveMin(n.score) ? n : null;
    }

    private boolean inLexRange(LexRange r) {
        return tail != null && !r.isEmpty() && r.aboveMin(tail.member) && r.belowMax(header.next.member);
    }

    ZNode firstInLexRange(LexRange r) {
        if (!inLexRange(r)) {
            return null;
        }
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && !r.aboveMin(f.member)) {
                n = f;
            }
        }
        n = n.next;
        return n != null && r.belowMax(n.member) ? n : null;
    }

    ZNode lastInLexRange(LexRange r) {
        if (!inLexRange(r)) {
            return null;
        }
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && r.belowMax(f.member)) {
                n = f;
            }
        }
        return n != header && r.aboveMin(n.member) ? n : null;
    }

    /** Deletes nodes from {@code first} on while {@code more} holds; returns how many. */
    private long deleteFrom(ZNode[] update, ZNode first, java.util.function.Predicate<ZNode> more, long max) {
        long removed = 0;
        ZNode n = first;
        while (n != null && removed < max && more.test(n)) {
            ZNode next = n.next;
            unlink(n, update);
            indexRemove(n);
            length--;
            memberBytes -= n.member.length;
            removed++;
            n = next;
        }
        return removed;
    }

    long deleteRangeByScore(ScoreRange r) {
        ZNode[] update = new ZNode[level];
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && !r.aboveMin(f.score)) {
                n = f;
            }
            update[i] = n;
        }
        return deleteFrom(update, n.next, x -> r.belowMax(x.score), Long.MAX_VALUE);
    }

    long deleteRangeByLex(LexRange r) {
        ZNode[] update = new ZNode[level];
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && !r.aboveMin(f.member)) {
                n = f;
            }
            update[i] = n;
        }
        return deleteFrom(update, n.next, x -> r.belowMax(x.member), Long.MAX_VALUE);
    }

    /** Deletes 1-based ranks start..end inclusive. */
    long deleteRangeByRank(long start, long end) {
        ZNode[] update = new ZNode[level];
        long traversed = 0;
        ZNode n = header;
        for (int i = level - 1; i >= 0; i--) {
            ZNode f;
            while ((f = n.forward(i)) != null && traversed + n.span(i) < start) {
                traversed += n.span(i);
                n = f;
            }
            update[i] = n;
        }
        return deleteFrom(update, n.next, x -> true, end - start + 1);
    }

    /** Estimated heap bytes: nodes (a third of them taller than one level), members, index. */
    long memoryUsage() {
        return 64 + 16 + 4L * table.length + length * 72L + memberBytes + length * 8L;
    }
}
