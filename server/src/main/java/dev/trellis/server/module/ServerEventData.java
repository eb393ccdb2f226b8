package dev.trellis.server.module;

import java.util.List;

/** The details server events carry, which each face turns into Redis's structures. */
public final class ServerEventData {
    private ServerEventData() {
    }

    /** RedisModuleFlushInfo: FLUSHALL has dbnum -1. */
    /** A key about to be removed or overwritten (KEY event): still in {@code db} with its value. */
    public record KeyInfo(dev.trellis.server.keyspace.Database db, byte[] key) {
    }

    public record FlushInfo(boolean sync, int dbnum) {
    }

    /** RedisModuleLoadingProgress: events per second, progress 0..1024 or -1. */
    public record LoadingProgress(int hz, int progress) {
    }

    /** RedisModuleReplicationInfo: a master has no host ("" to modules) and port 0. */
    public record ReplicationInfo(boolean master, String host, int port, String replId1, String replId2,
                                  long offset1, long offset2) {
    }

    /** RedisModuleCronLoop. */
    public record CronLoop(int hz) {
    }

    /** RedisModuleSwapDbInfo. */
    public record SwapDbInfo(int first, int second) {
    }

    /** RedisModuleConfigChange: the parameters one CONFIG SET changed. */
    public record ConfigChange(List<String> names) {
    }
}
