package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.PendingEntry;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import java.util.Map;
import java.util.NavigableMap;

/** XACK and XPENDING. */
final class XAckPendingCommands {
    private XAckPendingCommands() {
    }

    /** XACK key group id [id ...] */
    static void xack(Client c) {
        RedisStream s = StreamKeys.read(c, c.arg(1));
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            c.reply().integer(0);
            return;
        }
        // Parse every ID first: the command is all or nothing.
        StreamId[] ids = new StreamId[c.argc - 3];
        for (int j = 3; j < c.argc; j++) {
            ids[j - 3] = StreamKeys.strictId(c, j);
        }
        int acked = 0;
        for (StreamId id : ids) {
            if (g.acknowledge(id)) {
                acked++;
                c.server().stats().dirty++;
            }
        }
        c.reply().integer(acked);
    }

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
    static void xpending(Client c) {
        boolean justInfo = c.argc == 3;
        if (c.argc != 3 && (c.argc < 6 || c.argc > 9)) {
            throw CommandError.SYNTAX;
        }
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (c.argc >= 6) {
            int startIdx = 3;
            if (c.argIs(3, "idle")) {
                minIdle = c.argLong(4);
                if (c.argc < 8) {
                    throw CommandError.SYNTAX;
                }
                startIdx += 2;
            }
            count = c.argLong(startIdx + 2);
            if (count < 0) {
                count = 0;
            }
            start = StreamKeys.bound(c, startIdx, true);
            end = StreamKeys.bound(c, startIdx + 1, false);
            if (startIdx + 3 < c.argc) {
                consumerName = c.arg(startIdx + 3);
            }
        }
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            throw CommandError.of("NOGROUP No such key '" + StreamKeys.text(key) + "' or consumer group '"
                    + StreamKeys.text(c.arg(2)) + "'");
        }
        Reply r = c.reply();
        if (justInfo) {
            r.array(4);
            r.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            r.bulk(g.pel.firstKey().toBytes());
            r.bulk(g.pel.lastKey().toBytes());
            int withPending = 0;
            for (Consumer consumer : g.consumers.values()) {
                if (!consumer.pel.isEmpty()) {
                    withPending++;
                }
            }
            r.array(withPending);
            for (Consumer consumer : g.consumers.values()) {
                if (!consumer.pel.isEmpty()) {
                    r.array(2);
                    r.bulk(consumer.name());
                    r.bulk(consumer.pel.size());
                }
            }
            return;
        }
        NavigableMap<StreamId, PendingEntry> pel = g.pel;
        if (consumerName != null) {
            Consumer consumer = g.consumer(consumerName);
            if (consumer == null) {
                r.emptyArray();
                return;
            }
            pel = consumer.pel;
        }
        long now = StreamKeys.now(c);
        DeferredReply d = DeferredReply.begin(r);
        long n = 0;
        if (count > 0 && start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, PendingEntry> e : pel.subMap(start, true, end, true).entrySet()) {
                PendingEntry p = e.getValue();
                if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                n++;
                r.array(4);
                r.bulk(e.getKey().toBytes());
                r.bulk(p.consumer.name());
                r.integer(Math.max(0, now - p.deliveryTime));
                r.integer(p.deliveryCount);
                if (--count == 0) {
                    break;
                }
            }
        }
        d.endArray(n);
    }
}
