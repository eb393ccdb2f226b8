package dev.trellis.server.types.stream;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A consumer group (Redis's streamCG): the last delivered ID, the logical read counter, the
 * group PEL (entry ID to {@link PendingEntry}) and the consumers by name in byte order.
 */
public final class ConsumerGroup {
    /** {@link #entriesRead} when the counter is unknown (SCG_INVALID_ENTRIES_READ). */
    public static final long ENTRIES_READ_INVALID = -1;

    private final byte[] name;
    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, PendingEntry> pel = new TreeMap<>();
    public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    public ConsumerGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public byte[] name() {
        return name;
    }

    public Consumer consumer(byte[] consumerName) {
        return consumers.get(consumerName);
    }

    /** Creates consumer {@code consumerName}; null when it exists already. */
    public Consumer createConsumer(byte[] consumerName, long nowMs) {
        if (consumers.containsKey(consumerName)) {
            return null;
        }
        Consumer c = new Consumer(consumerName, nowMs);
        consumers.put(consumerName, c);
        return c;
    }

    /** Deletes a consumer and its pending entries from the group PEL; returns how many it had. */
    public int deleteConsumer(Consumer c) {
        int pending = c.pel.size();
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        consumers.remove(c.name());
        return pending;
    }

    /** Removes {@code id} from the group PEL and its owner's; true when it was pending. */
    public boolean acknowledge(StreamId id) {
        PendingEntry p = pel.remove(id);
        if (p == null) {
            return false;
        }
        if (p.consumer != null) {
            p.consumer.pel.remove(id);
        }
        return true;
    }

    ConsumerGroup copy() {
        ConsumerGroup g = new ConsumerGroup(name, lastId, entriesRead);
        for (var e : pel.entrySet()) {
            g.pel.put(e.getKey(), new PendingEntry(e.getValue().deliveryTime, e.getValue().deliveryCount, null));
        }
        for (Consumer c : consumers.values()) {
            Consumer nc = new Consumer(c.name(), c.seenTime);
            nc.activeTime = c.activeTime;
            for (StreamId id : c.pel.keySet()) {
                PendingEntry p = g.pel.get(id);
                p.consumer = nc;
                nc.pel.put(id, p);
            }
            g.consumers.put(nc.name(), nc);
        }
        return g;
    }
}
