package dev.trellis.server.info;

import java.util.LinkedHashMap;
import java.util.Map;

/** Server-wide counters reported by INFO stats and reset by CONFIG RESETSTAT. */
public final class ServerStats {
    public final long startTimeMs = System.currentTimeMillis();
    public final long startNanos = System.nanoTime();
    public long totalConnections;
    public long rejectedConnections;
    public long totalCommands;
    public long totalErrorReplies;
    public long netInputBytes;
    public long netOutputBytes;
    public long evictedKeys;
    public long evictedClients;
    public long unexpectedErrorReplies;
    public long ioThreadedReads;
    public long clientQueryBufferLimitDisconnections;
    public long clientOutputBufferLimitDisconnections;
    public long dirty;
    /** Error reply counts by error code (the first word of the message): errorstats. */
    public final Map<String, Long> errors = new LinkedHashMap<>();

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

    public void reset() {
        totalConnections = rejectedConnections = totalCommands = totalErrorReplies = 0;
        netInputBytes = netOutputBytes = evictedKeys = evictedClients = unexpectedErrorReplies = 0;
        clientQueryBufferLimitDisconnections = clientOutputBufferLimitDisconnections = 0;
        errors.clear();
    }
}
