package dev.trellis.server.commands.connection;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.client.ClientTransport;
import dev.trellis.server.command.Command;
import dev.trellis.server.info.InfoRegistry;

/** One client as CLIENT LIST and CLIENT INFO print it (Redis 7.2's fields, in its order). */
public final class ClientDescription {
    /** Rough fixed cost of a client's own state, for tot-mem. */
    private static final long CLIENT_STRUCT_BYTES = 1024;

    private ClientDescription() {
    }

    /** CLIENT LIST TYPE names: normal, master, replica (slave), pubsub. */
    static String type(Client c) {
        if ((c.flags & Client.FLAG_MASTER) != 0) {
            return "master";
        }
        if ((c.flags & Client.FLAG_REPLICA) != 0 && (c.flags & Client.FLAG_MONITOR) == 0) {
            return "replica";
        }
        if ((c.flags & Client.FLAG_PUBSUB) != 0) {
            return "pubsub";
        }
        return "normal";
    }

    /** The canonical type for a name given to CLIENT LIST/KILL TYPE, or null when unknown. */
    static String parseType(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> "normal";
            case "master" -> "master";
            case "slave", "replica" -> "replica";
            case "pubsub" -> "pubsub";
            default -> null;
        };
    }

    static String flags(Client c) {
        StringBuilder f = new StringBuilder(4);
        int fl = c.flags;
        if ((fl & Client.FLAG_MONITOR) != 0) {
            f.append('O');
        } else if ((fl & Client.FLAG_REPLICA) != 0) {
            f.append('S');
        }
        if ((fl & Client.FLAG_MASTER) != 0) {
            f.append('M');
        }
        if ((fl & Client.FLAG_PUBSUB) != 0) {
            f.append('P');
        }
        if ((fl & Client.FLAG_MULTI) != 0) {
            f.append('x');
        }
        if ((fl & Client.FLAG_BLOCKED) != 0) {
            f.append('b');
        }
        if ((fl & Client.FLAG_TRACKING) != 0) {
            f.append('t');
        }
        if ((fl & Client.FLAG_DIRTY_CAS) != 0) {
            f.append('d');
        }
        if (c.closeAfterReply) {
            f.append('c');
        }
        if ((fl & Client.FLAG_UNBLOCKED) != 0) {
            f.append('u');
        }
        if ((fl & Client.FLAG_CLOSE_ASAP) != 0) {
            f.append('A');
        }
        if (c.transport() != null && c.transport().isUnixSocket()) {
            f.append('U');
        }
        if ((fl & Client.FLAG_READONLY) != 0) {
            f.append('r');
        }
        if (c.noEvict) {
            f.append('e');
        }
        if (c.noTouch) {
            f.append('T');
        }
        if (f.isEmpty()) {
            f.append('N');
        }
        return f.toString();
    }

    /** Appends the description of {@code c} (no trailing newline). */
    /** One CLIENT LIST line (without the newline): what ACL LOG's client-info shows. */
    public static String describe(Server server, Client c) {
        StringBuilder sb = new StringBuilder();
        append(sb, server, c);
        return sb.toString();
    }

    static void append(StringBuilder sb, Server server, Client c) {
        ClientTransport t = c.transport();
        InfoRegistry info = server.info();
        long nowSec = System.currentTimeMillis() / 1000;
        boolean running = server.dispatcher().current() == c;
        long argvMem = 0;
        if (running && c.argv != null) {
            for (int i = 0; i < c.argc; i++) {
                argvMem += c.argv[i].length;
            }
        }
        long qbuf = c.queryBufferBytes;
        long qbufFree = t == null ? 0 : t.queryBufferFree();
        long rbs = t == null ? 0 : t.replyBufferSize();
        long omem = t == null ? 0 : t.pendingOutputBytes();
        long multiMem = info.clientField("multi-mem", c, 0);
        Command cmd = running && c.cmd != null ? c.cmd : c.lastCmd;
        sb.append("id=").append(c.id())
                .append(" addr=").append(t == null ? "" : t.remoteAddress())
                .append(" laddr=").append(t == null ? "" : t.localAddress())
                .append(" fd=").append(t == null ? -1 : t.fd())
                .append(" name=").append(c.name() == null ? "" : c.name())
                .append(" age=").append(nowSec - c.createdMs / 1000)
                .append(" idle=").append(nowSec - c.lastInteractionMs / 1000)
                .append(" flags=").append(flags(c))
                .append(" db=").append(c.db().id())
                .append(" sub=").append(info.clientField("sub", c, 0))
                .append(" psub=").append(info.clientField("psub", c, 0))
                .append(" ssub=").append(info.clientField("ssub", c, 0))
                .append(" multi=").append(info.clientField("multi", c, -1))
                .append(" qbuf=").append(qbuf)
                .append(" qbuf-free=").append(qbufFree)
                .append(" argv-mem=").append(argvMem)
                .append(" multi-mem=").append(multiMem)
                .append(" rbs=").append(rbs)
                .append(" rbp=").append(rbs)
                .append(" obl=0")
                .append(" oll=0")
                .append(" omem=").append(omem)
                .append(" tot-mem=").append(CLIENT_STRUCT_BYTES + qbuf + qbufFree + argvMem + multiMem + rbs + omem)
                .append(" events=").append(omem > 0 ? "rw" : "r")
                .append(" cmd=").append(cmd == null ? "NULL" : cmd.fullName())
                .append(" user=").append(c.user())
                .append(" redir=").append(info.clientField("redir", c, -1))
                .append(" resp=").append(c.protocol())
                .append(" lib-name=").append(c.libName() == null ? "" : c.libName())
                .append(" lib-ver=").append(c.libVersion() == null ? "" : c.libVersion());
    }
}
