package dev.trellis.server.types.zset;

/** Receives sorted-set entries in order and says whether to go on. */
@FunctionalInterface
public interface EntryScanner {
    /** Returns false to stop the walk. */
    boolean next(byte[] member, double score);
}
