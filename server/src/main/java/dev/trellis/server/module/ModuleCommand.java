package dev.trellis.server.module;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandHandler;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.command.KeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code RedisModuleCommand}: a command (or subcommand) a module registered, tied to the
 * command-table entry clients call. Creation follows RM_CreateCommand/RM_CreateSubcommand:
 * flag strings, legacy first/last/step key positions, name checks, default arity.
 */
public final class ModuleCommand {
    private final Module module;
    private final Command command;
    private final ModuleCommand parent;
    /** True when the module gave no function: a container of subcommands. */
    private final boolean container;
    /** The face's callable for the command (native: function address and downcall). */
    public Object target;
    /** Native face: the RedisModuleCommand* handle. */
    public long address;
    /** SetCommandInfo was applied (it may be applied once). */
    boolean infoSet;

    private ModuleCommand(Module module, Command command, ModuleCommand parent, boolean container) {
        this.module = module;
        this.command = command;
        this.parent = parent;
        this.container = container;
    }

    public Module module() {
        return module;
    }

    public Command command() {
        return command;
    }

    public ModuleCommand parent() {
        return parent;
    }

    public boolean container() {
        return container;
    }

    /** The owning module's name (what COMMAND LIST FILTERBY MODULE and COMMAND DOCS show). */
    @Override
    public String toString() {
        return module.name();
    }

    /**
     * Parses a module's flag string ("write deny-oom ..."), words separated by single spaces.
     * Returns -1 when a word is unknown (including the empty words of doubled or trailing
     * spaces), as Redis does.
     */
    public static long parseFlags(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        long flags = 0;
        for (String t : s.split(" ", -1)) {
            switch (t.toLowerCase(Locale.ROOT)) {
                case "write" -> flags |= CommandFlags.WRITE;
                case "readonly" -> flags |= CommandFlags.READONLY;
                case "admin" -> flags |= CommandFlags.ADMIN;
                case "deny-oom" -> flags |= CommandFlags.DENYOOM;
                case "deny-script" -> flags |= CommandFlags.NOSCRIPT;
                case "allow-loading" -> flags |= CommandFlags.LOADING;
                case "pubsub" -> flags |= CommandFlags.PUBSUB;
                case "random" -> {
                    // deprecated, accepted and ignored
                }
                case "blocking" -> flags |= CommandFlags.BLOCKING;
                case "allow-stale" -> flags |= CommandFlags.STALE;
                case "no-monitor" -> flags |= CommandFlags.SKIP_MONITOR;
                case "no-slowlog" -> flags |= CommandFlags.SKIP_SLOWLOG;
                case "fast" -> flags |= CommandFlags.FAST;
                case "no-auth" -> flags |= CommandFlags.NO_AUTH;
                case "may-replicate" -> flags |= CommandFlags.MAY_REPLICATE;
                case "getkeys-api" -> flags |= CommandFlags.MODULE_GETKEYS;
                case "getchannels-api" -> flags |= CommandFlags.MODULE_GETCHANNELS;
                case "no-cluster" -> flags |= CommandFlags.MODULE_NO_CLUSTER;
                case "no-mandatory-keys" -> flags |= CommandFlags.NO_MANDATORY_KEYS;
                case "allow-busy" -> flags |= CommandFlags.ALLOW_BUSY;
                default -> {
                    return -1;
                }
            }
        }
        return flags;
    }

    /** Redis refuses names with characters that break the protocol, ACL rules or INFO. */
    public static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == ' ' || ch == '\r' || ch == '\n' || ch == '|' || ch == '@' || ch == '=' || ch == ',') {
                return false;
            }
        }
        return true;
    }

    /**
     * RM_CreateCommand: registers a top-level command, or returns null for Redis's failures
     * (outside OnLoad, bad flags, bad name, name taken).
     */
    public static ModuleCommand create(ModuleHost host, Module module, String name, boolean hasFunc, String strflags,
                                       int firstKey, int lastKey, int keyStep, CommandHandler handler) {
        if (module == null || !module.onLoad) {
            return null;
        }
        long flags = parseFlags(strflags);
        if (flags < 0 || !validName(name)) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        CommandTable table = host.server().commands();
        if (table.get(lower) != null) {
            return null;
        }
        Command cmd = newCommand(module, lower, null, flags, firstKey, lastKey, keyStep, hasFunc ? -1 : -2);
        cmd.declaredName(name);
        ModuleCommand mc = new ModuleCommand(module, cmd, null, !hasFunc);
        cmd.owner(mc);
        cmd.handler(hasFunc ? handler : CommandTable.CONTAINER);
        if (!table.add(cmd)) {
            return null;
        }
        module.commands.add(cmd);
        return mc;
    }

    /** RM_CreateSubcommand; null on Redis's failures. */
    public ModuleCommand createSubcommand(String name, boolean hasFunc, String strflags, int firstKey, int lastKey,
                                          int keyStep, CommandHandler handler) {
        if (!module.onLoad) {
            return null;
        }
        long flags = parseFlags(strflags);
        if (flags < 0 || parent != null || !container || !validName(name)) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (command.subcommand(lower) != null) {
            return null;
        }
        Command sub = newCommand(module, lower, command, flags, firstKey, lastKey, keyStep, -2);
        sub.declaredName(name);
        ModuleCommand mc = new ModuleCommand(module, sub, this, !hasFunc);
        sub.owner(mc);
        sub.handler(hasFunc ? handler : CommandTable.CONTAINER);
        command.subcommands().put(lower, sub);
        return mc;
    }

    private static Command newCommand(Module module, String name, Command parent, long flags, int firstKey,
                                      int lastKey, int keyStep, int arity) {
        List<KeySpec> specs = new ArrayList<>();
        if (firstKey != 0) {
            List<String> kf = new ArrayList<>(List.of("RW", "ACCESS", "UPDATE"));
            if ((flags & CommandFlags.MODULE_GETKEYS) != 0) {
                kf.add("VARIABLE_FLAGS");
            }
            int last = lastKey < 0 ? lastKey : lastKey - firstKey;
            specs.add(new KeySpec(kf, firstKey, null, 0, true, last, Math.max(1, keyStep), 0, 0, 1, 1));
        }
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("group", "module");
        meta.put("module", module.name());
        if (firstKey != 0) {
            long kf = 2 | 16 | 32 | ((flags & CommandFlags.MODULE_GETKEYS) != 0 ? 1024 : 0); // RW ACCESS UPDATE
            CommandInfo.Spec legacy = new CommandInfo.Spec(null, kf, CommandInfo.BS_INDEX, firstKey, null, 0,
                    CommandInfo.FK_RANGE, lastKey < 0 ? lastKey : lastKey - firstKey, keyStep, 0);
            meta.putArray("key_specs").add(CommandInfo.specJson(meta, legacy));
        }
        Command c = new Command(name, parent, arity, flags | CommandFlags.MODULE, new ArrayList<>(), specs, meta);
        if (firstKey != 0) {
            c.legacyRange(firstKey, lastKey, keyStep);
        }
        return c;
    }
}
