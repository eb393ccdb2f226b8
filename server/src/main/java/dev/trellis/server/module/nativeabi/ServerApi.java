package dev.trellis.server.module.nativeabi;

import dev.trellis.server.Server;
import dev.trellis.server.module.ModuleHost;

/**
 * Whole-server services: ResetDataset, LatencyAddSample, and the fork family. Trellis runs in
 * a JVM, which cannot fork safely, so Fork fails as Redis does when fork() fails: -1 with errno
 * set (ENOSYS), and KillForkChild finds no child.
 */
final class ServerApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int ENOSYS = 38;

    private ServerApi() {
    }

    /** ResetDataset: empties every database (FLUSHALL without its reply); restart_aof is moot. */
    @Api
    static void ResetDataset(int restartAof, int async) {
        ModuleHost h = HostTracker.any();
        if (h == null) {
            return;
        }
        Server s = h.server();
        for (int i = 0; i < s.keyspace().databases(); i++) {
            s.keyspace().db(i).clear();
        }
        s.stats().dirty++;
    }

    /** LatencyAddSample: recorded when at or over latency-monitor-threshold. */
    @Api
    static void LatencyAddSample(long eventp, long ms) {
        ModuleHost h = HostTracker.any();
        if (h == null || eventp == 0) {
            return;
        }
        h.server().stats().latencyEvents.addIfNeeded(Native.readCString(eventp), ms);
    }

    @Api(onError = -1)
    static int Fork(long callback, long userData) {
        NativeRuntime.get().errno(ENOSYS);
        return -1;
    }

    @Api
    static void SendChildHeartbeat(double progress) {
        // there is never a child
    }

    @Api(onError = ERR)
    static int ExitFromChild(int code) {
        return ERR;
    }

    @Api(onError = -1)
    static int KillForkChild(int pid) {
        return -1;
    }
}
