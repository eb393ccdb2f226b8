package dev.trellis.server.info;

import dev.trellis.server.command.Command;
import java.util.IdentityHashMap;
import java.util.Map;

/** Latency histograms per command for INFO latencystats (latency-tracking). */
public final class CommandLatency {
    private final Map<Command, LatencyHistogram> histograms = new IdentityHashMap<>();
    /** The last command recorded and its histogram: a pipeline mostly repeats one command. */
    private Command lastCommand;
    private LatencyHistogram lastHistogram;

    public void record(Command cmd, long nanos) {
        LatencyHistogram h;
        if (cmd == lastCommand) {
            h = lastHistogram;
        } else {
            h = histograms.get(cmd);
            if (h == null) {
                h = new LatencyHistogram();
                histograms.put(cmd, h);
            }
            lastCommand = cmd;
            lastHistogram = h;
        }
        h.record(nanos);
    }

    public LatencyHistogram get(Command cmd) {
        return histograms.get(cmd);
    }

    public void reset() {
        histograms.clear();
        lastCommand = null;
        lastHistogram = null;
    }
}
