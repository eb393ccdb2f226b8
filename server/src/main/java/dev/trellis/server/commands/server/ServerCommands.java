package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Server commands: CONFIG, INFO, SHUTDOWN, TIME, and
 * (registered from here) COMMAND, SLOWLOG, LATENCY, MONITOR, MEMORY and DEBUG.
 */
public final class ServerCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        ConfigCommands.register(t);
        t.bind("info", ServerCommands::info);
        t.bind("shutdown", ServerCommands::shutdown);
        t.bind("time", c -> {
            java.time.Instant now = java.time.Instant.now();
            c.reply().array(2);
            c.reply().bulk(Long.toString(now.getEpochSecond()));
            c.reply().bulk(Long.toString(now.getNano() / 1000));
        });
        CommandIntrospection.register(t);
        SlowLog.register(server, t);
        LatencyMonitor.register(server, t);
        Monitor.register(server, t);
        MemoryCommands.register(t);
        DebugCommands.register(server, t);
    }

    static void info(Client c) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argc; i++) {
            sections.add(c.argString(i));
        }
        c.reply().verbatim(c.server().info().generate(sections));
    }

    static void shutdown(Client c) {
        boolean save = false;
        boolean nosave = false;
        boolean force = false;
        boolean abort = false;
        boolean now = false;
        for (int i = 1; i < c.argc; i++) {
            if (c.argIs(i, "nosave")) {
                nosave = true;
            } else if (c.argIs(i, "save")) {
                save = true;
            } else if (c.argIs(i, "now")) {
                now = true; // there are no replicas to wait for
            } else if (c.argIs(i, "force")) {
                force = true;
            } else if (c.argIs(i, "abort")) {
                abort = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (save && nosave || abort && (save || nosave || now || force)) {
            throw CommandError.SYNTAX;
        }
        if (abort) {
            throw CommandError.of("ERR No shutdown in progress.");
        }
        String busy = c.server().dispatcher().busyReply();
        if (busy != null && !nosave) {
            // During a long script or module command only SHUTDOWN NOSAVE goes (the dataset may
            // be half way through the command's changes), as Redis.
            throw CommandError.of(busy);
        }
        String err = c.server().shutdown(save, nosave, force);
        if (err != null) {
            throw CommandError.of(err.startsWith("ERR") ? err : "ERR " + err);
        }
        // The connection closes with the server; Redis sends no reply on success.
    }
}
