package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.config.ConfigException;
import dev.trellis.server.config.ConfigRewriter;
import dev.trellis.server.config.ProtectedAction;
import dev.trellis.server.log.ServerLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CONFIG GET, SET, RESETSTAT, REWRITE and HELP. */
final class ConfigCommands {
    private ConfigCommands() {
    }

    static void register(CommandTable t) {
        t.bind("config|get", ConfigCommands::get);
        t.bind("config|set", ConfigCommands::set);
        t.bind("config|resetstat", ConfigCommands::resetStat);
        t.bind("config|rewrite", ConfigCommands::rewrite);
        t.bind("config|help", c -> HelpReply.write(c, "CONFIG", List.of(
                "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value> [<directive> <value> ...]", "    Set the given parameters, all of them or none.",
                "RESETSTAT", "    Reset the statistics reported by the INFO command.",
                "REWRITE", "    Write the current configuration into the file the server was started with.")));
    }

    static void get(Client c) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc; i++) {
            patterns.add(c.argString(i));
        }
        Map<String, String> values = c.server().config().get(patterns);
        c.reply().map(values.size());
        for (Map.Entry<String, String> e : values.entrySet()) {
            c.reply().bulk(e.getKey());
            c.reply().bulk(e.getValue());
        }
    }

    static void set(Client c) {
        if (c.argc % 2 != 0) {
            throw CommandError.arity("config|set");
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc; i += 2) {
            pairs.add(new String[] {c.argString(i), c.argString(i + 1)});
        }
        try {
            boolean protectedOk = ProtectedAction.allowed(c.server().config().enableProtectedConfigs, c.transport());
            c.server().config().setAtomically(pairs, protectedOk);
        } catch (ConfigException e) {
            throw CommandError.of(e.getMessage());
        }
        c.reply().ok();
    }

    static void resetStat(Client c) {
        Server s = c.server();
        s.stats().reset();
        s.keyspace().expiredKeys = 0;
        s.keyspace().expiredStalePercSum = 0;
        s.keyspace().keyspaceHits = 0;
        s.keyspace().keyspaceMisses = 0;
        for (Command cmd : s.commands().all()) {
            cmd.resetStats();
        }
        c.reply().ok();
    }

    static void rewrite(Client c) {
        String file = c.server().config().configFile();
        if (file == null) {
            throw CommandError.of("ERR The server is running without a config file");
        }
        try {
            ConfigRewriter.rewrite(c.server().config(), Path.of(file));
        } catch (IOException e) {
            String reason = ConfigRewriter.reason(e);
            ServerLog.get().warning("CONFIG REWRITE failed: " + reason);
            throw CommandError.of("ERR Rewriting config file: " + reason);
        }
        ServerLog.get().notice("CONFIG REWRITE executed with success.");
        c.reply().ok();
    }
}
