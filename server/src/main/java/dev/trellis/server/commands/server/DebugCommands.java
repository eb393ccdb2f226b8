package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandHandler;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.types.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * DEBUG (guarded by enable-debug-command in the dispatcher). Subcommands live in a registry
 * on the server so features add their own; the ones here concern the server as a whole.
 */
final class DebugCommands {
    private DebugCommands() {
    }

    static void register(Server server, CommandTable t) {
        t.bind("debug", DebugCommands::debug);
        server.debugSubcommand("help", DebugCommands::help);
        server.debugSubcommand("sleep", DebugCommands::sleep);
        server.debugSubcommand("object", DebugCommands::object);
        server.debugSubcommand("set-active-expire", c -> {
            requireArgs(c, 3, 3);
            c.server().keyspace().activeExpireEnabled(atoi(c.argString(2)) != 0);
            c.reply().ok();
        });
        server.debugSubcommand("digest", c -> {
            requireArgs(c, 2, 2);
            c.reply().simple(Digests.hex(Digests.dataset(c.server())));
        });
        server.debugSubcommand("digest-value", c -> {
            c.reply().array(c.argc - 2L);
            for (int i = 2; i < c.argc; i++) {
                KeyEntry e = c.db().peek(c.arg(i));
                c.reply().simple(Digests.hex(e == null ? new byte[20] : Digests.key(e, c.db().id())));
            }
        });
        server.debugSubcommand("populate", DebugCommands::populate);
        server.debugSubcommand("change-repl-id", c -> {
            requireArgs(c, 2, 2);
            ServerLog.get().notice("Changing replication IDs after receiving DEBUG change-repl-id");
            c.server().stats().changeReplId();
            c.reply().ok();
        });
        server.debugSubcommand("log", c -> {
            requireArgs(c, 3, 3);
            ServerLog.get().warning("DEBUG LOG: " + c.argString(2));
            c.reply().ok();
        });
        server.debugSubcommand("protocol", DebugCommands::protocol);
        server.debugSubcommand("sdslen", c -> {
            requireArgs(c, 3, 3);
            KeyEntry e = c.db().peek(c.arg(2));
            if (e == null) {
                throw CommandError.NO_SUCH_KEY;
            }
            if (!(e.value() instanceof byte[] v) || Values.encoding(v).equals("int")) {
                throw CommandError.of("ERR Not an sds encoded string.");
            }
            c.reply().simple("key_sds_len:" + e.key().length + ", key_sds_avail:0, key_zmalloc: "
                    + MemoryCommands.arrayBytes(e.key().length) + ", val_sds_len:" + v.length
                    + ", val_sds_avail:0, val_zmalloc: " + MemoryCommands.arrayBytes(v.length));
        });
    }

    private static void debug(Client c) {
        CommandHandler sub = c.server().debugSubcommand(c.argString(1));
        if (sub == null) {
            throw unknown(c);
        }
        sub.execute(c);
    }

    private static CommandError unknown(Client c) {
        String name = c.argString(1);
        return CommandError.of("ERR unknown subcommand or wrong number of arguments for '"
                + (name.length() > 128 ? name.substring(0, 128) : name) + "'. Try DEBUG HELP.");
    }

    /** Subcommands check their own argument count, answering as Redis does when it is wrong. */
    static void requireArgs(Client c, int min, int max) {
        if (c.argc < min || c.argc > max) {
            throw unknown(c);
        }
    }

    /** C's atoi: leading digits, 0 when there are none. */
    private static long atoi(String s) {
        int i = 0;
        boolean neg = false;
        s = s.strip();
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return neg ? -v : v;
    }

    private static void help(Client c) {
        List<String> lines = new ArrayList<>();
        lines.add("Subcommands available on this server:");
        for (String name : c.server().debugSubcommandNames()) {
            if (!name.equals("help")) {
                lines.add("    " + name.toUpperCase(java.util.Locale.ROOT));
            }
        }
        HelpReply.write(c, "DEBUG", lines);
    }

    private static void sleep(Client c) {
        requireArgs(c, 3, 3);
        double seconds;
        try {
            seconds = Double.parseDouble(c.argString(2).strip());
        } catch (NumberFormatException e) {
            seconds = 0; // strtod semantics: garbage means zero
        }
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    private static void object(Client c) {
        requireArgs(c, 3, 3);
        KeyEntry e = c.db().peek(c.arg(2));
        if (e == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        Object v = e.value();
        long serialized = v instanceof byte[] b ? b.length + 1 : Math.max(1, MemoryCommands.valueBytes(v) / 2);
        c.reply().simple("Value at:0x" + Long.toHexString(System.identityHashCode(v)) + " refcount:1 encoding:"
                + Values.encoding(v) + " serializedlength:" + serialized + " lru:" + (e.access() & AccessClock.LRU_MAX)
                + " lru_seconds_idle:" + AccessClock.idleSeconds(e.access()));
    }

    private static void populate(Client c) {
        requireArgs(c, 3, 5);
        long count = positive(c.arg(2));
        long size = c.argc == 5 ? positive(c.arg(4)) : 0;
        String prefix = c.argc >= 4 ? c.argString(3) : "key";
        Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.UTF_8);
            if (db.lookup(key) != null) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = text;
            if (size > 0) {
                value = new byte[(int) Math.min(size, Integer.MAX_VALUE - 8)];
                System.arraycopy(text, 0, value, 0, Math.min(text.length, value.length));
            }
            db.add(key, value);
            c.server().keyspace().signalModified(db, key);
        }
        c.reply().ok();
    }

    private static long positive(byte[] arg) {
        Long v = Args.tryLong(arg);
        if (v == null) {
            throw CommandError.NOT_INTEGER;
        }
        if (v < 0) {
            throw CommandError.of("ERR value is out of range, must be positive");
        }
        return v;
    }

    private static void protocol(Client c) {
        requireArgs(c, 3, 3);
        String name = c.argString(2).toLowerCase(java.util.Locale.ROOT);
        var r = c.reply();
        switch (name) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array" -> {
                r.array(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "set" -> {
                r.set(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.resp3()) {
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) {
                    throw CommandError.of("ERR RESP2 is not supported by this command");
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("This is a verbatim\nstring");
            default -> throw CommandError.of("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }
}
