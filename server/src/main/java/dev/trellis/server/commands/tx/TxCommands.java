package dev.trellis.server.commands.tx;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH; the semantics live in {@code tx.Transactions}. */
public final class TxCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("multi", c -> c.server().transactions().multi(c));
        t.bind("exec", c -> c.server().transactions().exec(c));
        t.bind("discard", c -> c.server().transactions().discard(c));
        t.bind("watch", c -> c.server().transactions().watch(c));
        t.bind("unwatch", c -> c.server().transactions().unwatch(c));
    }
}
