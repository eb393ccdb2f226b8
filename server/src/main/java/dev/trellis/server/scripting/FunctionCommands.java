package dev.trellis.server.scripting;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.util.Glob;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaValue;

/** FUNCTION and FCALL/FCALL_RO. */
final class FunctionCommands {
    private final Scripting scripting;

    FunctionCommands(Scripting scripting) {
        this.scripting = scripting;
    }

    private Functions functions() {
        return scripting.functions;
    }

    void fcall(Client c, boolean ro) {
        dev.trellis.server.commands.server.Monitor.feedBeforeRun(c.server(), c);
        FunctionLibrary.Function f = functions().function(c.argString(1));
        if (f == null) {
            throw CommandError.of("ERR Function not found");
        }
        long numkeys;
        try {
            numkeys = c.argLong(2);
        } catch (CommandError e) {
            throw CommandError.of("ERR Bad number of keys provided");
        }
        if (numkeys > c.argc - 3) {
            throw CommandError.of("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw CommandError.of("ERR Number of keys can't be negative");
        }
        ScriptRun run = scripting.prepare(c, f.name(), f.flags(), ro, false);
        if (run == null) {
            return;
        }
        int nk = (int) numkeys;
        scripting.execute(run, f.callback(), LuaValue.varargsOf(EvalCommands.array(c, 3, nk),
                EvalCommands.array(c, 3 + nk, c.argc - 3 - nk)));
    }

    void load(Client c) {
        boolean replace = false;
        int pos = 2;
        while (pos < c.argc - 1) {
            if (c.argIs(pos, "replace")) {
                replace = true;
                pos++;
                continue;
            }
            throw CommandError.of("ERR Unknown option given: " + c.argString(pos));
        }
        if (pos >= c.argc) {
            throw CommandError.of("ERR Function code is missing");
        }
        try {
            String name = functions().load(c.arg(pos), replace);
            c.server().stats().dirty++;
            c.reply().bulk(name);
        } catch (ScriptException e) {
            c.reply().error(e.getMessage());
        }
    }

    void delete(Client c) {
        if (!functions().delete(c.argString(2))) {
            throw CommandError.of("ERR Library not found");
        }
        c.server().stats().dirty++;
        c.reply().ok();
    }

    void flush(Client c) {
        if (c.argc > 3) {
            throw CommandError.of("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
        }
        if (c.argc == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async")) {
            throw CommandError.of("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        functions().flush();
        c.server().stats().dirty++;
        c.reply().ok();
    }

    void list(Client c) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < c.argc; i++) {
            if (!withCode && c.argIs(i, "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.argIs(i, "libraryname")) {
                if (i >= c.argc - 1) {
                    throw CommandError.of("ERR library name argument was not given");
                }
                pattern = c.argString(++i);
                continue;
            }
            throw CommandError.of("ERR Unknown argument " + c.argString(i));
        }
        java.util.List<FunctionLibrary> libs = new java.util.ArrayList<>();
        for (FunctionLibrary l : functions().libraries().values()) {
            if (pattern == null || Glob.match(pattern.getBytes(StandardCharsets.UTF_8),
                    l.name.getBytes(StandardCharsets.UTF_8), false)) {
                libs.add(l);
            }
        }
        c.reply().array(libs.size());
        for (FunctionLibrary l : libs) {
            c.reply().map(withCode ? 4 : 3);
            c.reply().bulk("library_name");
            c.reply().bulk(l.name);
            c.reply().bulk("engine");
            c.reply().bulk(Functions.ENGINE);
            c.reply().bulk("functions");
            c.reply().array(l.functions.size());
            for (FunctionLibrary.Function f : l.functions.values()) {
                c.reply().map(3);
                c.reply().bulk("name");
                c.reply().bulk(f.name());
                c.reply().bulk("description");
                if (f.description() == null) {
                    c.reply().nullBulk();
                } else {
                    c.reply().bulk(f.description());
                }
                c.reply().bulk("flags");
                java.util.List<String> names = ScriptFlags.names(f.flags());
                c.reply().set(names.size());
                for (String n : names) {
                    c.reply().simple(n);
                }
            }
            if (withCode) {
                c.reply().bulk("library_code");
                c.reply().bulk(l.code);
            }
        }
    }

    void dump(Client c) {
        c.reply().bulk(functions().dump(true));
    }

    void restore(Client c) {
        if (c.argc > 4) {
            throw CommandError.of("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
        }
        String policy = "append";
        if (c.argc == 4) {
            if (c.argIs(3, "append") || c.argIs(3, "replace") || c.argIs(3, "flush")) {
                policy = c.argString(3).toLowerCase(java.util.Locale.ROOT);
            } else {
                throw CommandError.of("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        try {
            functions().restore(c.arg(2), policy);
        } catch (ScriptException e) {
            c.reply().error(e.getMessage());
            return;
        }
        c.server().stats().dirty++;
        c.reply().ok();
    }

    void stats(Client c) {
        c.reply().map(2);
        c.reply().bulk("running_script");
        c.reply().nullBulk();
        c.reply().bulk("engines");
        c.reply().map(1);
        c.reply().bulk(Functions.ENGINE);
        c.reply().map(2);
        c.reply().bulk("libraries_count");
        c.reply().integer(functions().libraries().size());
        c.reply().bulk("functions_count");
        c.reply().integer(functions().functionCount());
    }

    void kill(Client c) {
        scripting.kill(c, false);
    }

    static void help(Client c) {
        HelpReply.reply(c, "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }
}
