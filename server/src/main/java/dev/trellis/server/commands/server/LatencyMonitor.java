package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.info.LatencyEvents;
import dev.trellis.server.info.LatencyHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** LATENCY LATEST, HISTORY, RESET, GRAPH, DOCTOR, HISTOGRAM, HELP, and the "command" latency events. */
final class LatencyMonitor {
    private LatencyMonitor() {
    }

    static void register(Server server, CommandTable t) {
        LatencyEvents events = server.stats().latencyEvents;
        events.threshold(server.config().latencyMonitorThreshold);
        // Called only while the latency monitor is on (a threshold above 0).
        Dispatcher.Hook hook = server.dispatcher().addObserver((c, cmd, dirty, startMs, micros) ->
                events.addIfNeeded(cmd.has(CommandFlags.FAST) ? "fast-command" : "command", micros / 1000));
        hook.enabled(server.config().latencyMonitorThreshold > 0);
        server.config().onChange("latency-monitor-threshold", v -> {
            events.threshold(Long.parseLong(v));
            hook.enabled(Long.parseLong(v) > 0);
        });
        t.bind("latency|latest", c -> {
            Map<String, LatencyEvents.Series> all = events.all();
            c.reply().array(all.size());
            for (Map.Entry<String, LatencyEvents.Series> e : all.entrySet()) {
                LatencyEvents.Series s = e.getValue();
                int last = s.last();
                c.reply().array(4);
                c.reply().bulk(e.getKey());
                c.reply().integer(s.times[last]);
                c.reply().integer(s.latencies[last]);
                c.reply().integer(s.max);
            }
        });
        t.bind("latency|history", c -> {
            LatencyEvents.Series s = events.get(c.argString(2));
            List<long[]> samples = samples(s);
            c.reply().array(samples.size());
            for (long[] p : samples) {
                c.reply().array(2);
                c.reply().integer(p[0]);
                c.reply().integer(p[1]);
            }
        });
        t.bind("latency|reset", c -> {
            if (c.argc == 2) {
                c.reply().integer(events.reset(null));
                return;
            }
            int n = 0;
            for (int i = 2; i < c.argc; i++) {
                n += events.reset(c.argString(i));
            }
            c.reply().integer(n);
        });
        t.bind("latency|graph", c -> {
            String name = c.argString(2);
            LatencyEvents.Series s = events.get(name);
            if (s == null) {
                throw CommandError.of("ERR No samples available for event '" + name + "'");
            }
            c.reply().verbatim(graph(name, s));
        });
        t.bind("latency|doctor", c -> c.reply().verbatim(doctor(server, events)));
        t.bind("latency|histogram", LatencyMonitor::histogram);
        t.bind("latency|help", c -> HelpReply.write(c, "LATENCY", List.of(
                "DOCTOR", "    Return a short report about the latency events seen.",
                "GRAPH <event>", "    Return a text graph of the <event> samples.",
                "HISTORY <event>", "    Return the time and latency samples of <event>.",
                "LATEST", "    Return the latest sample of every event.",
                "RESET [<event> ...]", "    Forget the samples of the given events, or of all of them.",
                "HISTOGRAM [<command> ...]",
                "    Return the cumulative latency distribution of the given commands, or of all of them.")));
    }

    /** The samples in time order: {unix time, latency ms}. */
    private static List<long[]> samples(LatencyEvents.Series s) {
        List<long[]> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        for (int j = 0; j < LatencyEvents.SAMPLES; j++) {
            int i = (s.next + j) % LatencyEvents.SAMPLES;
            if (s.times[i] != 0) {
                out.add(new long[] {s.times[i], s.latencies[i]});
            }
        }
        return out;
    }

    private static String graph(String name, LatencyEvents.Series s) {
        List<long[]> samples = samples(s);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long[] p : samples) {
            min = Math.min(min, p[1]);
            max = Math.max(max, p[1]);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" - high ").append(max).append(" ms, low ").append(samples.isEmpty() ? 0 : min)
                .append(" ms (all time high ").append(s.max).append(" ms)\n").append("-".repeat(80)).append('\n');
        // One column per sample, height proportional to the latency.
        int rows = 4;
        for (int row = rows; row >= 1; row--) {
            for (long[] p : samples) {
                long h = max == 0 ? 0 : Math.round((double) p[1] * rows / max);
                sb.append(h >= row ? '#' : ' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String doctor(Server server, LatencyEvents events) {
        Map<String, LatencyEvents.Series> all = events.all();
        StringBuilder sb = new StringBuilder();
        if (server.config().latencyMonitorThreshold == 0 && all.isEmpty()) {
            sb.append("The latency monitor is disabled: set latency-monitor-threshold to a number of milliseconds "
                    + "(CONFIG SET latency-monitor-threshold <ms>) to record events slower than that.\n");
            return sb.toString();
        }
        if (all.isEmpty()) {
            sb.append("No latency events were recorded above the ").append(server.config().latencyMonitorThreshold)
                    .append(" ms threshold.\n");
            return sb.toString();
        }
        sb.append("Latency events recorded (threshold ").append(server.config().latencyMonitorThreshold).append(" ms):\n\n");
        int n = 1;
        for (Map.Entry<String, LatencyEvents.Series> e : all.entrySet()) {
            List<long[]> samples = samples(e.getValue());
            long sum = 0;
            for (long[] p : samples) {
                sum += p[1];
            }
            sb.append(n++).append(". ").append(e.getKey()).append(": ").append(samples.size())
                    .append(" latency spikes (average ").append(samples.isEmpty() ? 0 : sum / samples.size())
                    .append("ms, all time high ").append(e.getValue().max).append("ms).\n");
        }
        return sb.toString();
    }

    private static void histogram(Client c) {
        Server s = c.server();
        List<Command> chosen = new ArrayList<>();
        if (c.argc == 2) {
            for (Command cmd : s.commands().all()) {
                chosen.add(cmd);
                chosen.addAll(cmd.subcommands().values());
            }
        } else {
            for (int i = 2; i < c.argc; i++) {
                Command cmd = s.commands().getFull(c.argString(i));
                if (cmd != null) {
                    chosen.add(cmd);
                    chosen.addAll(cmd.subcommands().values());
                }
            }
        }
        List<Command> withData = new ArrayList<>();
        for (Command cmd : chosen) {
            LatencyHistogram h = s.stats().commandLatency.get(cmd);
            if (h != null && h.count() > 0) {
                withData.add(cmd);
            }
        }
        c.reply().map(withData.size());
        for (Command cmd : withData) {
            LatencyHistogram h = s.stats().commandLatency.get(cmd);
            c.reply().bulk(cmd.fullName());
            c.reply().map(2);
            c.reply().bulk("calls");
            c.reply().integer(h.count());
            c.reply().bulk("histogram_usec");
            // Cumulative counts at power-of-two bucket edges from 1024 ns, as Redis reports them.
            List<long[]> points = new ArrayList<>();
            long previous = 0;
            for (long edge = 1024; ; edge <<= 1) {
                long cumulative = h.countAtOrBelow(edge - 1);
                if (cumulative > previous) {
                    points.add(new long[] {edge / 1000, cumulative});
                }
                previous = cumulative;
                if (cumulative >= h.count() || edge > (1L << 50)) {
                    break;
                }
            }
            c.reply().map(points.size());
            for (long[] p : points) {
                c.reply().integer(p[0]);
                c.reply().integer(p[1]);
            }
        }
    }
}
