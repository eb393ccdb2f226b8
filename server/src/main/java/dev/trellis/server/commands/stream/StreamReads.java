package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.PendingEntry;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIterator;
import java.util.Map;

/**
 * The non-blocking read paths of XREAD and XREADGROUP, reusable by anything that serves
 * stream readers (blocked clients, modules): plain reads after an ID, group reads of new
 * entries (moving the group, filling the PELs, propagating XCLAIM/XGROUP SETID), and a
 * consumer's history from its PEL. Each writes one array of entries to the client's reply.
 */
public final class StreamReads {
    private StreamReads() {
    }

    /**
     * True when {@code s} has a live entry after {@code after} (the condition for XREAD to
     * answer for this stream rather than wait).
     */
    public static boolean hasEntriesAfter(RedisStream s, StreamId after) {
        return s.length() > 0 && s.lastValidId().compareTo(after) > 0;
    }

    /**
     * XREAD for one stream: the entries with IDs greater than {@code after}, at most
     * {@code count} when positive. Returns how many were written.
     */
    public static long readAfter(Client c, RedisStream s, StreamId after, long count) {
        StreamId start = after.next();
        if (start == null) {
            start = StreamId.MIN; // Redis's streamIncrID wraps to 0-0
        }
        return StreamReplies.range(c.reply(), s, start, null, count, false);
    }

    /**
     * XREADGROUP ... &gt; for one stream: delivers entries after the group's last delivered ID
     * to {@code consumer} (streamReplyWithRange with a group). Unless {@code noack}, each one
     * enters the group and consumer PELs (taken over from another consumer if it was there)
     * and is propagated as XCLAIM; with {@code noack} a moved group is propagated as XGROUP
     * SETID. Returns how many entries were written.
     */
    public static long readNew(Client c, byte[] key, RedisStream s, ConsumerGroup g, byte[] groupName, Consumer consumer,
            long count, boolean noack) {
        StreamId start = g.lastId.next();
        if (start == null) {
            start = StreamId.MIN;
        }
        Reply r = c.reply();
        long now = StreamKeys.now(c);
        DeferredReply d = DeferredReply.begin(r);
        StreamIterator it = s.iterator(start, null, false);
        long n = 0;
        boolean propagateLastId = false;
        while (it.next()) {
            StreamId id = it.id();
            if (id.compareTo(g.lastId) > 0) {
                if (g.entriesRead != ConsumerGroup.ENTRIES_READ_INVALID && !s.rangeHasTombstones(id, null)) {
                    g.entriesRead++;
                } else if (s.entriesAdded() != 0) {
                    g.entriesRead = s.estimateDistanceFromFirstEverEntry(id);
                }
                g.lastId = id;
                if (noack) {
                    propagateLastId = true;
                }
            }
            StreamReplies.entry(r, it);
            if (!noack) {
                PendingEntry p = g.pel.get(id);
                if (p == null) {
                    p = new PendingEntry(now, 1, consumer);
                    g.pel.put(id, p);
                    consumer.pel.put(id, p);
                } else {
                    p.consumer.pel.remove(id);
                    p.consumer = consumer;
                    p.deliveryTime = now;
                    p.deliveryCount = 1;
                    consumer.pel.put(id, p);
                }
                consumer.activeTime = now;
                StreamPropagation.xclaim(c, key, g, groupName, id.toBytes(), p);
            }
            n++;
            if (count > 0 && n == count) {
                break;
            }
        }
        if (propagateLastId) {
            StreamPropagation.setId(c, key, g, groupName);
        }
        d.endArray(n);
        return n;
    }

    /**
     * XREADGROUP with an explicit ID: the consumer's own pending entries from {@code start}
     * (streamReplyWithRangeFromConsumerPEL). Entries still in the stream count as delivered
     * again; deleted ones are reported as [id, nil]. Returns how many were written.
     */
    public static long readHistory(Client c, RedisStream s, Consumer consumer, StreamId start, long count) {
        Reply r = c.reply();
        long now = StreamKeys.now(c);
        DeferredReply d = DeferredReply.begin(r);
        long n = 0;
        for (Map.Entry<StreamId, PendingEntry> e : consumer.pel.tailMap(start, true).entrySet()) {
            if (count > 0 && n >= count) {
                break;
            }
            StreamId id = e.getKey();
            if (StreamReplies.rawRange(r, s, id, id, 1, false) == 0) {
                r.array(2);
                r.bulk(id.toBytes());
                r.nullArray();
            } else {
                PendingEntry p = e.getValue();
                p.deliveryTime = now;
                p.deliveryCount++;
            }
            n++;
        }
        d.endArray(n);
        return n;
    }
}
