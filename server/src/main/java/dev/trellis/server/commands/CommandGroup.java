package dev.trellis.server.commands;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;

/** A family of commands (strings, keys, server...) that binds its bodies into the table. */
public interface CommandGroup {
    void register(Server server, CommandTable table);
}
