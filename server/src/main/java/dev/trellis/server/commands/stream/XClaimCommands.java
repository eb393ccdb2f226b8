package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.PendingEntry;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIdParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * XCLAIM and XAUTOCLAIM: move pending entries to a consumer. Both propagate each change as
 * an idempotent XCLAIM (or XGROUP SETID for a moved group), never themselves.
 */
final class XClaimCommands {
    private XClaimCommands() {
    }

    private static CommandError noGroup(Client c) {
        return CommandError.of("NOGROUP No such key '" + StreamKeys.text(c.arg(1)) + "' or consumer group '"
                + StreamKeys.text(c.arg(2)) + "'");
    }

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms]
     * [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
     */
    static void xclaim(Client c) {
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            throw noGroup(c);
        }
        long minIdle = StreamKeys.longArg(c, 4, "Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        // IDs until the first argument that is not one; the rest are options.
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < c.argc; j++) {
            StreamId id = StreamIdParser.parse(c.arg(j), 0, true);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = StreamKeys.now(c);
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < c.argc; j++) {
            int moreArgs = c.argc - 1 - j;
            if (c.argIs(j, "force")) {
                force = true;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else if (c.argIs(j, "idle") && moreArgs > 0) {
                j++;
                deliveryTime = now - StreamKeys.longArg(c, j, "Invalid IDLE option argument for XCLAIM");
            } else if (c.argIs(j, "time") && moreArgs > 0) {
                j++;
                deliveryTime = StreamKeys.longArg(c, j, "Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "retrycount") && moreArgs > 0) {
                j++;
                retryCount = StreamKeys.longArg(c, j, "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "lastid") && moreArgs > 0) {
                j++;
                lastId = StreamKeys.strictId(c, j);
            } else {
                throw CommandError.of("ERR Unrecognized XCLAIM option '" + StreamKeys.text(c.arg(j)) + "'");
            }
        }
        try {
            claim(c, key, s, g, ids, minIdle, now, retryCount, deliveryTime, force, justId, lastId);
        } finally {
            StreamPropagation.suppressCommand(c);
        }
    }

    private static void claim(Client c, byte[] key, RedisStream s, ConsumerGroup g, List<StreamId> ids, long minIdle, long now, long retryCount, long deliveryTime, boolean force, boolean justId, StreamId lastId) {
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            // A bogus time (negative or in the future) means "now" rather than an error.
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        byte[] groupName = c.arg(2);
        Consumer consumer = g.consumer(c.arg(3));
        if (consumer == null) {
            consumer = StreamGroups.createConsumer(c, g, c.arg(3), key);
        }
        consumer.seenTime = now;
        Reply r = c.reply();
        DeferredReply d = DeferredReply.begin(r);
        long n = 0;
        for (int k = 0; k < ids.size(); k++) {
            StreamId id = ids.get(k);
            byte[] idArg = c.arg(5 + k);
            PendingEntry p = g.pel.get(id);
            if (!s.exists(id)) {
                if (p != null) {
                    StreamPropagation.xclaim(c, key, g, groupName, idArg, p);
                    propagateLastId = false;
                    c.server().stats().dirty++;
                    g.acknowledge(id);
                }
                continue;
            }
            if (force && p == null) {
                p = new PendingEntry(now, 1, null);
                g.pel.put(id, p);
            }
            if (p == null) {
                continue;
            }
            if (p.consumer != null && minIdle != 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (p.consumer != consumer && p.consumer != null) {
                p.consumer.pel.remove(id);
            }
            p.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                p.deliveryCount = retryCount;
            } else if (!justId) {
                p.deliveryCount++;
            }
            if (p.consumer != consumer) {
                consumer.pel.put(id, p);
                p.consumer = consumer;
            }
            if (justId) {
                r.bulk(id.toBytes());
            } else {
                StreamReplies.rawRange(r, s, id, id, 1, false);
            }
            n++;
            consumer.activeTime = now;
            StreamPropagation.xclaim(c, key, g, groupName, idArg, p);
            propagateLastId = false;
            c.server().stats().dirty++;
        }
        if (propagateLastId) {
            StreamPropagation.setId(c, key, g, groupName);
            c.server().stats().dirty++;
        }
        d.endArray(n);
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
    static void xautoclaim(Client c) {
        long minIdle = StreamKeys.longArg(c, 4, "Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        StreamId start = StreamKeys.bound(c, 5, true);
        long count = 100;
        boolean justId = false;
        final long attemptsFactor = 10;
        for (int j = 6; j < c.argc; j++) {
            int moreArgs = c.argc - 1 - j;
            if (c.argIs(j, "count") && moreArgs > 0) {
                long maxCount = Long.MAX_VALUE / Math.max(16, attemptsFactor);
                long v;
                try {
                    v = c.argLong(j + 1);
                } catch (CommandError e) {
                    throw CommandError.of("ERR COUNT must be > 0");
                }
                if (v < 1 || v > maxCount) {
                    throw CommandError.of("ERR COUNT must be > 0");
                }
                count = v;
                j++;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            throw noGroup(c);
        }
        try {
            autoclaim(c, key, s, g, minIdle, start, count, justId, count * attemptsFactor);
        } finally {
            StreamPropagation.suppressCommand(c);
        }
    }

    private static void autoclaim(Client c, byte[] key, RedisStream s, ConsumerGroup g, long minIdle, StreamId start,
            long count, boolean justId, long attempts) {
        byte[] groupName = c.arg(2);
        Consumer consumer = g.consumer(c.arg(3));
        if (consumer == null) {
            consumer = StreamGroups.createConsumer(c, g, c.arg(3), key);
        }
        long now = StreamKeys.now(c);
        consumer.seenTime = now;
        Reply r = c.reply();
        r.array(3);
        // The cursor comes first in the reply but is known only at the end.
        DeferredReply claimed = DeferredReply.begin(r);
        List<StreamId> deletedIds = new ArrayList<>();
        long n = 0;
        StreamId cursor = start;
        while (cursor != null && attempts-- > 0 && count > 0) {
            Map.Entry<StreamId, PendingEntry> e = g.pel.ceilingEntry(cursor);
            if (e == null) {
                cursor = null; // reached the end of the PEL: the next cursor is 0-0
                break;
            }
            StreamId id = e.getKey();
            PendingEntry p = e.getValue();
            cursor = id.next();
            if (!s.exists(id)) {
                StreamPropagation.xclaim(c, key, g, groupName, id.toBytes(), p);
                c.server().stats().dirty++;
                g.acknowledge(id);
                deletedIds.add(id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (p.consumer != consumer && p.consumer != null) {
                p.consumer.pel.remove(id);
            }
            p.deliveryTime = now;
            if (!justId) {
                p.deliveryCount++;
            }
            if (p.consumer != consumer) {
                consumer.pel.put(id, p);
                p.consumer = consumer;
            }
            if (justId) {
                r.bulk(id.toBytes());
            } else {
                StreamReplies.rawRange(r, s, id, id, 1, false);
            }
            n++;
            count--;
            consumer.activeTime = now;
            StreamPropagation.xclaim(c, key, g, groupName, id.toBytes(), p);
            c.server().stats().dirty++;
        }
        Map.Entry<StreamId, PendingEntry> after = cursor == null ? null : g.pel.ceilingEntry(cursor);
        byte[] nextCursor = (after == null ? StreamId.MIN : after.getKey()).toBytes();
        long claimedCount = n;
        claimed.end(w -> {
            w.bulk(nextCursor);
            w.array(claimedCount);
        });
        r.array(deletedIds.size());
        for (StreamId id : deletedIds) {
            r.bulk(id.toBytes());
        }
    }
}
