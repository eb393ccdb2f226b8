package dev.trellis.server.info;

import java.util.Map;
import java.util.TreeMap;

/** Server-wide counters reported by INFO and reset (the resettable ones) by CONFIG RESETSTAT. */
public final class ServerStats {
    public final long startTimeMs = System.currentTimeMillis();
    public final long startNanos = System.nanoTime();
    public long totalConnections;
    public long rejectedConnections;
    public long totalCommands;
    public long totalErrorReplies;
    public long netInputBytes;
    public long netOutputBytes;
    public long totalReadsProcessed;
    public long totalWritesProcessed;
    public long evictedKeys;
    public long evictedClients;
    public long unexpectedErrorReplies;
    public long ioThreadedReads;
    public long clientQueryBufferLimitDisconnections;
    /** Full resynchronisations served, and PSYNCs that asked for a partial one in vain. */
    public long syncFull;
    public long syncPartialErr;
    public long clientOutputBufferLimitDisconnections;
    /** Changes to the dataset since startup; commands add to it, the dispatcher watches it. */
    public long dirty;
    /** {@link #dirty} at the last successful save, for rdb_changes_since_last_save. */
    public long dirtyAtLastSave;
    /** When the dataset was last saved (startup time until the first save), unix ms. */
    public long lastSaveTimeMs = startTimeMs;
    /** Error reply counts by error code (the first word of the message), sorted as Redis's rax. */
    public final Map<String, Long> errors = new TreeMap<>();
    /** Replication ids and offset (INFO replication); DEBUG CHANGE-REPL-ID renews the id. */
    public String replId = randomHex40();
    public String replId2 = "0000000000000000000000000000000000000000";
    public long masterReplOffset;
    public final MemoryStats memory = new MemoryStats();
    public final CommandLatency commandLatency = new CommandLatency();
    public final LatencyEvents latencyEvents = new LatencyEvents();
    public final InstantaneousMetric opsPerSec = new InstantaneousMetric();
    public final InstantaneousMetric inputBytesPerSec = new InstantaneousMetric();
    public final InstantaneousMetric outputBytesPerSec = new InstantaneousMetric();
    private long lastSampleMs;

    /** A new random 40-character hex id, as Redis's run and replication ids. */
    public static String randomHex40() {
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    /** DEBUG CHANGE-REPL-ID: a new replication id, and no secondary one. */
    public void changeReplId() {
        replId = randomHex40();
        replId2 = "0000000000000000000000000000000000000000";
    }

    /** Counts an error reply by its code; codes are capped at 128 distinct as Redis does. */
    public void errorReply(String message) {
        totalErrorReplies++;
        int sp = message.indexOf(' ');
        String code = sp < 0 ? message : message.substring(0, sp);
        if (errors.size() >= 128 && !errors.containsKey(code)) {
            code = "ERRORSTATS_OVERFLOW"; // keep memory bounded under random error codes
        }
        errors.merge(code, 1L, Long::sum);
    }

    /** The persistence layer calls this after a successful save. */
    public void saved(long timeMs) {
        lastSaveTimeMs = timeMs;
        dirtyAtLastSave = dirty;
    }

    public long changesSinceLastSave() {
        return Math.max(0, dirty - dirtyAtLastSave);
    }

    /** Takes the instantaneous samples (called from the cron; samples at most every 100 ms). */
    public void sample(long nowMs) {
        if (nowMs - lastSampleMs < 100) {
            return;
        }
        lastSampleMs = nowMs;
        opsPerSec.sample(nowMs, totalCommands);
        inputBytesPerSec.sample(nowMs, netInputBytes);
        outputBytesPerSec.sample(nowMs, netOutputBytes);
        memory.sample();
    }

    /** CONFIG RESETSTAT: the counters Redis resets (not dirty, not the save figures). */
    public void reset() {
        totalConnections = rejectedConnections = totalCommands = totalErrorReplies = 0;
        netInputBytes = netOutputBytes = evictedKeys = evictedClients = unexpectedErrorReplies = 0;
        totalReadsProcessed = totalWritesProcessed = ioThreadedReads = 0;
        clientQueryBufferLimitDisconnections = clientOutputBufferLimitDisconnections = 0;
        syncFull = syncPartialErr = 0;
        errors.clear();
        commandLatency.reset();
        opsPerSec.reset();
        inputBytesPerSec.reset();
        outputBytesPerSec.reset();
    }
}
