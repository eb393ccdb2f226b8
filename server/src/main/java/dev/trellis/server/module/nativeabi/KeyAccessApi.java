package dev.trellis.server.module.nativeabi;

import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.module.ModuleKey;

/**
 * A key's access clock: GetLRU/SetLRU (idle time in milliseconds, second resolution as Redis)
 * and GetLFU/SetLFU (the logarithmic counter), each meaningful under the maxmemory-policy
 * family that keeps it.
 */
final class KeyAccessApi {
    private static final int OK = 0;
    private static final int ERR = 1;

    private KeyAccessApi() {
    }

    private static KeyEntry entry(long keyp) {
        ModuleKey k = keyp == 0 ? null : KeyApi.key(keyp);
        return k == null ? null : k.entry();
    }

    private static boolean lfu(long keyp) {
        ModuleKey k = KeyApi.key(keyp);
        return k.db().keyspace().accessClock() == AccessClock.LFU;
    }

    @Api(onError = ERR)
    static int GetLRU(long keyp, long idlep) {
        Native.putLong(idlep, -1);
        KeyEntry e = entry(keyp);
        if (e == null) {
            return ERR;
        }
        if (!lfu(keyp)) {
            Native.putLong(idlep, AccessClock.idleSeconds(e.access()) * 1000);
        }
        return OK;
    }

    @Api(onError = ERR)
    static int SetLRU(long keyp, long idleMs) {
        KeyEntry e = entry(keyp);
        if (e == null || lfu(keyp) || idleMs < 0) {
            return ERR;
        }
        long idle = idleMs / 1000;
        long now = AccessClock.lruClock();
        long abs = now - idle;
        if (abs < 0) {
            abs = (now + AccessClock.LRU_MAX / 2) - idle; // as Redis, wrapping into the clock's range
        }
        e.access((int) (abs & AccessClock.LRU_MAX));
        return OK;
    }

    @Api(onError = ERR)
    static int GetLFU(long keyp, long freqp) {
        Native.putLong(freqp, -1);
        KeyEntry e = entry(keyp);
        if (e == null) {
            return ERR;
        }
        if (lfu(keyp)) {
            Native.putLong(freqp, AccessClock.Lfu.current(e.access()));
        }
        return OK;
    }

    @Api(onError = ERR)
    static int SetLFU(long keyp, long freq) {
        KeyEntry e = entry(keyp);
        if (e == null || !lfu(keyp) || freq < 0) {
            return ERR;
        }
        int minutes = (int) ((System.currentTimeMillis() / 60000) & 0xffff);
        e.access((minutes << 8) | (int) Math.min(255, freq));
        return OK;
    }
}
