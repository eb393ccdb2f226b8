package dev.trellis.server.commands.replication;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.info.InfoRegistry;
import dev.trellis.server.info.ReplicationSection;
import dev.trellis.server.replication.ReplicaLinks;
import dev.trellis.server.replication.ReplicaOf;
import java.util.Locale;

/**
 * Replication: the master side (SYNC, PSYNC as a full resynchronisation, REPLCONF) and the
 * replica side (REPLICAOF / SLAVEOF host port | NO ONE).
 */
public final class ReplicationCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        ReplicaLinks links = new ReplicaLinks(server);
        ReplicaOf replicaOf = new ReplicaOf(server);
        ReplicationSection asMaster = new ReplicationSection(server);
        server.info().register("replication", "Replication", InfoRegistry.Kind.STANDARD, true, out -> {
            if (replicaOf.isReplica()) {
                replicaOf.writeInfo(out);
            } else {
                asMaster.write(out);
            }
        });
        server.info().extend("replication", out -> {
            for (String line : links.infoLines()) {
                out.line(line);
            }
        });
        t.bind("sync", c -> links.fullSync(c, false));
        t.bind("psync", c -> links.fullSync(c, true));
        t.bind("replconf", c -> replconf(c, links, replicaOf));
        t.bind("wait", links.waits()::waitCommand);
        t.bind("waitaof", links.waits()::waitAofCommand);
        t.bind("replicaof", c -> replicaOf(c, replicaOf));
        t.bind("slaveof", c -> replicaOf(c, replicaOf));
    }

    /** REPLICAOF host port | NO ONE. */
    private static void replicaOf(Client c, ReplicaOf r) {
        if (c.argIs(1, "no") && c.argIs(2, "one")) {
            r.noOne();
            c.reply().ok();
            return;
        }
        long port = c.argLong(2);
        if (port < 0 || port > 65535) {
            throw CommandError.of("ERR Invalid master port");
        }
        c.reply().raw((r.replicaOf(c.argString(1), (int) port) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static void ack(Client c, ReplicaLinks links, int i) {
        try {
            long offset = Long.parseLong(c.argString(i + 1));
            long aofOffset = 0;
            if (c.argc > i + 3 && c.argIs(i + 2, "fack")) {
                aofOffset = Long.parseLong(c.argString(i + 3));
            }
            links.ack(c, offset, aofOffset);
        } catch (NumberFormatException e) {
            // Redis ignores an ACK it cannot read
        }
    }

    /** REPLCONF option value ...: what a replica tells about itself; ACK and GETACK get no reply. */
    private static void replconf(Client c, ReplicaLinks links, ReplicaOf replicaOf) {
        if (c.argc % 2 == 0) {
            throw CommandError.SYNTAX;
        }
        for (int i = 1; i < c.argc; i += 2) {
            String option = c.argString(i).toLowerCase(Locale.ROOT);
            switch (option) {
                case "ack" -> {
                    // A replica's applied offset (WAIT, min-replicas) and, with FACK, the offset
                    // its AOF has on disk (WAITAOF); never a reply, and ignored when malformed.
                    if ((c.flags & Client.FLAG_REPLICA) != 0) {
                        ack(c, links, i);
                    }
                    return;
                }
                case "getack" -> {
                    // The master asks for an acknowledgement now; never a reply.
                    if ((c.flags & Client.FLAG_MASTER) != 0) {
                        replicaOf.sendAck();
                    }
                    return;
                }
                case "fack" -> {
                    return;
                }
                case "listening-port", "ip-address", "capa", "rdb-only", "rdb-filter-only", "rdb-channel" ->
                        links.replconf(c, option, c.argString(i + 1));
                default -> throw CommandError.of("ERR Unrecognized REPLCONF option: " + c.argString(i));
            }
        }
        c.reply().ok();
    }
}
