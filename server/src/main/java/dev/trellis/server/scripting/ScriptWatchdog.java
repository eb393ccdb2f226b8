package dev.trellis.server.scripting;

import dev.trellis.server.Server;
import dev.trellis.server.log.ServerLog;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * A script that runs longer than busy-reply-threshold lets other clients in (Redis's
 * luaMaskCountHook and scriptInterrupt): they get {@code -BUSY}, and SCRIPT KILL stops a
 * script that has not written.
 *
 * <p>LuaJ's interpreter calls the debug library set on its globals on every instruction; this
 * one keeps only a countdown: every 100,000 instructions it looks at the clock, and once the
 * script has passed the threshold it serves the other connections ({@code Server.BusyLoop})
 * from there. Once killed, every instruction throws {@link Killed}, an {@code Error} that
 * {@code pcall} cannot catch. Function libraries are compiled with an environment that is not
 * the globals, so LuaJ never calls the hook for them: FUNCTION KILL finds nothing to kill.
 */
final class ScriptWatchdog extends DebugLib {
    private static final int CHECK_EVERY = 100_000;

    /** Unwinds a killed script; Scripting turns it into the error reply. */
    static final class Killed extends Error {
        Killed() {
            super("Script killed by user with SCRIPT KILL...", null, false, false);
        }
    }

    private final Server server;
    private ScriptRun run;
    private long startNanos;
    private int countdown;

    ScriptWatchdog(Server server) {
        this.server = server;
    }

    /** A script starts running with globals {@code g} (null: a function, which is not watched). */
    void started(ScriptRun r, Globals g) {
        run = r;
        startNanos = System.nanoTime();
        countdown = CHECK_EVERY;
        if (g != null && g.debuglib != this) {
            g.debuglib = this;
        }
    }

    /** The script ended. */
    void finished() {
        if (run != null && run.timedOut) {
            ServerLog.get().warning("Slow script ended; clients are served normally again.");
        }
        run = null;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        ScriptRun r = run;
        if (r == null) {
            return;
        }
        if (r.killed) {
            throw new Killed();
        }
        if (--countdown > 0) {
            return;
        }
        countdown = CHECK_EVERY;
        long thresholdMs = server.config().busyReplyThresholdMs;
        if (!r.timedOut) {
            if (server.busyLoop() == null || (System.nanoTime() - startNanos) / 1_000_000 < thresholdMs) {
                return;
            }
            r.timedOut = true;
            ServerLog.get().warning("Slow script detected: still in execution after " + thresholdMs
                    + " milliseconds. You can try killing the script using the "
                    + (r.evalMode ? "SCRIPT KILL" : "FUNCTION KILL") + " command. Script name is: " + r.funcname + ".");
        }
        var dispatcher = server.dispatcher();
        String previous = dispatcher.busyReply();
        dispatcher.busyReply(r.evalMode
                ? "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
                : "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        try {
            server.busyLoop().serveClients(r.caller);
        } finally {
            dispatcher.busyReply(previous);
        }
        if (r.killed) {
            ServerLog.get().notice("Lua script killed by user with SCRIPT KILL.");
            throw new Killed();
        }
        if (server.shuttingDown()) {
            r.killed = true; // SHUTDOWN NOSAVE: the loop can end only once the script has
            throw new Killed();
        }
    }

    // The rest of the debug library's bookkeeping is not wanted: no call stack, no traceback.
    @Override
    public void onCall(LuaFunction f) {
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    }

    @Override
    public void onReturn() {
    }

    @Override
    public String traceback(int level) {
        return "";
    }
}
