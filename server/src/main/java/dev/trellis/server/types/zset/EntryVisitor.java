package dev.trellis.server.types.zset;

/** Receives sorted-set entries in order during ranges, iteration, pops and scans. */
@FunctionalInterface
public interface EntryVisitor {
    void accept(byte[] member, double score);
}
