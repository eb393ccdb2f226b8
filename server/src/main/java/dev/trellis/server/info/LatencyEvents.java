package dev.trellis.server.info;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latency monitor: per event ("command", "fast-command", "expire-cycle"...), the last 160
 * samples at one-second resolution and the all-time maximum, in milliseconds. Callers add
 * samples only above latency-monitor-threshold (see {@link #addIfNeeded}).
 */
public final class LatencyEvents {
    public static final int SAMPLES = 160;

    /** One event's samples in a ring; time 0 marks an empty slot. */
    public static final class Series {
        public final long[] times = new long[SAMPLES];
        public final long[] latencies = new long[SAMPLES];
        public int next;
        public long max;

        /** Index of the most recent sample. */
        public int last() {
            return (next + SAMPLES - 1) % SAMPLES;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    private volatile long thresholdMs;

    public void threshold(long ms) {
        thresholdMs = ms;
    }

    /** Records {@code ms} for {@code event} when the monitor is on and the latency reaches the threshold. */
    public void addIfNeeded(String event, long ms) {
        long t = thresholdMs;
        if (t > 0 && ms >= t) {
            add(event, ms);
        }
    }

    public synchronized void add(String event, long ms) {
        Series s = events.computeIfAbsent(event, k -> new Series());
        long now = System.currentTimeMillis() / 1000;
        if (ms > s.max) {
            s.max = ms;
        }
        int prev = s.last();
        if (s.times[prev] == now) {
            s.latencies[prev] = Math.max(s.latencies[prev], ms);
            return;
        }
        s.times[s.next] = now;
        s.latencies[s.next] = ms;
        s.next = (s.next + 1) % SAMPLES;
    }

    public synchronized Map<String, Series> all() {
        return new LinkedHashMap<>(events);
    }

    public synchronized Series get(String event) {
        return events.get(event);
    }

    /** Forgets one event (or all when null); returns how many were reset. */
    public synchronized int reset(String event) {
        if (event == null) {
            int n = events.size();
            events.clear();
            return n;
        }
        return events.remove(event) == null ? 0 : 1;
    }
}
