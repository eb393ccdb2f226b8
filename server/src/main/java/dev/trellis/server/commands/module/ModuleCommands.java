package dev.trellis.server.commands.module;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleHost.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MODULE LIST / LOAD / LOADEX / UNLOAD / HELP, the module host's startup loading of
 * {@code loadmodule} entries, and the {@code enable-module-command} guard.
 */
public final class ModuleCommands implements CommandGroup {
    static final String NOT_ALLOWED = "ERR MODULE command not allowed. If the enable-module-command option is set to "
            + "\"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";
    static final String LOAD_FAILED = "ERR Error loading the extension. Please check the server logs.";

    @Override
    public void register(Server server, CommandTable t) {
        ModuleHost host = new ModuleHost(server);
        server.moduleDescriber(host::describe);
        server.addStartupTask(host::loadConfiguredModules);
        server.dispatcher().addGate(new ProtectedGate(server)).forCommandsWith(CommandFlags.PROTECTED);
        t.bind("module|list", host::describe);
        t.bind("module|load", c -> load(host, c));
        t.bind("module|loadex", c -> loadEx(host, c));
        t.bind("module|unload", c -> unload(host, c));
        t.bind("module|help", ModuleCommands::help);
    }

    private static List<byte[]> args(Client c, int from) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < c.argc; i++) {
            out.add(c.arg(i));
        }
        return out;
    }

    static void load(ModuleHost host, Client c) {
        try {
            host.load(c.argString(2), args(c, 3));
            c.reply().ok();
        } catch (ModuleException e) {
            throw CommandError.of(LOAD_FAILED);
        }
    }

    /** LOADEX path [CONFIG name value ...] [ARGS arg ...]. */
    static void loadEx(ModuleHost host, Client c) {
        Map<String, String> configs = new LinkedHashMap<>();
        List<byte[]> args = new ArrayList<>();
        for (int i = 3; i < c.argc; i++) {
            if (c.argIs(i, "config")) {
                if (i + 2 >= c.argc) {
                    ServerLog.get().notice("CONFIG specified without name value pair");
                    throw CommandError.of(LOAD_FAILED);
                }
                configs.put(c.argString(i + 1), c.argString(i + 2));
                i += 2;
            } else if (c.argIs(i, "args")) {
                args = args(c, i + 1);
                break;
            } else {
                ServerLog.get().notice("Syntax Error from arguments to loadex around " + c.argString(i) + ".");
                throw CommandError.of(LOAD_FAILED);
            }
        }
        try {
            host.loadEx(c.argString(2), configs, args);
            c.reply().ok();
        } catch (ModuleException e) {
            throw CommandError.of(LOAD_FAILED);
        }
    }

    static void unload(ModuleHost host, Client c) {
        String name = c.argString(2);
        try {
            host.unload(name);
            c.reply().ok();
        } catch (ModuleException e) {
            String why = e.getMessage() == null ? "operation not possible." : e.getMessage();
            ServerLog.get().warning("Error unloading module " + name + ": " + why);
            throw CommandError.of("ERR Error unloading module: " + why);
        }
    }

    static void help(Client c) {
        String[] lines = {
            "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LIST",
            "    Return a list of loaded modules.",
            "LOAD <path> [<arg> ...]",
            "    Load a module library from <path>, passing to it any optional arguments.",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library from <path>, while passing it module configurations and optional arguments.",
            "UNLOAD <name>",
            "    Unload a module.",
            "HELP",
            "    Print this help.",
        };
        c.reply().array(lines.length);
        for (String l : lines) {
            c.reply().simple(l);
        }
    }

    /**
     * Refuses MODULE LOAD/LOADEX/UNLOAD from clients unless enable-module-command allows it
     * ("yes", or "local" for loopback and unix-socket clients). Module code calling MODULE
     * through RM_Call is not a client request and is not checked, as in Redis.
     */
    static final class ProtectedGate implements Dispatcher.Gate {
        private final Server server;

        ProtectedGate(Server server) {
            this.server = server;
        }

        @Override
        public boolean intercept(Client c, Command cmd) {
            if (!cmd.has(CommandFlags.PROTECTED) || cmd.parent() == null || !cmd.parent().name().equals("module")) {
                return false;
            }
            String mode = server.config().enableModuleCommand;
            if (mode.equals("yes") || (mode.equals("local") && isLocal(c))) {
                return false;
            }
            cmd.rejectedCalls++;
            c.reply().error(NOT_ALLOWED);
            return true;
        }

        private static boolean isLocal(Client c) {
            if (c.transport() == null || c.transport().isUnixSocket()) {
                return true;
            }
            String a = c.transport().remoteAddress();
            return a.startsWith("127.") || a.startsWith("[::1]") || a.startsWith("::1") || a.startsWith("0:0:0:0:0:0:0:1");
        }
    }
}
