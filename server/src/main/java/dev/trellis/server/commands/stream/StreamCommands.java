package dev.trellis.server.commands.stream;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;

/** The stream commands (XREAD/XREADGROUP BLOCK waits are the blocking mechanism's). */
public final class StreamCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        StreamPropagation.install(server);
        t.bind("xadd", XAddCommands::xadd);
        t.bind("xtrim", XAddCommands::xtrim);
        t.bind("xrange", c -> XRangeCommands.range(c, false));
        t.bind("xrevrange", c -> XRangeCommands.range(c, true));
        t.bind("xlen", XRangeCommands::xlen);
        t.bind("xdel", XDelCommand::xdel);
        t.bind("xread", c -> XReadCommand.execute(c, false));
        t.bind("xreadgroup", c -> XReadCommand.execute(c, true));
        t.bind("xgroup|create", XGroupCommands::create);
        t.bind("xgroup|setid", XGroupCommands::setid);
        t.bind("xgroup|destroy", XGroupCommands::destroy);
        t.bind("xgroup|createconsumer", XGroupCommands::createConsumer);
        t.bind("xgroup|delconsumer", XGroupCommands::delConsumer);
        t.bind("xgroup|help", XGroupCommands::help);
        t.bind("xsetid", XGroupCommands::xsetid);
        t.bind("xack", XAckPendingCommands::xack);
        t.bind("xpending", XAckPendingCommands::xpending);
        t.bind("xclaim", XClaimCommands::xclaim);
        t.bind("xautoclaim", XClaimCommands::xautoclaim);
        t.bind("xinfo|stream", XInfoCommands::streamInfo);
        t.bind("xinfo|groups", XInfoCommands::groups);
        t.bind("xinfo|consumers", XInfoCommands::consumers);
        t.bind("xinfo|help", XInfoCommands::help);
    }
}
