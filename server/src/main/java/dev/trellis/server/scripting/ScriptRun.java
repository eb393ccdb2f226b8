package dev.trellis.server.scripting;

import dev.trellis.server.client.Client;

/**
 * One running script (EVAL or FCALL): who called it, the script client its commands run on,
 * and the rules they follow (read-only, allow-oom, whether it has written yet, the RESP version
 * and propagation it chose). Redis's scriptRunCtx.
 */
final class ScriptRun {
    /** redis.set_repl flags (Redis's PROPAGATE_AOF / PROPAGATE_REPL). */
    static final int REPL_AOF = 1;
    static final int REPL_REPLICA = 2;
    static final int REPL_ALL = 3;

    final Client caller;
    final Client scriptClient;
    /** What error replies name as the script: the SHA for EVAL, the function name for FCALL. */
    final String funcname;
    final boolean evalMode;
    final int scriptFlags;
    boolean readOnly;
    boolean allowOom;
    /** maxmemory was exceeded when the script started (Redis's pre_command_oom_state). */
    boolean oomAtStart;
    /** The script has run a write command (later writes may no longer be refused). */
    boolean writeDirty;
    int replFlags = REPL_ALL;
    /** It ran past busy-reply-threshold and lets other clients in (Redis's SCRIPT_TIMEDOUT). */
    boolean timedOut;
    /** SCRIPT KILL / FUNCTION KILL asked it to stop (set while it serves other clients). */
    volatile boolean killed;

    ScriptRun(Client caller, Client scriptClient, String funcname, boolean evalMode, int scriptFlags) {
        this.caller = caller;
        this.scriptClient = scriptClient;
        this.funcname = funcname;
        this.evalMode = evalMode;
        this.scriptFlags = scriptFlags;
    }

    boolean compatMode() {
        return (scriptFlags & ScriptFlags.EVAL_COMPAT_MODE) != 0;
    }

    boolean propagates() {
        return replFlags != 0;
    }
}
