package dev.trellis.server.commands;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandTable;
import java.util.List;

/** Every built-in command group; one line per group. */
public final class CommandGroups {
    private CommandGroups() {
    }

    static List<CommandGroup> all() {
        return List.of(
                new dev.trellis.server.commands.connection.ConnectionCommands(),
                new dev.trellis.server.commands.connection.ClientCommands(),
                new dev.trellis.server.acl.AclCommands(),
                new dev.trellis.server.commands.keys.KeyCommands(),
                new dev.trellis.server.commands.string.StringCommands(),
                new dev.trellis.server.commands.list.ListCommands(),
                new dev.trellis.server.commands.hash.HashCommands(),
                new dev.trellis.server.commands.set.SetCommands(),
                new dev.trellis.server.commands.zset.ZSetCommands(),
                new dev.trellis.server.commands.geo.GeoCommands(),
                new dev.trellis.server.commands.stream.StreamCommands(),
                new dev.trellis.server.commands.hll.HllCommands(),
                new dev.trellis.server.commands.sort.SortCommands(),
                new dev.trellis.server.commands.server.ServerCommands(),
                new dev.trellis.server.commands.module.ModuleCommands(),
                new dev.trellis.server.commands.tx.TxCommands(),
                new dev.trellis.server.commands.pubsub.PubSubCommands(),
                new dev.trellis.server.commands.persist.PersistCommands(),
                new dev.trellis.server.commands.blocking.BlockingListCommands(),
                new dev.trellis.server.commands.blocking.BlockingZSetCommands(),
                new dev.trellis.server.commands.tracking.ClientTrackingCommands(),
                new dev.trellis.server.commands.replication.ReplicationCommands(),
                new dev.trellis.server.scripting.ScriptingCommands());
    }

    public static void registerAll(Server server, CommandTable table) {
        for (CommandGroup g : all()) {
            g.register(server, table);
        }
    }
}
