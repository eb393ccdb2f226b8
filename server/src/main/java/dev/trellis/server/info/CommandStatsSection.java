package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.command.Command;

/** INFO commandstats: calls, time and failures per command and subcommand that ran. */
final class CommandStatsSection implements InfoSection {
    private final Server server;

    CommandStatsSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        for (Command c : server.commands().all()) {
            write(out, c);
        }
    }

    private static void write(InfoOutput out, Command c) {
        if (c.calls != 0 || c.failedCalls != 0 || c.rejectedCalls != 0) {
            double perCall = c.calls == 0 ? 0 : (double) c.microseconds / c.calls;
            out.line("cmdstat_" + InfoOutput.safe(c.fullName()) + ":calls=" + c.calls + ",usec=" + c.microseconds
                    + ",usec_per_call=" + InfoOutput.fixed2(perCall) + ",rejected_calls=" + c.rejectedCalls
                    + ",failed_calls=" + c.failedCalls);
        }
        for (Command sub : c.subcommands().values()) {
            write(out, sub);
        }
    }
}
