package dev.trellis.server.commands.sort;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;

/** SORT and SORT_RO. */
public final class SortCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("sort", c -> SortCommand.execute(c, false));
        t.bind("sort_ro", c -> SortCommand.execute(c, true));
    }
}
