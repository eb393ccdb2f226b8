package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.config.ConfigException;
import dev.trellis.server.keyspace.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Server commands: DBSIZE, FLUSHDB, FLUSHALL, CONFIG, INFO, SHUTDOWN, COMMAND, TIME. */
public final class ServerCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("dbsize", c -> c.reply().integer(c.db().size()));
        t.bind("flushdb", c -> {
            flushOption(c);
            long n = c.db().clear();
            c.server().stats().dirty += Math.max(1, n);
            c.reply().ok();
        });
        t.bind("flushall", c -> {
            flushOption(c);
            long n = 0;
            for (int i = 0; i < c.server().keyspace().databases(); i++) {
                n += c.server().keyspace().db(i).clear();
            }
            c.server().stats().dirty += Math.max(1, n);
            c.reply().ok();
        });
        t.bind("config|get", ServerCommands::configGet);
        t.bind("config|set", ServerCommands::configSet);
        t.bind("config|resetstat", c -> {
            c.server().stats().reset();
            c.server().commands().all().forEach(cmd -> cmd.resetStats());
            c.reply().ok();
        });
        t.bind("info", ServerCommands::info);
        t.bind("shutdown", ServerCommands::shutdown);
        t.bind("command|count", c -> c.reply().integer(c.server().commands().size()));
        t.bind("time", c -> {
            long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
            c.reply().array(2);
            c.reply().bulk(Long.toString(us / 1_000_000));
            c.reply().bulk(Long.toString(us % 1_000_000));
        });
    }

    private static void flushOption(Client c) {
        if (c.argc > 2 || (c.argc == 2 && !c.argIs(1, "async") && !c.argIs(1, "sync"))) {
            throw CommandError.SYNTAX;
        }
    }

    static void configGet(Client c) {
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

    static void configSet(Client c) {
        if (c.argc % 2 != 0) {
            throw CommandError.arity("config|set");
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc; i += 2) {
            pairs.add(new String[] {c.argString(i), c.argString(i + 1)});
        }
        try {
            boolean protectedOk = !c.server().config().enableProtectedConfigs.equals("no");
            c.server().config().setAtomically(pairs, protectedOk);
        } catch (ConfigException e) {
            throw CommandError.of(e.getMessage());
        }
        c.reply().ok();
    }

    static void info(Client c) {
        StringBuilder sb = new StringBuilder();
        Server s = c.server();
        sb.append("# Server\r\n");
        sb.append("redis_version:").append(Server.REDIS_VERSION).append("\r\n");
        sb.append("trellis_version:").append(Server.TRELLIS_VERSION).append("\r\n");
        sb.append("redis_mode:standalone\r\n");
        sb.append("process_id:").append(ProcessHandle.current().pid()).append("\r\n");
        sb.append("run_id:").append(s.runId()).append("\r\n");
        sb.append("tcp_port:").append(s.config().port).append("\r\n");
        sb.append("\r\n# Keyspace\r\n");
        for (int i = 0; i < s.keyspace().databases(); i++) {
            Database db = s.keyspace().db(i);
            if (db.size() > 0) {
                sb.append("db").append(i).append(":keys=").append(db.size()).append(",expires=")
                        .append(db.volatileSize()).append(",avg_ttl=").append(db.averageTtl(System.currentTimeMillis()))
                        .append("\r\n");
            }
        }
        c.reply().verbatim(sb.toString());
    }

    static void shutdown(Client c) {
        boolean save = false;
        boolean nosave = false;
        boolean force = false;
        for (int i = 1; i < c.argc; i++) {
            if (c.argIs(i, "nosave")) {
                nosave = true;
            } else if (c.argIs(i, "save")) {
                save = true;
            } else if (c.argIs(i, "now")) {
                // no replicas to wait for
            } else if (c.argIs(i, "force")) {
                force = true;
            } else if (c.argIs(i, "abort")) {
                throw CommandError.of("ERR No shutdown in progress.");
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (save && nosave) {
            throw CommandError.SYNTAX;
        }
        String err = c.server().shutdown(save, nosave, force);
        if (err != null) {
            throw CommandError.of(err.startsWith("ERR") ? err : "ERR " + err);
        }
        // The connection closes with the server; Redis sends no reply on success.
    }
}
