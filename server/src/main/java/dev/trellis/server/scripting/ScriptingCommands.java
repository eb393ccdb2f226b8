package dev.trellis.server.scripting;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;

/** Lua scripting: EVAL and friends, SCRIPT, FUNCTION, FCALL. */
public final class ScriptingCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        Scripting s = new Scripting(server);
        EvalCommands eval = new EvalCommands(s);
        t.bind("eval", c -> eval.eval(c, false, false));
        t.bind("evalsha", c -> eval.eval(c, true, false));
        t.bind("eval_ro", c -> eval.eval(c, false, true));
        t.bind("evalsha_ro", c -> eval.eval(c, true, true));
        t.bind("script|load", eval::load);
        t.bind("script|exists", eval::exists);
        t.bind("script|flush", eval::flush);
        t.bind("script|kill", eval::kill);
        t.bind("script|debug", EvalCommands::debug);
        t.bind("script|help", EvalCommands::help);
        FunctionCommands fn = new FunctionCommands(s);
        t.bind("fcall", c -> fn.fcall(c, false));
        t.bind("fcall_ro", c -> fn.fcall(c, true));
        t.bind("function|load", fn::load);
        t.bind("function|delete", fn::delete);
        t.bind("function|flush", fn::flush);
        t.bind("function|list", fn::list);
        t.bind("function|dump", fn::dump);
        t.bind("function|restore", fn::restore);
        t.bind("function|stats", fn::stats);
        t.bind("function|kill", fn::kill);
        t.bind("function|help", FunctionCommands::help);
    }
}
