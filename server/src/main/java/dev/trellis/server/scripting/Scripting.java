package dev.trellis.server.scripting;

import dev.trellis.server.Server;
import dev.trellis.server.acl.Acl;
import dev.trellis.server.acl.AclLog;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Scripting for one server: the script client that runs the commands scripts call, the
 * running script, the checks Redis makes before a script runs (scriptPrepareForRun) and before
 * each command it calls (scriptCall), and the EVAL script cache. A script's writes reach the
 * AOF and replicas as the commands it ran (effects), in one execution unit with its caller's
 * command; EVAL and FCALL themselves are never propagated.
 */
public final class Scripting {
    private static final Map<Server, Scripting> ALL = Collections.synchronizedMap(new java.util.WeakHashMap<>());

    final Server server;
    final Client scriptClient;
    final Lrand48 random = new Lrand48();
    final EvalScripts eval;
    final Functions functions;
    private final Set<Command> scriptCommands = Collections.newSetFromMap(new IdentityHashMap<>());
    private ScriptRun current;
    private final ScriptWatchdog watchdog;
    private boolean inCall;
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: noscript commands allowed from scripts. */
    private boolean disableDenyScripts;

    Scripting(Server server) {
        this.server = server;
        this.scriptClient = server.newInternalClient();
        this.watchdog = new ScriptWatchdog(server);
        this.eval = new EvalScripts(this);
        this.functions = new Functions(this);
        ALL.put(server, this);
        server.propagation().exclude((c, cmd) -> isScriptCommand(cmd)
                || c == scriptClient && current != null && !current.propagates());
        // DEBUG SET-DISABLE-DENY-SCRIPTS 0|1: lets scripts call noscript commands (Redis's test hook).
        server.debugSubcommand("set-disable-deny-scripts", c -> {
            if (c.argc != 3) {
                c.reply().error("ERR wrong number of arguments for 'debug|set-disable-deny-scripts' command");
                return;
            }
            disableDenyScripts = c.argLong(2) != 0;
            c.reply().ok();
        });
        server.info().gauge("number_of_cached_scripts", eval::size);
        server.info().gauge("used_memory_scripts_eval", eval::memory);
        server.info().gauge("used_memory_vm_eval", eval::vmMemory);
        dev.trellis.server.persist.Persistence.of(server).functionStore(new dev.trellis.server.persist.Persistence.FunctionStore() {
            @Override
            public java.util.List<byte[]> codes() {
                return functions.codes();
            }

            @Override
            public void replaceAll(java.util.List<byte[]> codes) {
                functions.replaceAll(codes);
            }

            @Override
            public void merge(java.util.List<byte[]> codes, boolean replace) {
                functions.merge(codes, replace);
            }
        });
        server.info().gauge("number_of_functions", functions::functionCount);
        server.info().gauge("number_of_libraries", () -> functions.libraries().size());
        server.info().gauge("used_memory_functions", functions::memory);
        server.info().gauge("used_memory_vm_functions", () -> 32768 + functions.memory() * 4);
    }

    /** The scripting of {@code server}, or null before its commands are registered. */
    public static Scripting of(Server server) {
        return ALL.get(server);
    }

    private static final String[] SCRIPT_COMMANDS = {"eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"};

    /** Whether {@code cmd} runs a script: never propagated as such (its effects are). */
    public boolean isScriptCommand(Command cmd) {
        if (scriptCommands.isEmpty()) {
            // Resolved on first use: the table is sealed after the groups register.
            for (String n : SCRIPT_COMMANDS) {
                Command c = server.commands().get(n);
                if (c != null) {
                    scriptCommands.add(c);
                }
            }
        }
        return scriptCommands.contains(cmd);
    }

    /**
     * SCRIPT KILL ({@code eval}) and FUNCTION KILL: stops the running script, which is only
     * reachable while it lets other clients in (Redis's scriptKill).
     */
    void kill(Client c, boolean evalKill) {
        ScriptRun r = current;
        if (r == null || !r.timedOut) {
            c.reply().error("NOTBUSY No scripts in execution right now.");
        } else if ((r.caller.flags & Client.FLAG_MASTER) != 0) {
            c.reply().error("UNKILLABLE The busy script was sent by a master instance in the context of replication "
                    + "and cannot be killed.");
        } else if (r.writeDirty) {
            c.reply().error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
                    + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE "
                    + "command.");
        } else if (evalKill && !r.evalMode) {
            c.reply().error("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        } else if (!evalKill && r.evalMode) {
            c.reply().error("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        } else {
            r.killed = true;
            c.reply().ok();
        }
    }

    /** Whether a script is running. */
    public boolean running() {
        return current != null;
    }

    /** Whether {@code c} is the client scripts run their commands on (module contexts report LUA). */
    public boolean isScriptClient(Client c) {
        return c == scriptClient;
    }

    /** The running script; an error to Lua when none (a function called outside a run). */
    ScriptRun run() {
        ScriptRun r = current;
        if (r == null) {
            throw new LuaError("This function can only be called while a script runs");
        }
        return r;
    }

    /**
     * Whether running {@code cmd} (EVAL, EVALSHA, FCALL and their _RO forms) counts as a
     * deny-oom command: a script that declared flags without allow-oom or no-writes does
     * (Redis's evalGetCommandFlags / fcallGetCommandFlags); others keep the command's flags.
     */
    public boolean deniesOom(Command cmd, byte[][] argv, int argc) {
        if (!isScriptCommand(cmd) || argc < 2) {
            return false;
        }
        int flags;
        String name = cmd.name();
        if (name.startsWith("fcall")) {
            FunctionLibrary.Function f = functions.function(new String(argv[1], StandardCharsets.UTF_8));
            if (f == null) {
                return false;
            }
            flags = f.flags();
        } else if (name.startsWith("evalsha")) {
            EvalScripts.Script s = argv[1].length == 40 ? eval.get(new String(argv[1], StandardCharsets.ISO_8859_1)) : null;
            if (s == null) {
                return false;
            }
            flags = s.flags();
        } else {
            EvalScripts.Script s = eval.get(Sha1.hex(argv[1]));
            if (s != null) {
                flags = s.flags();
            } else {
                try {
                    flags = ScriptFlags.parseEval(argv[1]).flags();
                } catch (ScriptException e) {
                    return false;
                }
            }
        }
        return (flags & ScriptFlags.EVAL_COMPAT_MODE) == 0 && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0;
    }

    // --- before a run ---------------------------------------------------------------------

    /**
     * Redis's scriptPrepareForRun: checks what the script's flags allow against the server's
     * state, replying the error and returning null when it may not run.
     */
    ScriptRun prepare(Client caller, String funcname, int flags, boolean ro, boolean evalMode) {
        if (current != null) {
            caller.reply().error("ERR A script is already running; scripts cannot call scripts");
            return null;
        }
        boolean obey = (caller.flags & Client.FLAG_MASTER) != 0;
        boolean oom = overMemory();
        if ((flags & ScriptFlags.EVAL_COMPAT_MODE) == 0) {
            if ((flags & ScriptFlags.NO_WRITES) == 0) {
                var role = server.propagation().replicaRole();
                if (role != null && role.readOnly() && !obey) {
                    caller.reply().error("READONLY Can not run script with write flag on readonly replica");
                    return null;
                }
                String disk = dev.trellis.server.persist.Persistence.of(server).diskError();
                if (disk != null && !obey) {
                    if (disk.contains("AOF")) {
                        caller.reply().error("MISCONF Redis is configured to persist data to AOF, but it's currently "
                                + "unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read "
                                + "only scripts. AOF error: " + disk.substring(disk.indexOf(':') + 1).trim());
                    } else {
                        caller.reply().error("MISCONF Redis is configured to save RDB snapshots, but it's currently "
                                + "unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read "
                                + "only scripts.");
                    }
                    return null;
                }
                if (ro) {
                    caller.reply().error("ERR Can not execute a script with write flag using *_ro command.");
                    return null;
                }
                if (server.minReplicas().writesDenied()) {
                    caller.reply().error(dev.trellis.server.replication.MinReplicas.NOREPLICAS);
                    return null;
                }
            }
            if (!caller.allowOom && oom && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
                caller.reply().error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
                return null;
            }
        }
        ScriptRun run = new ScriptRun(caller, scriptClient, funcname, evalMode, flags);
        run.oomAtStart = oom;
        run.readOnly = ro || (flags & ScriptFlags.EVAL_COMPAT_MODE) == 0 && (flags & ScriptFlags.NO_WRITES) != 0;
        run.allowOom = (flags & ScriptFlags.EVAL_COMPAT_MODE) == 0 && (flags & ScriptFlags.ALLOW_OOM) != 0;
        return run;
    }

    private boolean overMemory() {
        long max = server.config().maxmemory;
        return max > 0 && server.eviction().meter().usedMemory() > max;
    }

    // --- the run ----------------------------------------------------------------------------

    /**
     * Runs {@code fn} for {@code run} and replies its result (or error) to the caller. EVAL
     * passes no arguments (KEYS/ARGV are globals); FCALL passes the keys and arguments tables.
     */
    void execute(ScriptRun run, LuaValue fn, Varargs args) {
        Client sc = scriptClient;
        Client caller = run.caller;
        sc.select(caller.db().id());
        sc.reply().protocol(2);
        sc.reply().buffer().clear();
        sc.aclUser(caller.aclUser());
        current = run;
        watchdog.started(run, run.evalMode ? eval.globals() : null);
        try {
            Varargs r = fn.invoke(args);
            LuaToReply.write(caller.reply(), r.arg1(), sc.protocol());
        } catch (LuaError e) {
            replyError(caller, run, e);
        } catch (ScriptWatchdog.Killed e) {
            caller.reply().error("ERR Script killed by user with SCRIPT KILL... script: " + run.funcname
                    + ", on @user_script:1.");
        } catch (StackOverflowError e) {
            caller.reply().error("ERR Error running script " + run.funcname + ", stack overflow");
        } finally {
            watchdog.finished();
            current = null;
            sc.aclUser(Acl.SUPERUSER);
            sc.reply().protocol(2);
            sc.reply().buffer().clear();
        }
    }

    /** The error reply of a failed script: its message, then where it failed (Redis's luaCallFunction). */
    private void replyError(Client caller, ScriptRun run, LuaError e) {
        LuaValue v = e instanceof LuaErrors.Bare b ? b.value : e.getMessageObject();
        String[] pos = LuaErrors.position(e);
        String msg;
        boolean counted = false;
        if (v != null && v.istable()) {
            LuaValue err = v.rawget(LuaErrors.ERR);
            msg = err.isstring() ? LuaToReply.str(err.checkstring()) : "(null)";
            counted = v.rawget(LuaErrors.IGNORE_STATS).toboolean();
        } else if (e instanceof LuaErrors.Bare b) {
            msg = "ERR " + b.value.tojstring();
        } else if (v != null && v.type() == LuaValue.TSTRING) {
            msg = "ERR " + LuaErrors.message(e);
        } else {
            msg = "ERR " + (v == null ? "nil" : LuaSandbox.tostring(v).arg1().tojstring());
        }
        if (pos != null) {
            msg = msg + " script: " + run.funcname + ", on " + pos[0] + ":" + pos[1] + ".";
        }
        LuaToReply.error(caller.reply(), LuaString.valueOf(msg.getBytes(StandardCharsets.UTF_8)), counted);
    }

    // --- redis.call -------------------------------------------------------------------------

    /** redis.call ({@code raise}) and redis.pcall: runs a command and returns its reply as Lua. */
    Varargs command(Varargs args, boolean raise) {
        ScriptRun run = run();
        byte[][] argv;
        LuaValue failure = null;
        if (args.narg() == 0) {
            failure = LuaErrors.table("Please specify at least one argument for this redis lib call");
            argv = null;
        } else {
            argv = argv(args);
            if (argv == null) {
                failure = LuaErrors.table("Lua redis lib command arguments must be strings or integers");
            }
        }
        if (failure != null) {
            if (raise) {
                throw new LuaError(failure);
            }
            return failure;
        }
        if (inCall) {
            return LuaErrors.table("luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?");
        }
        inCall = true;
        try {
            LuaValue reply = call(run, argv);
            if (raise && reply.istable() && reply.rawget(LuaErrors.ERR).isstring()) {
                throw new LuaError(reply);
            }
            return reply;
        } finally {
            inCall = false;
        }
    }

    /** The arguments of a redis.call as a command's argv, or null when one is neither string nor number. */
    static byte[][] argv(Varargs args) {
        int n = args.narg();
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue v = args.arg(i + 1);
            if (v.type() == LuaValue.TNUMBER) {
                argv[i] = NumberFormat.argument(v.todouble()).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                LuaString s = v.checkstring();
                argv[i] = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            } else {
                return null;
            }
        }
        return argv;
    }

    /** Redis's scriptCall: the checks for a command called by a script, then the command. */
    private LuaValue call(ScriptRun run, byte[][] argv) {
        Client sc = scriptClient;
        argv = server.dispatcher().filterArgs(sc, argv, argv.length, null);
        if (argv.length == 0) {
            return rejected(null, "Unknown Redis command called from script");
        }
        Command cmd = lookup(argv);
        if (cmd == null) {
            return rejected(null, "Unknown Redis command called from script");
        }
        if (!cmd.arityOk(argv.length)) {
            return rejected(cmd, "Wrong number of args calling Redis command from script");
        }
        if (cmd.has(CommandFlags.NOSCRIPT) && !disableDenyScripts) {
            return rejected(cmd, "This Redis command is not allowed from script");
        }
        Acl acl = server.acl();
        int denied = acl.check(sc.aclUser(), cmd, argv, argv.length);
        if (denied != Acl.OK) {
            byte[] culprit = argv[acl.deniedIndex()];
            String object = denied == Acl.DENIED_CMD ? cmd.fullName() : new String(culprit, StandardCharsets.UTF_8);
            // The log's client info names the top-level client's running command, as Redis's does.
            Client top = server.dispatcher().topLevel();
            if (top != null && top.cmd != null) {
                top.lastCmd = top.cmd;
            }
            acl.addLog(run.caller, denied, AclLog.CONTEXT_LUA, object, sc.aclUser().name());
            return rejected(cmd, "ACL failure in script: " + Acl.message(denied, sc.aclUser(), cmd, culprit, false));
        }
        String refusal = writeRefusal(run, cmd);
        if (refusal != null) {
            return rejected(cmd, refusal);
        }
        if (!run.allowOom && !run.caller.allowOom && server.config().maxmemory > 0 && !run.writeDirty
                && (run.caller.flags & Client.FLAG_MASTER) == 0 && run.oomAtStart && cmd.has(CommandFlags.DENYOOM)) {
            return rejected(cmd, "-OOM command not allowed when used memory > 'maxmemory'.");
        }
        if (cmd.has(CommandFlags.WRITE)) {
            run.writeDirty = true;
        }
        sc.argv = argv;
        sc.argc = argv.length;
        server.dispatcher().call(sc, cmd);
        sc.argv = null;
        sc.argc = 0;
        ByteBuf out = sc.reply().buffer();
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), bytes);
        out.clear();
        if (bytes.length == 0) {
            return LuaValue.NIL;
        }
        return RespToLua.parser(bytes).next();
    }

    /** The command (or subcommand) argv names, or null. */
    private Command lookup(byte[][] argv) {
        CommandTable table = server.commands();
        Command cmd = table.lookup(argv[0]);
        if (cmd == null) {
            return null;
        }
        if (!cmd.subcommands().isEmpty() && (argv.length >= 2 || cmd.handler() == CommandTable.CONTAINER)) {
            if (argv.length < 2) {
                return cmd;
            }
            return cmd.subcommand(new String(argv[1], StandardCharsets.UTF_8).toLowerCase());
        }
        return cmd;
    }

    /** Redis's scriptVerifyWriteCommandAllow: null when the command may run. */
    private String writeRefusal(ScriptRun run, Command cmd) {
        if (run.readOnly && cmd.has(CommandFlags.WRITE | CommandFlags.MAY_REPLICATE)) {
            return "Write commands are not allowed from read-only scripts.";
        }
        if (!cmd.has(CommandFlags.WRITE) || run.writeDirty) {
            return null;
        }
        boolean obey = (run.caller.flags & Client.FLAG_MASTER) != 0;
        var role = server.propagation().replicaRole();
        if (role != null && role.readOnly() && !obey) {
            return "-READONLY You can't write against a read only replica.";
        }
        String disk = dev.trellis.server.persist.Persistence.of(server).diskError();
        if (disk != null) {
            return "-" + disk;
        }
        if (server.minReplicas().writesDenied()) {
            return "-" + dev.trellis.server.replication.MinReplicas.NOREPLICAS;
        }
        return null;
    }

    /** A command refused before running: the error is counted (and the command's rejected calls). */
    private LuaValue rejected(Command cmd, String error) {
        LuaTable t = LuaErrors.counted(error);
        server.stats().errorReply(t.rawget(LuaErrors.ERR).tojstring());
        if (cmd != null) {
            cmd.rejectedCalls++;
        }
        return t;
    }

    /** redis.acl_check_cmd: whether the caller's user may run the command with these arguments. */
    Varargs aclCheck(Varargs args) {
        ScriptRun run = run();
        if (args.narg() == 0) {
            throw new LuaError(LuaErrors.table("Please specify at least one argument for this redis lib call"));
        }
        byte[][] argv = argv(args);
        if (argv == null) {
            throw new LuaError(LuaErrors.table("Lua redis lib command arguments must be strings or integers"));
        }
        Command cmd = lookup(argv);
        if (cmd == null) {
            throw new LuaError(LuaErrors.table("Invalid command passed to redis.acl_check_cmd()"));
        }
        return LuaValue.valueOf(server.acl().check(run.caller.aclUser(), cmd, argv, argv.length) == Acl.OK);
    }
}
