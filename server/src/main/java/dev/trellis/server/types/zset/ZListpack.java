package dev.trellis.server.types.zset;

import java.util.Arrays;

/**
 * The compact encoding of a small sorted set ("listpack" in OBJECT ENCODING): members and
 * scores in two parallel arrays kept in (score, member) order. Lookups by member are linear,
 * which is fine below zset-max-listpack-entries; everything else is a binary search or a walk.
 * Scores are stored as Redis's listpack stores them, so -0 reads back as 0.
 */
final class ZListpack {
    byte[][] members;
    double[] scores;
    int size;

    ZListpack(int capacity) {
        int cap = Math.max(2, capacity);
        members = new byte[cap][];
        scores = new double[cap];
    }

    /** Over ordered entries: the arrays are kept, scores normalized as {@link #append} does. */
    ZListpack(byte[][] members, double[] scores, int n) {
        this.members = members;
        this.scores = scores;
        this.size = n;
        for (int i = 0; i < n; i++) {
            scores[i] = normalize(scores[i]);
        }
    }

    int indexOf(byte[] member) {
        for (int i = 0; i < size; i++) {
            byte[] m = members[i];
            if (m.length == member.length && Arrays.equals(m, member)) {
                return i;
            }
        }
        return -1;
    }

    /** Index at which (score, member) belongs: the first entry ordered after it. */
    int insertionPoint(double score, byte[] member) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double s = scores[mid];
            if (s < score || (s == score && Arrays.compareUnsigned(members[mid], member) < 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    void insert(byte[] member, double score) {
        score = normalize(score);
        int at = insertionPoint(score, member);
        if (size == members.length) {
            int cap = size + (size >> 1) + 2;
            members = Arrays.copyOf(members, cap);
            scores = Arrays.copyOf(scores, cap);
        }
        System.arraycopy(members, at, members, at + 1, size - at);
        System.arraycopy(scores, at, scores, at + 1, size - at);
        members[at] = member;
        scores[at] = score;
        size++;
    }

    /** Appends an entry known to sort after every present one (building from ordered input). */
    void append(byte[] member, double score) {
        if (size == members.length) {
            int cap = size + (size >> 1) + 2;
            members = Arrays.copyOf(members, cap);
            scores = Arrays.copyOf(scores, cap);
        }
        members[size] = member;
        scores[size++] = normalize(score);
    }

    void removeAt(int i) {
        removeRange(i, i + 1);
    }

    /** Removes entries [from, to). */
    void removeRange(int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        System.arraycopy(members, to, members, from, size - to);
        System.arraycopy(scores, to, scores, from, size - to);
        Arrays.fill(members, size - n, size, null);
        size -= n;
        if (members.length > 16 && size < members.length / 4) {
            members = Arrays.copyOf(members, Math.max(4, size * 2));
            scores = Arrays.copyOf(scores, members.length);
        }
    }

    /** Moves entry i to its place for a new score. */
    void updateScore(int i, double score) {
        byte[] m = members[i];
        removeAt(i);
        insert(m, score);
    }

    /** First index whose score is in range, or -1. */
    int firstInRange(ScoreRange r) {
        if (r.isEmpty()) {
            return -1;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (r.aboveMin(scores[mid])) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo < size && r.belowMax(scores[lo]) ? lo : -1;
    }

    /** Last index whose score is in range, or -1. */
    int lastInRange(ScoreRange r) {
        if (r.isEmpty()) {
            return -1;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (r.belowMax(scores[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int i = lo - 1;
        return i >= 0 && r.aboveMin(scores[i]) ? i : -1;
    }

    /** First index whose member is in the lex range, or -1 (members assumed equally scored). */
    int firstInLexRange(LexRange r) {
        if (!inLexRange(r)) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if (r.aboveMin(members[i])) {
                return r.belowMax(members[i]) ? i : -1;
            }
        }
        return -1;
    }

    int lastInLexRange(LexRange r) {
        if (!inLexRange(r)) {
            return -1;
        }
        for (int i = size - 1; i >= 0; i--) {
            if (r.belowMax(members[i])) {
                return r.aboveMin(members[i]) ? i : -1;
            }
        }
        return -1;
    }

    /** Redis's quick rejection: the range is empty, or misses the last or first member. */
    private boolean inLexRange(LexRange r) {
        return size > 0 && !r.isEmpty() && r.aboveMin(members[size - 1]) && r.belowMax(members[0]);
    }

    long memoryUsage() {
        long bytes = 48 + 16 + 4L * members.length + 16 + 8L * scores.length;
        for (int i = 0; i < size; i++) {
            bytes += 16 + ((members[i].length + 7) & ~7);
        }
        return bytes;
    }

    ZListpack copy() {
        ZListpack c = new ZListpack(size);
        System.arraycopy(members, 0, c.members, 0, size);
        System.arraycopy(scores, 0, c.scores, 0, size);
        c.size = size;
        return c;
    }

    /** Listpack scores that are integers are stored as integers: -0 becomes 0. */
    static double normalize(double score) {
        return score == 0 ? 0.0 : score;
    }
}
