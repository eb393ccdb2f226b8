package dev.trellis.server.commands.zset;

import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.EntryVisitor;
import java.util.Arrays;

/**
 * A growable list of (member, score) entries: results collected before their count is known,
 * then written as a reply. With scores, RESP2 gets a flat array and RESP3 an array of pairs,
 * as Redis replies to ZRANGE ... WITHSCORES.
 */
public final class ZEntries implements EntryVisitor {
    private byte[][] members = new byte[8][];
    private double[] scores = new double[8];
    private int size;

    @Override
    public void accept(byte[] member, double score) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
            scores = Arrays.copyOf(scores, size * 2);
        }
        members[size] = member;
        scores[size++] = score;
    }

    public int size() {
        return size;
    }

    public byte[] member(int i) {
        return members[i];
    }

    public double score(int i) {
        return scores[i];
    }

    /** Writes the entries as an array reply. */
    public void reply(Reply r, boolean withScores) {
        header(r, size, withScores);
        for (int i = 0; i < size; i++) {
            entry(r, members[i], scores[i], withScores);
        }
    }

    /** The array header for {@code n} entries. */
    public static void header(Reply r, long n, boolean withScores) {
        r.array(withScores && !r.resp3() ? n * 2 : n);
    }

    /** One entry: the member, and with scores its score (paired in RESP3). */
    public static void entry(Reply r, byte[] member, double score, boolean withScores) {
        if (withScores && r.resp3()) {
            r.array(2);
        }
        r.bulk(member);
        if (withScores) {
            r.doubleValue(score);
        }
    }
}
