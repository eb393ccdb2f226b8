package dev.trellis.server.commands.stream;

import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIterator;

/** Writing stream entries into replies: each entry is [id, [field, value, ...]]. */
public final class StreamReplies {
    private StreamReplies() {
    }

    /** Writes the iterator's current entry. */
    public static void entry(Reply r, StreamIterator it) {
        r.array(2);
        r.bulk(it.id().toBytes());
        long n = it.numFields();
        r.array(n * 2);
        for (long i = 0; i < n; i++) {
            it.nextField();
            it.replyField(r);
            it.replyValue(r);
        }
    }

    /**
     * Replies with the entries of [start, end] as an array, at most {@code count} when count
     * is positive, in reverse when {@code rev}; returns how many (streamReplyWithRange
     * without a group).
     */
    public static long range(Reply r, RedisStream s, StreamId start, StreamId end, long count, boolean rev) {
        DeferredReply d = DeferredReply.begin(r);
        long n = rawRange(r, s, start, end, count, rev);
        d.endArray(n);
        return n;
    }

    /** The entries alone, without the array header (STREAM_RWR_RAWENTRIES). */
    public static long rawRange(Reply r, RedisStream s, StreamId start, StreamId end, long count, boolean rev) {
        StreamIterator it = s.iterator(start, end, rev);
        long n = 0;
        while (it.next()) {
            entry(r, it);
            n++;
            if (count > 0 && n == count) {
                break;
            }
        }
        return n;
    }
}
