package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: commands that took at least slowlog-log-slower-than microseconds (negative
 * turns it off, 0 logs everything), newest first, at most slowlog-max-len entries. Arguments
 * are kept as Redis keeps them: 32 at most, each cut to 128 bytes.
 */
final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    record Entry(long id, long time, long micros, byte[][] args, String peer, String name) {
    }

    private final Server server;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    private SlowLog(Server server) {
        this.server = server;
    }

    static void register(Server server, CommandTable t) {
        SlowLog log = new SlowLog(server);
        server.dispatcher().addObserver((c, cmd, dirty, startMs, micros) -> {
            if ((c.flags & Client.FLAG_BLOCKED) == 0) { // a blocked command is logged when it completes
                log.executed(c, cmd, micros);
            }
        });
        server.dispatcher().addUnblockObserver(log::executed);
        t.bind("slowlog|get", log::get);
        t.bind("slowlog|len", c -> c.reply().integer(log.entries.size()));
        t.bind("slowlog|reset", c -> {
            log.entries.clear();
            c.reply().ok();
        });
        t.bind("slowlog|help", c -> HelpReply.write(c, "SLOWLOG", List.of(
                "GET [<count>]",
                "    Return the newest <count> entries (default 10, -1 for all). Each entry holds:",
                "    id, unix time, duration in microseconds, arguments, client address and name.",
                "LEN", "    Return the number of entries.",
                "RESET", "    Remove every entry.")));
    }

    private void executed(Client c, Command cmd, long micros) {
        long threshold = server.config().slowlogSlowerThan;
        if (threshold < 0 || micros < threshold || cmd.has(CommandFlags.SKIP_SLOWLOG)) {
            return;
        }
        byte[][] argv = c.shownArgv != null ? c.shownArgv : c.argv;
        int argc = Math.min(c.argc, argv == null ? 0 : argv.length);
        int n = Math.min(argc, MAX_ARGC);
        byte[][] kept = new byte[n][];
        for (int j = 0; j < n; j++) {
            if (n != argc && j == n - 1) {
                kept[j] = ("... (" + (argc - n + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (argv[j].length > MAX_STRING) {
                byte[] cut = new byte[MAX_STRING];
                System.arraycopy(argv[j], 0, cut, 0, MAX_STRING);
                byte[] tail = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] both = new byte[MAX_STRING + tail.length];
                System.arraycopy(cut, 0, both, 0, MAX_STRING);
                System.arraycopy(tail, 0, both, MAX_STRING, tail.length);
                kept[j] = both;
            } else {
                kept[j] = argv[j].clone();
            }
        }
        String peer = c.transport() == null ? "" : c.transport().remoteAddress();
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, kept, peer,
                c.name() == null ? "" : c.name()));
        trim();
    }

    private void trim() {
        long max = Math.max(0, server.config().slowlogMaxLen);
        while (entries.size() > max) {
            entries.removeLast();
        }
    }

    private void get(Client c) {
        trim();
        long count = 10;
        if (c.argc == 3) {
            Long v = Args.tryLong(c.arg(2));
            if (v == null || v < -1) {
                throw CommandError.of("ERR count should be greater than or equal to -1");
            }
            count = v == -1 ? entries.size() : v;
        } else if (c.argc > 3) {
            throw CommandError.of("ERR unknown subcommand or wrong number of arguments for '" + c.argString(1) + "'. Try SLOWLOG HELP.");
        }
        count = Math.min(count, entries.size());
        c.reply().array(count);
        Iterator<Entry> it = entries.iterator();
        for (long i = 0; i < count; i++) {
            Entry e = it.next();
            c.reply().array(6);
            c.reply().integer(e.id());
            c.reply().integer(e.time());
            c.reply().integer(e.micros());
            c.reply().array(e.args().length);
            for (byte[] a : e.args()) {
                c.reply().bulk(a);
            }
            c.reply().bulk(e.peer());
            c.reply().bulk(e.name());
        }
    }
}
