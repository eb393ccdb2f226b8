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
    // Hooks are kept in registration order; a bit per hook says whether it is switched on, so
    // switching is a bit flip and the per-command loops visit only the hooks that are on.
    private static final int MAX_HOOKS = 64;
    private final Gate[] gateList = new Gate[MAX_HOOKS];
    private final int[] gateClientScope = new int[MAX_HOOKS];
    private final long[] gateCommandScope = new long[MAX_HOOKS];
    private int gateCount;
    private volatile long gatesOn;
    private final Observer[] observerList = new Observer[MAX_HOOKS];
    private int observerCount;
    private volatile long observersOn;
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
     * (no pause, no maxmemory, no monitor, nothing queued...): the dispatcher then does not call
     * it at all, which saves a megamorphic interface call per command for each such hook.
     * Switched off wrongly, a hook would miss commands, so owners switch it where their condition
     * changes, and a hook switched on still checks its condition itself. A gate may also be
     * scoped to clients with some {@link Client} flags (MULTI, subscribed) or to commands with
     * some {@link CommandFlags}; it is then called only for those.
     */
    public final class Hook {
        private final boolean gate;
        private final long bit;
        private final int index;

        private Hook(boolean gate, int index) {
            this.gate = gate;
            this.index = index;
            this.bit = 1L << index;
        }

        /** Calls the hook for every command again ({@code true}) or for none ({@code false}). */
        public void enabled(boolean enabled) {
            synchronized (Dispatcher.this) {
                if (gate) {
                    gatesOn = enabled ? gatesOn | bit : gatesOn & ~bit;
                } else {
                    observersOn = enabled ? observersOn | bit : observersOn & ~bit;
                }
            }
        }

        /** Calls this gate only for clients that have one of {@code clientFlags} ({@code Client.FLAG_*}). */
        public Hook forClientsWith(int clientFlags) {
            gateClientScope[index] = clientFlags;
            return this;
        }

        /** Calls this gate only for commands that have one of {@code commandFlags} ({@code CommandFlags}). */
        public Hook forCommandsWith(long commandFlags) {
            gateCommandScope[index] = commandFlags;
            return this;
        }
    }

    public synchronized Hook addGate(Gate g) {
        if (gateCount == MAX_HOOKS) {
            throw new IllegalStateException("too many dispatcher gates");
        }
        Hook h = new Hook(true, gateCount);
        gateList[gateCount++] = g;
        gatesOn |= h.bit;
        return h;
    }

    public synchronized Hook addObserver(Observer o) {
        if (observerCount == MAX_HOOKS) {
            throw new IllegalStateException("too many dispatcher observers");
        }
        Hook h = new Hook(false, observerCount);
        observerList[observerCount++] = o;
        observersOn |= h.bit;
        return h;
    }

    /** Whether gate {@code i} applies to this client and command (its scope, if any). */
    private boolean inScope(int i, Client c, Command cmd) {
        int clients = gateClientScope[i];
        long commands = gateCommandScope[i];
        return (clients == 0 || (c.flags & clients) != 0) && (commands == 0 || cmd.has(commands));
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

    private volatile java.util.function.BooleanSupplier[] afterTopLevel = new java.util.function.BooleanSupplier[0];

    /**
     * Work to run when a top-level command has finished and every observer has seen it (Redis
     * serves clients blocked on keys at this point, after the command that readied them). It
     * returns whether it did anything (then the next command reads the clock afresh).
     */
    public synchronized void addAfterTopLevel(java.util.function.BooleanSupplier r) {
        afterTopLevel = appended(afterTopLevel, r);
    }

    /**
     * The end of the last top-level command of the running batch, which the next command of the
     * batch takes as its start instead of reading the clock again (0: read it). On these VMs a
     * clock read costs as much as a small command's own work, and between two pipelined commands
     * of one read there is only the parsing of the next, which it may as well be charged with.
     */
    private long batchClock;
    private boolean batching;

    /**
     * A connection starts running the requests of one read: until {@link #endBatch}, each
     * top-level command starts when the previous one ended.
     */
    public void beginBatch() {
        batching = true;
        batchClock = 0;
    }

    /** The batch is over. */
    public void endBatch() {
        batching = false;
        batchClock = 0;
    }

    /** Something that is no command's work ran between two commands (a socket write): read the clock again. */
    public void resetBatchClock() {
        batchClock = 0;
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
        if (busyReply != null && !cmd.has(CommandFlags.ALLOW_BUSY)) {
            reject(c, cmd, busyReply); // before MULTI queueing, which the rejection flags
            return;
        }
        for (long on = gatesOn; on != 0; on &= on - 1) {
            int i = Long.numberOfTrailingZeros(on);
            if (inScope(i, c, cmd) && gateList[i].intercept(c, cmd)) {
                return;
            }
        }
        call(c, cmd);
    }

    /** Nesting of {@link #uncounted(Runnable)}: commands run meanwhile stay out of commandstats. */
    private int uncounted;

    /**
     * Runs {@code work} (which dispatches commands) without counting the commands it runs, or
     * what they call, in commandstats: AOF replay, as Redis's isAOFLoadingContext.
     */
    public void uncounted(Runnable work) {
        uncounted++;
        try {
            work.run();
        } finally {
            uncounted--;
        }
    }

    /** The error for requests arriving while a long command yields, or null while not busy. */
    private String busyReply;

    /**
     * While a long command lets other clients in (a module's Yield), every request but the
     * {@code allow-busy} commands is rejected with {@code error} ("BUSY ..."); null ends that.
     */
    public void busyReply(String error) {
        busyReply = error;
    }

    public String busyReply() {
        return busyReply;
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
        for (long on = gatesOn; on != 0; on &= on - 1) {
            int i = Long.numberOfTrailingZeros(on);
            if (gateClientScope[i] == 0 || (c.flags & gateClientScope[i]) != 0) {
                gateList[i].rejected(c, error);
            }
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
        long t0 = depth == 0 && batchClock != 0 ? batchClock : System.nanoTime();
        batchClock = 0; // used once: a command run meanwhile (a served blocked client) reads the clock
        if (depth++ == 0) {
            topLevel = c;
            server.keyspace().freezeClock(t0);
            // CLIENT NO-TOUCH: reads leave access times alone, except TOUCH itself.
            if (c.noTouch && !cmd.fullName().equals("touch")) {
                server.keyspace().touchEnabled(false);
            }
        }
        long startMs = server.keyspace().now();
        // Commands replayed from the AOF (and what they call) leave commandstats alone, as Redis.
        boolean countCall = uncounted == 0;
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
        long t1 = System.nanoTime();
        long micros = (t1 - t0) / 1000;
        if (countCall) {
            cmd.calls++;
            cmd.microseconds += micros;
            if (stats.totalErrorReplies != errorSnapshot) {
                cmd.failedCalls++;
            }
        }
        errorSnapshot = stats.totalErrorReplies;
        stats.totalCommands++;
        c.commandsProcessed++;
        c.lastCmd = cmd;
        boolean dirty = stats.dirty != dirtyBefore;
        for (long on = observersOn; on != 0; on &= on - 1) {
            observerList[Long.numberOfTrailingZeros(on)].executed(c, cmd, dirty, startMs, micros);
        }
        c.propagateArgv = null;
        c.shownArgv = null;
        if (depth == 0) {
            boolean worked = false;
            for (java.util.function.BooleanSupplier r : afterTopLevel) {
                worked |= r.getAsBoolean();
            }
            batchClock = batching && !worked ? t1 : 0;
        }
    }
}
