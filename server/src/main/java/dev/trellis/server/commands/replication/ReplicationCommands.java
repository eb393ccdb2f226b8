package dev.trellis.server.commands.replication;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.replication.ReplicaLinks;
import java.util.Locale;

/** The master side of replication: SYNC, PSYNC (always a full resynchronisation) and REPLCONF. */
public final class ReplicationCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        ReplicaLinks links = new ReplicaLinks(server);
        server.info().extend("replication", out -> {
            for (String line : links.infoLines()) {
                out.line(line);
            }
        });
        t.bind("sync", c -> links.fullSync(c, false));
        t.bind("psync", c -> links.fullSync(c, true));
        t.bind("replconf", c -> replconf(c, links));
    }

    /** REPLCONF option value ...: what a replica tells about itself; ACK and GETACK get no reply. */
    private static void replconf(Client c, ReplicaLinks links) {
        if (c.argc % 2 == 0) {
            throw CommandError.SYNTAX;
        }
        for (int i = 1; i < c.argc; i += 2) {
            String option = c.argString(i).toLowerCase(Locale.ROOT);
            switch (option) {
                case "ack", "fack", "getack" -> {
                    return; // offsets: no reply, as Redis
                }
                case "listening-port", "ip-address", "capa", "rdb-only", "rdb-filter-only", "rdb-channel" ->
                        links.replconf(c, option, c.argString(i + 1));
                default -> throw CommandError.of("ERR Unrecognized REPLCONF option: " + c.argString(i));
            }
        }
        c.reply().ok();
    }
}
