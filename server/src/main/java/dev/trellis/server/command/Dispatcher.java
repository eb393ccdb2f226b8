package dev.trellis.server.command;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.config.ProtectedAction;
import dev.trellis.server.info.ServerStats;
import dev.trellis.server.log.ServerLog;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one request: finds the command, checks arity and authentication, lets gates intercept
 * (transactions queue, pauses, OOM), then executes it with statistics and tells observers
 * (propagation, slowlog, monitor, latency). The order of checks follows Redis's
 * processCommand so the same bad request gets the same error.
 */
public final class Dispatcher {
    /** Sees a command before it runs; returns true when it handled the request itself. */
    public interface Gate {
        boolean intercept(Client c, Command cmd);

        /** The request was rejected before running (unknown command, arity...). */
        default void rejected(Client c, String error) {
        }
    }

    /** Hears about every executed command. */
    public interface Observer {
        /**
         * @param dirty  the command changed the dataset (server dirty counter moved)
         * @param micros execution time
         */
        void executed(Client c, Command cmd, boolean dirty, long startMs, long micros);
    }

    private final Server server;
    private final CommandTable table;
    private final ServerStats stats;
    // Arrays copied on change (registration is rare), iterated on every command without an iterator.
    private volatile Gate[] gates = new Gate[0];
    private volatile Observer[] observers = new Observer[0];
    private int depth;
    private Client current;
    private Client topLevel;
    private long errorSnapshot;

    public Dispatcher(Server server, CommandTable table, ServerStats stats) {
        this.server = server;
        this.table = table;
        this.stats = stats;
    }

    /**
     * A registered gate or observer. Its owner may switch it off while its condition cannot hold
     * (no pause, no maxmemory, no monitor...): the dispatcher then does not call it at all, which
     * saves an interface call per command for each such hook. Switched off wrongly, a hook would
     * miss commands, so owners switch it where their condition changes, and a hook switched on
     * still checks its condition itself.
     */
    public final class Hook {
        private final Object hook;
        private boolean on = true;

        private Hook(Object hook) {
            this.hook = hook;
        }

        /** Calls the hook for every command again ({@code true}) or for none ({@code false}). */
        public void enabled(boolean enabled) {
            synchronized (Dispatcher.this) {
                if (on != enabled) {
                    on = enabled;
                    rebuildHooks();
                }
            }
        }
    }

    // Every registration in order, switched on or off; the arrays above hold the ones switched on.
    private final java.util.List<Hook> gateHooks = new java.util.ArrayList<>();
    private final java.util.List<Hook> observerHooks = new java.util.ArrayList<>();

    public synchronized Hook addGate(Gate g) {
        Hook h = new Hook(g);
        gateHooks.add(h);
        rebuildHooks();
        return h;
    }

    public synchronized Hook addObserver(Observer o) {
        Hook h = new Hook(o);
        observerHooks.add(h);
        rebuildHooks();
        return h;
    }

    private void rebuildHooks() {
        gates = gateHooks.stream().filter(h -> h.on).map(h -> (Gate) h.hook).toArray(Gate[]::new);
        observers = observerHooks.stream().filter(h -> h.on).map(h -> (Observer) h.hook).toArray(Observer[]::new);
    }

    /** Told when a blocked command finally completes (slow log, latency histograms). */
    public interface UnblockObserver {
        /** @param micros the command's whole duration: first run, time blocked in the background, reply */
        void unblocked(Client c, Command cmd, long micros);
    }

    private final CopyOnWriteArrayList<UnblockObserver> unblockObservers = new CopyOnWriteArrayList<>();

    public void addUnblockObserver(UnblockObserver o) {
        unblockObservers.add(o);
    }

    /**
     * A command that blocked (e.g. a module's blocked client) has completed: its total duration
     * reaches the slow log and latency statistics, as Redis's updateStatsOnUnblock.
     */
    public void unblocked(Client c, Command cmd, long micros) {
        for (UnblockObserver o : unblockObservers) {
            o.unblocked(c, cmd, micros);
        }
    }

    private volatile Runnable[] afterTopLevel = new Runnable[0];

    /**
     * Work to run when a top-level command has finished and every observer has seen it (Redis
     * serves clients blocked on keys at this point, after the command that readied them).
     */
    public synchronized void addAfterTopLevel(Runnable r) {
        afterTopLevel = appended(afterTopLevel, r);
    }

    /** A copy of {@code a} with {@code x} at the end (hook lists are copied on change). */
    private static <T> T[] appended(T[] a, T x) {
        T[] more = Arrays.copyOf(a, a.length + 1);
        more[a.length] = x;
        return more;
    }

    public CommandTable table() {
        return table;
    }

    /** The client whose command is running (innermost), or null. */
    public Client current() {
        return current;
    }

    /** The client whose top-level command is running (outermost: not a module call's client), or null. */
    public Client topLevel() {
        return topLevel;
    }

    /** Nesting depth of running commands: 1 for a client's command, more inside EXEC/module calls. */
    public int depth() {
        return depth;
    }

    /** Rewrites requests before they are looked up (module command filters). */
    public interface ArgvFilter {
        /**
         * @param caller the module running a Call, or null for a client's request
         * @return the arguments to run, or {@code argv} itself when unchanged
         */
        byte[][] filter(Client c, byte[][] argv, int argc, Object caller);
    }

    private final CopyOnWriteArrayList<ArgvFilter> argvFilters = new CopyOnWriteArrayList<>();

    public void addArgvFilter(ArgvFilter f) {
        argvFilters.add(f);
    }

    /** Runs the argument filters over a request; returns the arguments to run. */
    public byte[][] filterArgs(Client c, byte[][] argv, int argc, Object caller) {
        byte[][] a = argv;
        int n = argc;
        for (ArgvFilter f : argvFilters) {
            byte[][] r = f.filter(c, a, n, caller);
            if (r != a) {
                a = r;
                n = r.length;
            }
        }
        return a;
    }

    /** Handles a parsed request from {@code c.argv}. */
    public void process(Client c) {
        if (!argvFilters.isEmpty()) {
            byte[][] a = filterArgs(c, c.argv, c.argc, null);
            if (a != c.argv) {
                c.argv = a;
                c.argc = a.length;
                if (c.argc == 0) {
                    reject(c, null, "ERR empty command");
                    return;
                }
            }
        }
        Command cmd = resolve(c);
        if (cmd == null) {
            return;
        }
        if (!c.authenticated() && !cmd.has(CommandFlags.NO_AUTH) && server.authRequired()) {
            reject(c, cmd, "NOAUTH Authentication required.");
            return;
        }
        // One field test for users that may run anything (the default user): the ACL is asked only for the others.
        if (!c.aclUser().unrestricted) {
            String denied = server.acl().denial(c, cmd);
            if (denied != null) {
                reject(c, cmd, denied);
                return;
            }
        }
        for (Gate g : gates) {
            if (g.intercept(c, cmd)) {
                return;
            }
        }
        call(c, cmd);
    }

    /** Finds the command or subcommand for {@code c.argv}, replying with the error if none. */
    public Command resolve(Client c) {
        Command cmd = table.lookup(c.argv[0]);
        if (cmd == null) {
            reject(c, null, unknownCommand(c));
            return null;
        }
        // A container runs a subcommand; one with its own body (COMMAND) runs it when given no argument.
        if (!cmd.subcommands().isEmpty() && (c.argc >= 2 || cmd.handler() == CommandTable.CONTAINER)) {
            if (c.argc < 2) {
                reject(c, cmd, "ERR wrong number of arguments for '" + cmd.name() + "' command");
                return null;
            }
            Command sub = cmd.subcommand(new String(c.argv[1], StandardCharsets.UTF_8).toLowerCase());
            if (sub == null) {
                reject(c, cmd, "ERR unknown subcommand '" + truncate(c.argv[1]) + "'. Try "
                        + cmd.name().toUpperCase() + " HELP.");
                return null;
            }
            cmd = sub;
        }
        if (!cmd.arityOk(c.argc)) {
            reject(c, cmd, "ERR wrong number of arguments for '" + cmd.fullName() + "' command");
            return null;
        }
        if (cmd.has(CommandFlags.PROTECTED)) {
            String denied = ProtectedAction.rejection(server.config(), cmd, c.transport());
            if (denied != null) {
                reject(c, cmd, denied);
                return null;
            }
        }
        c.cmd = cmd;
        return cmd;
    }

    /** Rejects a request before it runs: replies {@code error} and tells every gate (MULTI flags its transaction). */
    public void reject(Client c, Command cmd, String error) {
        if (cmd != null) {
            cmd.rejectedCalls++;
        }
        c.reply().error(error);
        for (Gate g : gates) {
            g.rejected(c, error);
        }
    }

    private static String truncate(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    private static String unknownCommand(Client c) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < c.argc && args.length() < 128; i++) {
            String a = new String(c.argv[i], StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        return "ERR unknown command '" + truncate(c.argv[0]) + "', with args beginning with: " + args;
    }

    /** Executes {@code cmd} for {@code c} with statistics and observers (also used by EXEC and module calls). */
    public void call(Client c, Command cmd) {
        Client outer = current;
        current = c;
        c.cmd = cmd;
        long dirtyBefore = stats.dirty;
        // As Redis, an error reply counts against the innermost command that sent it: a nested
        // call (EXEC's commands, module calls) takes its errors with it.
        errorSnapshot = stats.totalErrorReplies;
        long t0 = System.nanoTime();
        if (depth++ == 0) {
            topLevel = c;
            server.keyspace().freezeClock(t0);
            // CLIENT NO-TOUCH: reads leave access times alone, except TOUCH itself.
            if (c.noTouch && !cmd.fullName().equals("touch")) {
                server.keyspace().touchEnabled(false);
            }
        }
        long startMs = server.keyspace().now();
        try {
            cmd.handler().execute(c);
        } catch (CommandError e) {
            if (e.raw() != null) {
                c.reply().error(e.raw());
            } else {
                c.reply().error(e.getMessage());
            }
        } catch (Throwable t) {
            ServerLog.get().warning("Command '" + cmd.fullName() + "' failed: " + t);
            if (ServerLog.get().enabled(ServerLog.DEBUG)) {
                java.io.StringWriter sw = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(sw));
                ServerLog.get().debug(sw.toString());
            }
            c.reply().error("ERR internal error while running '" + cmd.fullName() + "': " + t);
        } finally {
            if (--depth == 0) {
                topLevel = null;
                server.keyspace().unfreezeClock();
                server.keyspace().touchEnabled(true);
            }
            current = outer;
        }
        long micros = (System.nanoTime() - t0) / 1000;
        cmd.calls++;
        cmd.microseconds += micros;
        if (stats.totalErrorReplies != errorSnapshot) {
            cmd.failedCalls++;
        }
        errorSnapshot = stats.totalErrorReplies;
        stats.totalCommands++;
        c.commandsProcessed++;
        c.lastCmd = cmd;
        boolean dirty = stats.dirty != dirtyBefore;
        for (Observer o : observers) {
            o.executed(c, cmd, dirty, startMs, micros);
        }
        c.propagateArgv = null;
        c.shownArgv = null;
        if (depth == 0) {
            for (Runnable r : afterTopLevel) {
                r.run();
            }
        }
    }
}
