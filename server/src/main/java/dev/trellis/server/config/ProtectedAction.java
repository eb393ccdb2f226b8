package dev.trellis.server.config;

import dev.trellis.server.client.ClientTransport;

/**
 * The yes / no / local settings that guard dangerous actions (enable-debug-command,
 * enable-module-command, enable-protected-configs): "local" allows unix sockets and loopback
 * connections only.
 */
public final class ProtectedAction {
    private ProtectedAction() {
    }

    /** Whether a connection may perform an action guarded by {@code setting}. */
    public static boolean allowed(String setting, ClientTransport t) {
        return switch (setting) {
            case "yes" -> true;
            case "local" -> t == null || isLocal(t);
            default -> false;
        };
    }

    /** Unix socket, or a peer address on the loopback interface. */
    public static boolean isLocal(ClientTransport t) {
        if (t.isUnixSocket()) {
            return true;
        }
        String a = t.remoteAddress();
        return a.startsWith("127.") || a.startsWith("::1:");
    }

    /**
     * The error for running a protected command (DEBUG, MODULE LOAD...) that the configuration
     * does not allow from this connection, or null when it may run.
     */
    public static String rejection(Config config, dev.trellis.server.command.Command cmd, ClientTransport t) {
        String top = cmd.parent() == null ? cmd.name() : cmd.parent().name();
        return switch (top) {
            case "debug" -> allowed(config.enableDebugCommand, t) ? null : commandNotAllowed("DEBUG", "enable-debug-command");
            case "module" -> allowed(config.enableModuleCommand, t) ? null : commandNotAllowed("MODULE", "enable-module-command");
            default -> null;
        };
    }

    /** The rejection Redis sends for DEBUG or MODULE when its setting forbids it. */
    public static String commandNotAllowed(String command, String setting) {
        return "ERR " + command + " command not allowed. If the " + setting + " option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the "
                + "configuration file, and then restart the server.";
    }
}
