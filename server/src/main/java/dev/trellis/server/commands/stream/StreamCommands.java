package dev.trellis.server.commands.stream;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;

/** The stream commands (XREAD/XREADGROUP BLOCK waits are the blocking mechanism's). */
public final class StreamCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("xadd", XAddCommands::xadd);
        t.bind("xtrim", XAddCommands::xtrim);
        t.bind("xrange", c -> XRangeCommands.range(c, false));
        t.bind("xrevrange", c -> XRangeCommands.range(c, true));
        t.bind("xlen", XRangeCommands::xlen);
    }
}
