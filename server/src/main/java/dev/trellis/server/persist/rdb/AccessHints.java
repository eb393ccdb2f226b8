package dev.trellis.server.persist.rdb;

import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;

/** Restores a key's LRU idle time or LFU counter from the hints in a file or RESTORE's options. */
public final class AccessHints {
    private AccessHints() {
    }

    /** Applies whichever hint matches the current eviction clock (as Redis's objectSetLRUOrLFU). */
    public static void apply(Keyspace ks, KeyEntry e, long lruIdleSeconds, int lfuFreq) {
        if (ks.accessClock() == AccessClock.LFU) {
            if (lfuFreq >= 0) {
                int minutes = (int) ((System.currentTimeMillis() / 60000) & 0xffff);
                e.access((minutes << 8) | (lfuFreq & 0xff));
            }
        } else if (lruIdleSeconds >= 0) {
            long clock = AccessClock.lruClock();
            long idle = Math.min(lruIdleSeconds, AccessClock.LRU_MAX);
            long at = clock - idle;
            if (at < 0) {
                at += AccessClock.LRU_MAX + 1;
            }
            e.access((int) at);
        }
    }
}
