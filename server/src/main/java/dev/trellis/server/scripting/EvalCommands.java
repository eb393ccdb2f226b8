package dev.trellis.server.scripting;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** EVAL, EVALSHA, their _RO forms, and SCRIPT. */
final class EvalCommands {
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private final Scripting scripting;

    EvalCommands(Scripting scripting) {
        this.scripting = scripting;
    }

    void eval(Client c, boolean sha, boolean ro) {
        // Shown before the commands the script runs (EVAL itself is skip_monitor).
        dev.trellis.server.commands.server.Monitor.feedBeforeRun(c.server(), c);
        if (sha && c.arg(1).length != 40) {
            c.reply().error(NOSCRIPT);
            return;
        }
        long numkeys = c.argLong(2);
        if (numkeys > c.argc - 3) {
            throw CommandError.of("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw CommandError.of("ERR Number of keys can't be negative");
        }
        EvalScripts cache = scripting.eval;
        EvalScripts.Script script;
        if (sha) {
            script = cache.get(c.argString(1));
            if (script == null) {
                c.reply().error(NOSCRIPT);
                return;
            }
        } else {
            try {
                script = cache.create(c.arg(1));
            } catch (ScriptException e) {
                c.reply().error(e.getMessage());
                return;
            }
        }
        ScriptRun run = scripting.prepare(c, script.sha(), script.flags(), ro, true);
        if (run == null) {
            return;
        }
        ProtectedGlobals g = cache.globals();
        int nk = (int) numkeys;
        g.force("KEYS", array(c, 3, nk));
        g.force("ARGV", array(c, 3 + nk, c.argc - 3 - nk));
        scripting.execute(run, script.function(), LuaValue.NONE);
    }

    static LuaTable array(Client c, int from, int n) {
        LuaTable t = new LuaTable(n, 0);
        for (int i = 0; i < n; i++) {
            t.rawset(i + 1, LuaString.valueOf(c.arg(from + i)));
        }
        return t;
    }

    void load(Client c) {
        try {
            EvalScripts.Script s = scripting.eval.create(c.arg(2));
            c.reply().bulk(s.sha());
        } catch (ScriptException e) {
            c.reply().error(e.getMessage());
        }
    }

    void exists(Client c) {
        c.reply().array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            c.reply().integer(scripting.eval.exists(new String(c.arg(i), StandardCharsets.ISO_8859_1)) ? 1 : 0);
        }
    }

    void flush(Client c) {
        if (c.argc == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async") || c.argc > 3) {
            throw CommandError.of("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        scripting.eval.flush();
        c.reply().ok();
    }

    void kill(Client c) {
        scripting.kill(c, true);
    }

    static void debug(Client c) {
        if (c.argIs(2, "no")) {
            c.reply().ok();
        } else if (c.argIs(2, "yes") || c.argIs(2, "sync")) {
            c.reply().error("ERR SCRIPT DEBUG is not supported by this server");
        } else {
            c.reply().error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    static void help(Client c) {
        HelpReply.reply(c, "SCRIPT",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }
}
