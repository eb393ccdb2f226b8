package dev.trellis.server.commands.tracking;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.tracking.TrackingCommands;

/** The client-side caching subcommands of CLIENT: TRACKING, CACHING, GETREDIR, TRACKINGINFO. */
public final class ClientTrackingCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        TrackingCommands cmds = new TrackingCommands(server.tracking());
        t.bind("client|tracking", cmds::tracking);
        t.bind("client|caching", cmds::caching);
        t.bind("client|getredir", cmds::getredir);
        t.bind("client|trackinginfo", cmds::trackinginfo);
    }
}
