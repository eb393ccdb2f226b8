package dev.trellis.server.info;

import java.util.Map;

/** INFO errorstats: error replies counted by their code, in code order. */
final class ErrorStatsSection implements InfoSection {
    private final ServerStats stats;

    ErrorStatsSection(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void write(InfoOutput out) {
        for (Map.Entry<String, Long> e : stats.errors.entrySet()) {
            out.line("errorstat_" + InfoOutput.safe(e.getKey()) + ":count=" + e.getValue());
        }
    }
}
