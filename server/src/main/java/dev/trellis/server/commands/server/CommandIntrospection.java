package dev.trellis.server.commands.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.command.KeySpec;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.util.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** COMMAND, COMMAND COUNT, LIST, INFO, DOCS, GETKEYS, GETKEYSANDFLAGS and HELP, in Redis 7's reply shapes. */
final class CommandIntrospection {
    private CommandIntrospection() {
    }

    static void register(CommandTable t) {
        t.bind("command", c -> allInfo(c));
        t.bind("command|count", c -> c.reply().integer(c.server().commands().size()));
        t.bind("command|list", CommandIntrospection::list);
        t.bind("command|info", CommandIntrospection::info);
        t.bind("command|docs", CommandIntrospection::docs);
        t.bind("command|getkeys", c -> getKeys(c, false));
        t.bind("command|getkeysandflags", c -> getKeys(c, true));
        t.bind("command|help", c -> HelpReply.write(c, "COMMAND", List.of(
                "(no subcommand)", "    Return details about all commands.",
                "COUNT", "    Return the number of commands.",
                "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
                "    Return the names of the commands, optionally filtered.",
                "INFO [<command-name> ...]", "    Return details about the given commands, or all of them.",
                "DOCS [<command-name> ...]", "    Return documentation details about the given commands, or all of them.",
                "GETKEYS <full-command>", "    Return the keys in a full command.",
                "GETKEYSANDFLAGS <full-command>", "    Return the keys in a full command and how they are accessed.")));
    }

    private static void allInfo(Client c) {
        c.reply().array(c.server().commands().size());
        for (Command cmd : c.server().commands().all()) {
            writeInfo(c.reply(), cmd);
        }
    }

    static void info(Client c) {
        if (c.argc == 2) {
            allInfo(c);
            return;
        }
        c.reply().array(c.argc - 2L);
        for (int i = 2; i < c.argc; i++) {
            Command cmd = c.server().commands().getFull(c.argString(i));
            if (cmd == null) {
                c.reply().nullBulk();
            } else {
                writeInfo(c.reply(), cmd);
            }
        }
    }

    static void writeInfo(Reply r, Command cmd) {
        CommandMetadata.LegacyRange range = CommandMetadata.legacyRange(cmd);
        r.array(10);
        r.bulk(cmd.fullName());
        r.integer(cmd.arity());
        statusSet(r, CommandMetadata.flagNames(cmd));
        r.integer(range.first());
        r.integer(range.last());
        r.integer(range.step());
        List<String> cats = CommandMetadata.aclCategories(cmd);
        r.set(cats.size());
        for (String cat : cats) {
            r.simple("@" + cat);
        }
        JsonNode meta = CommandMetadata.meta(cmd);
        JsonNode tips = meta.path("tips");
        r.set(tips.size());
        for (JsonNode tip : tips) {
            r.bulk(tip.asText());
        }
        writeKeySpecs(r, cmd);
        if (cmd.subcommands().isEmpty()) {
            r.set(0);
        } else {
            r.array(cmd.subcommands().size());
            for (Command sub : cmd.subcommands().values()) {
                writeInfo(r, sub);
            }
        }
    }

    private static void statusSet(Reply r, List<String> names) {
        r.set(names.size());
        for (String n : names) {
            r.simple(n);
        }
    }

    private static void writeKeySpecs(Reply r, Command cmd) {
        JsonNode json = CommandMetadata.meta(cmd).path("key_specs");
        List<KeySpec> specs = cmd.keySpecs();
        boolean useJson = json.isArray() && json.size() == specs.size();
        r.set(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            KeySpec s = specs.get(i);
            r.map(3);
            r.bulk("flags");
            statusSet(r, CommandMetadata.keyFlagNames(s.flags()));
            JsonNode bs = useJson ? json.get(i).path("begin_search") : null;
            JsonNode fk = useJson ? json.get(i).path("find_keys") : null;
            r.bulk("begin_search");
            r.map(2);
            r.bulk("type");
            if (bs != null && bs.has("unknown")) {
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
            } else if (s.bsKeyword() != null) {
                r.bulk("keyword");
                r.bulk("spec");
                r.map(2);
                r.bulk("keyword");
                r.bulk(s.bsKeyword());
                r.bulk("startfrom");
                r.integer(s.bsKeywordStart());
            } else {
                r.bulk("index");
                r.bulk("spec");
                r.map(1);
                r.bulk("index");
                r.integer(s.bsIndex());
            }
            r.bulk("find_keys");
            r.map(2);
            r.bulk("type");
            if (fk != null && fk.has("unknown")) {
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
            } else if (s.rangeKind()) {
                r.bulk("range");
                r.bulk("spec");
                r.map(3);
                r.bulk("lastkey");
                r.integer(s.lastKey());
                r.bulk("keystep");
                r.integer(s.keyStep());
                r.bulk("limit");
                r.integer(s.limit());
            } else {
                r.bulk("keynum");
                r.bulk("spec");
                r.map(3);
                r.bulk("keynumidx");
                r.integer(s.keyNumIndex());
                r.bulk("firstkey");
                r.integer(s.firstKey());
                r.bulk("keystep");
                r.integer(s.keyNumStep());
            }
        }
    }

    static void docs(Client c) {
        if (c.argc == 2) {
            c.reply().map(c.server().commands().size());
            for (Command cmd : c.server().commands().all()) {
                c.reply().bulk(cmd.fullName());
                writeDocs(c.reply(), cmd);
            }
            return;
        }
        List<Command> found = new ArrayList<>();
        for (int i = 2; i < c.argc; i++) {
            Command cmd = c.server().commands().getFull(c.argString(i));
            if (cmd != null) {
                found.add(cmd);
            }
        }
        c.reply().map(found.size());
        for (Command cmd : found) {
            c.reply().bulk(cmd.fullName());
            writeDocs(c.reply(), cmd);
        }
    }

    /**
     * The documentation map. Trellis's table holds Redis's facts but not its prose, so summary,
     * complexity and history are absent, as they are for a module command without docs.
     */
    static void writeDocs(Reply r, Command cmd) {
        JsonNode meta = CommandMetadata.meta(cmd);
        boolean module = cmd.has(CommandFlags.MODULE);
        List<String> docFlags = new ArrayList<>();
        for (JsonNode f : meta.path("doc_flags")) {
            docFlags.add(f.asText().toLowerCase(Locale.ROOT));
        }
        int n = 1;
        n += meta.has("since") ? 1 : 0;
        n += module ? 1 : 0;
        n += docFlags.isEmpty() ? 0 : 1;
        n += meta.has("deprecated_since") ? 1 : 0;
        n += meta.has("replaced_by") ? 1 : 0;
        n += meta.path("arguments").size() > 0 ? 1 : 0;
        n += cmd.subcommands().isEmpty() ? 0 : 1;
        r.map(n);
        if (meta.has("since")) {
            r.bulk("since");
            r.bulk(meta.path("since").asText());
        }
        r.bulk("group");
        r.bulk(module ? "module" : meta.path("group").asText("generic"));
        if (module) {
            r.bulk("module");
            r.bulk(String.valueOf(cmd.owner()));
        }
        if (!docFlags.isEmpty()) {
            r.bulk("doc_flags");
            statusSet(r, docFlags);
        }
        if (meta.has("deprecated_since")) {
            r.bulk("deprecated_since");
            r.bulk(meta.path("deprecated_since").asText());
        }
        if (meta.has("replaced_by")) {
            r.bulk("replaced_by");
            r.bulk(meta.path("replaced_by").asText());
        }
        if (meta.path("arguments").size() > 0) {
            r.bulk("arguments");
            writeArgs(r, meta.path("arguments"));
        }
        if (!cmd.subcommands().isEmpty()) {
            r.bulk("subcommands");
            r.map(cmd.subcommands().size());
            for (Command sub : cmd.subcommands().values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }

    private static void writeArgs(Reply r, JsonNode args) {
        r.array(args.size());
        for (JsonNode a : args) {
            String type = a.path("type").asText();
            boolean nested = type.equals("oneof") || type.equals("block");
            int n = 2;
            n += a.has("key_spec_index") ? 1 : 0;
            n += a.has("token") ? 1 : 0;
            n += a.has("since") ? 1 : 0;
            n += a.has("deprecated_since") ? 1 : 0;
            n += a.path("flags").size() > 0 ? 1 : 0;
            n += 1; // display_text, or the nested arguments
            r.map(n);
            r.bulk("name");
            r.bulk(a.path("name").asText());
            r.bulk("type");
            r.bulk(type);
            if (!nested) {
                r.bulk("display_text");
                r.bulk(a.has("display") ? a.path("display").asText() : a.path("name").asText());
            }
            if (a.has("key_spec_index")) {
                r.bulk("key_spec_index");
                r.integer(a.path("key_spec_index").asLong());
            }
            if (a.has("token")) {
                r.bulk("token");
                r.bulk(a.path("token").asText());
            }
            if (a.has("since")) {
                r.bulk("since");
                r.bulk(a.path("since").asText());
            }
            if (a.has("deprecated_since")) {
                r.bulk("deprecated_since");
                r.bulk(a.path("deprecated_since").asText());
            }
            if (a.path("flags").size() > 0) {
                r.bulk("flags");
                List<String> fl = new ArrayList<>();
                for (String known : List.of("optional", "multiple", "multiple_token")) {
                    for (JsonNode f : a.path("flags")) {
                        if (f.asText().equals(known)) {
                            fl.add(known);
                        }
                    }
                }
                statusSet(r, fl);
            }
            if (nested) {
                r.bulk("arguments");
                writeArgs(r, a.path("arguments"));
            }
        }
    }

    static void list(Client c) {
        String filterType = null;
        String filterArg = null;
        for (int i = 2; i < c.argc; i++) {
            int more = c.argc - 1 - i;
            if (c.argIs(i, "filterby") && more == 2) {
                if (c.argIs(i + 1, "module") || c.argIs(i + 1, "aclcat") || c.argIs(i + 1, "pattern")) {
                    filterType = c.argString(i + 1).toLowerCase(Locale.ROOT);
                } else {
                    throw CommandError.SYNTAX;
                }
                filterArg = c.argString(i + 2);
                i += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<String> names = new ArrayList<>();
        for (Command cmd : c.server().commands().all()) {
            collect(cmd, filterType, filterArg, names);
        }
        c.reply().array(names.size());
        for (String n : names) {
            c.reply().bulk(n);
        }
    }

    private static void collect(Command cmd, String type, String arg, List<String> out) {
        boolean keep = type == null || switch (type) {
            case "module" -> cmd.has(CommandFlags.MODULE) && arg.equals(String.valueOf(cmd.owner()));
            case "aclcat" -> CommandMetadata.aclCategories(cmd).contains(arg.toLowerCase(Locale.ROOT));
            default -> Glob.match(arg, cmd.fullName(), true);
        };
        if (keep) {
            out.add(cmd.fullName());
        }
        for (Command sub : cmd.subcommands().values()) {
            collect(sub, type, arg, out);
        }
    }

    static void getKeys(Client c, boolean withFlags) {
        int argc = c.argc - 2;
        byte[][] argv = new byte[argc][];
        System.arraycopy(c.argv, 2, argv, 0, argc);
        Command cmd = c.server().commands().lookup(argv[0]);
        if (cmd != null && !cmd.subcommands().isEmpty() && argc >= 2) {
            cmd = cmd.subcommand(new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
        }
        if (cmd == null) {
            throw CommandError.of("ERR Invalid command specified");
        }
        if (!CommandMetadata.hasKeys(cmd)) {
            throw CommandError.of("ERR The command has no key arguments");
        }
        if (!cmd.arityOk(argc)) {
            throw CommandError.of("ERR Invalid number of arguments specified for command");
        }
        List<KeyPositions.Key> keys = KeyPositions.find(cmd, argv, argc);
        if (keys == null || keys.isEmpty()) {
            if (cmd.has(CommandFlags.NO_MANDATORY_KEYS)) {
                c.reply().emptyArray();
                return;
            }
            throw CommandError.of("ERR Invalid arguments specified for command");
        }
        c.reply().array(keys.size());
        for (KeyPositions.Key k : keys) {
            if (!withFlags) {
                c.reply().bulk(argv[k.position()]);
            } else {
                c.reply().array(2);
                c.reply().bulk(argv[k.position()]);
                statusSet(c.reply(), CommandMetadata.keyFlagNames(k.flags()));
            }
        }
    }
}
