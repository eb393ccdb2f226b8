package dev.trellis.server.info;

/**
 * A rate averaged over the last 16 samples taken every 100 ms, as Redis's instantaneous_*
 * figures: each sample is the counter's increase per second since the previous sample.
 */
public final class InstantaneousMetric {
    private static final int SAMPLES = 16;
    private final long[] samples = new long[SAMPLES];
    private int index;
    private long lastTimeMs = -1;
    private long lastValue;

    /** Records the counter's current value. */
    public void sample(long nowMs, long value) {
        if (lastTimeMs >= 0) {
            long dt = nowMs - lastTimeMs;
            long dv = value - lastValue;
            samples[index] = dt > 0 ? dv * 1000 / dt : 0;
            index = (index + 1) % SAMPLES;
        }
        lastTimeMs = nowMs;
        lastValue = value;
    }

    /** The average rate per second. */
    public long perSecond() {
        long sum = 0;
        for (long s : samples) {
            sum += s;
        }
        return sum / SAMPLES;
    }

    public void reset() {
        java.util.Arrays.fill(samples, 0);
        lastTimeMs = -1;
    }
}
