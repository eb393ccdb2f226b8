package dev.trellis.server.types.zset;

import dev.trellis.server.types.RedisValue;

/**
 * A sorted set: unique members (binary strings) ordered by score, then by member bytes.
 * Small sets use the listpack encoding, larger ones a skiplist plus a member index; the switch
 * happens in {@link #add} exactly where Redis makes it, so OBJECT ENCODING agrees.
 *
 * <p>Members passed in are kept, not copied: callers must not modify them afterwards. Scores
 * are never NaN; methods that look a member up return NaN for "absent". Ranks are 0-based.
 */
public final class ZSet implements RedisValue {
    /** {@link #add} flags: only add new members / only update existing ones. */
    public static final int NX = 1;
    public static final int XX = 1 << 1;
    /** Only update when the new score is greater / less than the current one. */
    public static final int GT = 1 << 2;
    public static final int LT = 1 << 3;
    /** Add the score to the current one (0 for a new member). */
    public static final int INCR = 1 << 4;

    /** {@link #add} results. */
    public static final int ADDED = 1;
    public static final int UPDATED = 1 << 1;
    /** Nothing done because of NX, XX, GT or LT. */
    public static final int NOP = 1 << 2;
    /** The score, or the incremented score, is NaN; nothing done. */
    public static final int NAN = 1 << 3;

    private ZListpack lp;
    private ZSkipList sl;

    /** An empty set in the listpack encoding. */
    public ZSet() {
        lp = new ZListpack(4);
    }

    private ZSet(ZListpack lp, ZSkipList sl) {
        this.lp = lp;
        this.sl = sl;
    }

    /**
     * An empty set in the encoding Redis picks for about {@code sizeHint} members whose
     * first is {@code firstMemberLength} bytes (zsetTypeCreate).
     */
    public static ZSet create(long sizeHint, long firstMemberLength, ZSetLimits limits) {
        if (limits.fitsListpack(sizeHint, firstMemberLength)) {
            return new ZSet(new ZListpack((int) Math.min(sizeHint, 128)), null);
        }
        return new ZSet(null, new ZSkipList());
    }

    /**
     * A listpack-encoded set of the first {@code n} members and scores, which the caller has
     * checked are distinct, not NaN, within the listpack limits and in (score, member) order
     * (as an RDB file holds them). The arrays are kept.
     */
    public static ZSet ofSortedListpack(byte[][] members, double[] scores, int n) {
        return new ZSet(new ZListpack(members, scores, n), null);
    }

    /** An empty set in the skiplist encoding. */
    public static ZSet skiplist() {
        return new ZSet(null, new ZSkipList());
    }

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "skiplist";
    }

    public boolean isListpack() {
        return lp != null;
    }

    public int size() {
        return lp != null ? lp.size : sl.length;
    }

    /** The member's score, or NaN when absent. */
    public double score(byte[] member) {
        if (lp != null) {
            int i = lp.indexOf(member);
            return i < 0 ? Double.NaN : lp.scores[i];
        }
        ZNode n = sl.find(member);
        return n == null ? Double.NaN : n.score;
    }

    public boolean contains(byte[] member) {
        return lp != null ? lp.indexOf(member) >= 0 : sl.find(member) != null;
    }

    /** Adds or updates one member with no flags; returns {@link #ADDED}, {@link #UPDATED} or 0. */
    public int add(byte[] member, double score, ZSetLimits limits) {
        return add(member, score, 0, limits, null);
    }

    /**
     * ZADD for one member. {@code flags} combines {@link #NX}, {@link #XX}, {@link #GT},
     * {@link #LT}, {@link #INCR}; returns {@link #ADDED}, {@link #UPDATED}, {@link #NOP},
     * {@link #NAN} or 0 (present with the same score). When something was added or the member
     * was present and not skipped, {@code newScore[0]} (if given) receives its score.
     */
    public int add(byte[] member, double score, int flags, ZSetLimits limits, double[] newScore) {
        if (Double.isNaN(score)) {
            return NAN;
        }
        boolean incr = (flags & INCR) != 0;
        boolean nx = (flags & NX) != 0;
        boolean xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0;
        boolean lt = (flags & LT) != 0;
        if (lp != null) {
            int i = lp.indexOf(member);
            if (i >= 0) {
                if (nx) {
                    return NOP;
                }
                double cur = lp.scores[i];
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) {
                        return NAN;
                    }
                }
                if ((lt && score >= cur) || (gt && score <= cur)) {
                    return NOP;
                }
                if (newScore != null) {
                    newScore[0] = score;
                }
                if (score != cur) {
                    lp.updateScore(i, score);
                    return UPDATED;
                }
                return 0;
            }
            if (xx) {
                return NOP;
            }
            if (lp.size + 1 > limits.maxListpackEntries() || member.length > limits.maxListpackValue()) {
                convertToSkiplist();
            } else {
                lp.insert(member, score);
                if (newScore != null) {
                    newScore[0] = score;
                }
                return ADDED;
            }
        }
        ZNode n = sl.find(member);
        if (n != null) {
            if (nx) {
                return NOP;
            }
            double cur = n.score;
            if (incr) {
                score += cur;
                if (Double.isNaN(score)) {
                    return NAN;
                }
            }
            if ((lt && score >= cur) || (gt && score <= cur)) {
                return NOP;
            }
            if (newScore != null) {
                newScore[0] = score;
            }
            if (score != cur) {
                sl.updateScore(n, score);
                return UPDATED;
            }
            return 0;
        }
        if (xx) {
            return NOP;
        }
        sl.insert(member, score);
        if (newScore != null) {
            newScore[0] = score;
        }
        return ADDED;
    }

    /** Removes a member; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (lp != null) {
            int i = lp.indexOf(member);
            if (i < 0) {
                return false;
            }
            lp.removeAt(i);
            return true;
        }
        ZNode n = sl.find(member);
        if (n == null) {
            return false;
        }
        sl.delete(n);
        return true;
    }

    /** 0-based rank from the low end (or from the high end when {@code reverse}), or -1. */
    public long rank(byte[] member, boolean reverse) {
        long r;
        if (lp != null) {
            r = lp.indexOf(member);
            if (r < 0) {
                return -1;
            }
        } else {
            ZNode n = sl.find(member);
            if (n == null) {
                return -1;
            }
            r = sl.rank(n) - 1;
        }
        return reverse ? size() - 1 - r : r;
    }

    /** The member at a 0-based rank (from the low end), which must exist. */
    public byte[] memberAt(long rank) {
        return lp != null ? lp.members[(int) rank] : sl.byRank(rank + 1).member;
    }

    /** The score at a 0-based rank (from the low end), which must exist. */
    public double scoreAt(long rank) {
        return lp != null ? lp.scores[(int) rank] : sl.byRank(rank + 1).score;
    }

    /** Every entry in order. */
    public void forEach(EntryVisitor v) {
        if (lp != null) {
            for (int i = 0; i < lp.size; i++) {
                v.accept(lp.members[i], lp.scores[i]);
            }
        } else {
            for (ZNode n = sl.header.next; n != null; n = n.next) {
                v.accept(n.member, n.score);
            }
        }
    }

    /**
     * Entries with ranks {@code start..end} (0-based, inclusive, within bounds), counted from the
     * high end and visited high to low when {@code reverse}.
     */
    public void range(long start, long end, boolean reverse, EntryVisitor v) {
        long n = end - start + 1;
        if (n <= 0) {
            return;
        }
        int size = size();
        if (lp != null) {
            for (long k = 0; k < n; k++) {
                int i = (int) (reverse ? size - 1 - start - k : start + k);
                v.accept(lp.members[i], lp.scores[i]);
            }
            return;
        }
        ZNode x;
        if (reverse) {
            x = start > 0 ? sl.byRank(size - start) : sl.tail;
        } else {
            x = start > 0 ? sl.byRank(start + 1) : sl.header.next;
        }
        for (long k = 0; k < n && x != null; k++) {
            v.accept(x.member, x.score);
            x = reverse ? x.backward : x.next;
        }
    }

    /**
     * Entries whose score is in {@code r}, in order (high to low when {@code reverse}), after
     * skipping {@code offset} of them, at most {@code limit} (negative: no limit). A negative
     * offset selects nothing, as in Redis. Returns how many were visited.
     */
    public long rangeByScore(ScoreRange r, boolean reverse, long offset, long limit, EntryVisitor v) {
        if (offset < 0 || (offset > 0 && offset >= size())) {
            return 0;
        }
        long count = 0;
        if (lp != null) {
            int i = reverse ? lp.lastInRange(r) : lp.firstInRange(r);
            if (i < 0) {
                return 0;
            }
            i += reverse ? (int) -Math.min(offset, i + 1L) : (int) Math.min(offset, lp.size);
            while (i >= 0 && i < lp.size && count != limit) {
                double s = lp.scores[i];
                if (reverse ? !r.aboveMin(s) : !r.belowMax(s)) {
                    break;
                }
                v.accept(lp.members[i], s);
                count++;
                i += reverse ? -1 : 1;
            }
            return count;
        }
        ZNode x = reverse ? sl.lastInRange(r) : sl.firstInRange(r);
        for (long k = 0; x != null && k < offset; k++) {
            x = reverse ? x.backward : x.next;
        }
        while (x != null && count != limit) {
            if (reverse ? !r.aboveMin(x.score) : !r.belowMax(x.score)) {
                break;
            }
            v.accept(x.member, x.score);
            count++;
            x = reverse ? x.backward : x.next;
        }
        return count;
    }

    /**
     * Walks the entries whose score is in {@code r} from the low end until {@code scanner}
     * returns false (geo searches stop once they have enough matches).
     */
    public void scanByScore(ScoreRange r, EntryScanner scanner) {
        if (lp != null) {
            int i = lp.firstInRange(r);
            for (; i >= 0 && i < lp.size && r.belowMax(lp.scores[i]); i++) {
                if (!scanner.next(lp.members[i], lp.scores[i])) {
                    return;
                }
            }
            return;
        }
        for (ZNode x = sl.firstInRange(r); x != null && r.belowMax(x.score); x = x.next) {
            if (!scanner.next(x.member, x.score)) {
                return;
            }
        }
    }

    /** As {@link #rangeByScore} for a member range (meaningful when all scores are equal). */
    public long rangeByLex(LexRange r, boolean reverse, long offset, long limit, EntryVisitor v) {
        if (offset < 0) {
            return 0;
        }
        long count = 0;
        if (lp != null) {
            int i = reverse ? lp.lastInLexRange(r) : lp.firstInLexRange(r);
            if (i < 0) {
                return 0;
            }
            i += reverse ? (int) -Math.min(offset, i + 1L) : (int) Math.min(offset, lp.size);
            while (i >= 0 && i < lp.size && count != limit) {
                byte[] m = lp.members[i];
                if (reverse ? !r.aboveMin(m) : !r.belowMax(m)) {
                    break;
                }
                v.accept(m, lp.scores[i]);
                count++;
                i += reverse ? -1 : 1;
            }
            return count;
        }
        ZNode x = reverse ? sl.lastInLexRange(r) : sl.firstInLexRange(r);
        for (long k = 0; x != null && k < offset; k++) {
            x = reverse ? x.backward : x.next;
        }
        while (x != null && count != limit) {
            if (reverse ? !r.aboveMin(x.member) : !r.belowMax(x.member)) {
                break;
            }
            v.accept(x.member, x.score);
            count++;
            x = reverse ? x.backward : x.next;
        }
        return count;
    }

    /** How many scores are in {@code r}. */
    public long countByScore(ScoreRange r) {
        if (lp != null) {
            int first = lp.firstInRange(r);
            if (first < 0) {
                return 0;
            }
            int i = first;
            while (i < lp.size && r.belowMax(lp.scores[i])) {
                i++;
            }
            return i - first;
        }
        ZNode first = sl.firstInRange(r);
        if (first == null) {
            return 0;
        }
        ZNode last = sl.lastInRange(r);
        return last == null ? 0 : sl.rank(last) - sl.rank(first) + 1;
    }

    /** How many members are in the lex range {@code r}. */
    public long countByLex(LexRange r) {
        if (lp != null) {
            int first = lp.firstInLexRange(r);
            if (first < 0) {
                return 0;
            }
            int i = first;
            while (i < lp.size && r.belowMax(lp.members[i])) {
                i++;
            }
            return i - first;
        }
        ZNode first = sl.firstInLexRange(r);
        if (first == null) {
            return 0;
        }
        long count = sl.length - (sl.rank(first) - 1);
        ZNode last = sl.lastInLexRange(r);
        if (last != null) {
            count -= sl.length - sl.rank(last);
        }
        return count;
    }

    /** Removes ranks {@code start..end} (0-based, inclusive, within bounds); returns how many. */
    public long removeRange(long start, long end) {
        if (end < start) {
            return 0;
        }
        if (lp != null) {
            lp.removeRange((int) start, (int) end + 1);
            return end - start + 1;
        }
        long n = sl.deleteRangeByRank(start + 1, end + 1);
        sl.shrinkIfSparse();
        return n;
    }

    public long removeRangeByScore(ScoreRange r) {
        if (lp != null) {
            int first = lp.firstInRange(r);
            if (first < 0) {
                return 0;
            }
            int i = first;
            while (i < lp.size && r.belowMax(lp.scores[i])) {
                i++;
            }
            lp.removeRange(first, i);
            return i - first;
        }
        long n = sl.deleteRangeByScore(r);
        sl.shrinkIfSparse();
        return n;
    }

    public long removeRangeByLex(LexRange r) {
        if (lp != null) {
            int first = lp.firstInLexRange(r);
            if (first < 0) {
                return 0;
            }
            int i = first;
            while (i < lp.size && r.belowMax(lp.members[i])) {
                i++;
            }
            lp.removeRange(first, i);
            return i - first;
        }
        long n = sl.deleteRangeByLex(r);
        sl.shrinkIfSparse();
        return n;
    }

    /**
     * Removes up to {@code count} entries from the low end (or the high end when {@code max}),
     * visiting each as it goes; returns how many.
     */
    public long pop(boolean max, long count, EntryVisitor v) {
        long n = 0;
        while (n < count && size() > 0) {
            byte[] m;
            double s;
            if (lp != null) {
                int i = max ? lp.size - 1 : 0;
                m = lp.members[i];
                s = lp.scores[i];
                lp.removeAt(i);
            } else {
                ZNode x = max ? sl.tail : sl.header.next;
                m = x.member;
                s = x.score;
                sl.delete(x);
            }
            v.accept(m, s);
            n++;
        }
        return n;
    }

    /**
     * One step of ZSCAN: visits entries from {@code cursor} and returns the next cursor (0 when
     * done). A listpack set is returned whole in one step with cursor 0.
     */
    public long scan(long cursor, long count, EntryVisitor v) {
        if (lp != null) {
            forEach(v);
            return 0;
        }
        return sl.scan(cursor, count, v);
    }

    /** Switches to the skiplist encoding (no-op when already there). */
    public void convertToSkiplist() {
        if (lp == null) {
            return;
        }
        ZSkipList s = new ZSkipList();
        for (int i = 0; i < lp.size; i++) {
            s.insert(lp.members[i], lp.scores[i]);
        }
        sl = s;
        lp = null;
    }

    /** Switches back to a listpack when the set now fits one (results of *STORE commands). */
    public void convertToListpackIfFits(ZSetLimits limits) {
        if (lp != null || sl.length > limits.maxListpackEntries()) {
            return;
        }
        ZListpack l = new ZListpack(sl.length);
        for (ZNode n = sl.header.next; n != null; n = n.next) {
            if (n.member.length > limits.maxListpackValue()) {
                return;
            }
            l.append(n.member, n.score);
        }
        lp = l;
        sl = null;
    }

    @Override
    public ZSet copy() {
        if (lp != null) {
            return new ZSet(lp.copy(), null);
        }
        ZSet c = skiplist();
        for (ZNode n = sl.header.next; n != null; n = n.next) {
            c.sl.insert(n.member, n.score);
        }
        return c;
    }

    @Override
    public long memoryUsage() {
        return 16 + (lp != null ? lp.memoryUsage() : sl.memoryUsage());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ZSet[");
        forEach((m, s) -> sb.append(new String(m, java.nio.charset.StandardCharsets.UTF_8)).append('=').append(s).append(' '));
        return sb.append(']').toString();
    }
}
