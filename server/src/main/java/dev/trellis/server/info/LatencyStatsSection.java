package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.command.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** INFO latencystats: percentiles of each command's latency (latency-tracking yes). */
final class LatencyStatsSection implements InfoSection {
    private final Server server;

    LatencyStatsSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        if (!"yes".equals(get("latency-tracking", "yes"))) {
            return;
        }
        List<Double> percentiles = new ArrayList<>();
        for (String p : get("latency-tracking-info-percentiles", "50 99 99.9").trim().split("\\s+")) {
            try {
                percentiles.add(Double.parseDouble(p));
            } catch (NumberFormatException ignored) {
                // validated when set
            }
        }
        for (Command c : server.commands().all()) {
            write(out, c, percentiles);
        }
    }

    private void write(InfoOutput out, Command c, List<Double> percentiles) {
        LatencyHistogram h = server.stats().commandLatency.get(c);
        if (h != null && h.count() > 0) {
            StringBuilder sb = new StringBuilder("latency_percentiles_usec_").append(InfoOutput.safe(c.fullName())).append(':');
            for (int i = 0; i < percentiles.size(); i++) {
                double p = percentiles.get(i);
                sb.append(i > 0 ? "," : "").append('p').append(trim(p)).append('=')
                        .append(String.format(Locale.ROOT, "%.3f", h.valueAt(p) / 1000.0));
            }
            out.line(sb.toString());
        }
        for (Command sub : c.subcommands().values()) {
            write(out, sub, percentiles);
        }
    }

    /** 50.0 prints as "50", 99.9 as "99.9" (Redis trims the zeros of %f). */
    static String trim(double p) {
        String s = String.format(Locale.ROOT, "%f", p);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    private String get(String name, String fallback) {
        var p = server.config().find(name);
        return p == null ? fallback : p.get();
    }
}
