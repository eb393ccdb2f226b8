package dev.trellis.server.types.stream;

import java.util.TreeMap;

/** A consumer of a group: its name, last seen and last active times, and its own PEL. */
public final class Consumer {
    private final byte[] name;
    /** Last time the consumer tried an action (read or claim), Unix ms. */
    public long seenTime;
    /** Last time it successfully read or claimed something, Unix ms; -1 for never. */
    public long activeTime = -1;
    /** Entries delivered to this consumer and not acknowledged; values shared with the group PEL. */
    public final TreeMap<StreamId, PendingEntry> pel = new TreeMap<>();

    public Consumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    public byte[] name() {
        return name;
    }
}
