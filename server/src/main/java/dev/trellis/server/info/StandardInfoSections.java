package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.info.InfoRegistry.Kind;

/** Registers Redis's INFO sections, in Redis's order, and the cron sampling they rely on. */
public final class StandardInfoSections {
    private StandardInfoSections() {
    }

    public static void register(Server server) {
        InfoRegistry r = server.info();
        r.register("server", "Server", Kind.STANDARD, true, new ServerSection(server));
        r.register("clients", "Clients", Kind.STANDARD, true, new ClientsSection(server));
        r.register("memory", "Memory", Kind.STANDARD, true, new MemorySection(server));
        r.register("persistence", "Persistence", Kind.STANDARD, true, new PersistenceSection(server));
        r.register("stats", "Stats", Kind.STANDARD, true, new StatsSection(server));
        r.register("replication", "Replication", Kind.STANDARD, true, new ReplicationSection(server));
        r.register("cpu", "CPU", Kind.STANDARD, true, new CpuSection());
        // The module host lists loaded modules here (extend "modules").
        r.register("modules", "Modules", Kind.STANDARD, true, out -> { });
        r.register("commandstats", "Commandstats", Kind.STANDARD, false, new CommandStatsSection(server));
        r.register("errorstats", "Errorstats", Kind.STANDARD, true, new ErrorStatsSection(server.stats()));
        r.register("latencystats", "Latencystats", Kind.STANDARD, false, new LatencyStatsSection(server));
        r.register("cluster", "Cluster", Kind.STANDARD, true, out -> out.field("cluster_enabled", 0));
        r.register("keyspace", "Keyspace", Kind.STANDARD, true, new KeyspaceSection(server));
        server.addCronTask(() -> server.stats().sample(System.currentTimeMillis()));
        // latency-tracking: per-command latency histograms for INFO latencystats and LATENCY HISTOGRAM.
        var tracking = server.config().find("latency-tracking");
        boolean[] on = {tracking == null || tracking.get().equals("yes")};
        CommandLatency latency = server.stats().commandLatency;
        var hook = server.dispatcher().addObserver((c, cmd, dirty, startMs, micros) -> {
            // A command that blocked is recorded once, when it completes.
            if (on[0] && (c.flags & dev.trellis.server.client.Client.FLAG_BLOCKED) == 0) {
                latency.record(cmd, micros * 1000);
            }
        });
        hook.enabled(on[0]);
        server.config().onChange("latency-tracking", v -> {
            on[0] = v.equals("yes");
            hook.enabled(on[0]);
        });
        server.dispatcher().addUnblockObserver((c, cmd, micros) -> {
            if (on[0]) {
                latency.record(cmd, micros * 1000);
            }
        });
    }
}
