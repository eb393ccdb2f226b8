package dev.trellis.server.types.stream;

/**
 * A delivered but not yet acknowledged entry (Redis's streamNACK), shared by the group's PEL
 * and its owner's PEL.
 */
public final class PendingEntry {
    /** Unix time in ms of the last delivery. */
    public long deliveryTime;
    /** Number of times the entry was delivered. */
    public long deliveryCount;
    /** The consumer it was last delivered to; null only transiently (XCLAIM FORCE). */
    public Consumer consumer;

    public PendingEntry(long deliveryTime, long deliveryCount, Consumer consumer) {
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
        this.consumer = consumer;
    }
}
