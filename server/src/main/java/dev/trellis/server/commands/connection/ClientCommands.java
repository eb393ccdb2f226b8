package dev.trellis.server.commands.connection;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.commands.server.Args;
import dev.trellis.server.commands.server.HelpReply;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT subcommands about connections: ID, GETNAME, SETNAME, LIST, INFO, KILL, PAUSE,
 * UNPAUSE, REPLY, NO-EVICT, NO-TOUCH, UNBLOCK, HELP. (SETINFO, TRACKING and CACHING belong to
 * the client-side caching feature.)
 */
public final class ClientCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        ClientPause pause = new ClientPause(server);
        pause.hook(server.dispatcher().addGate(pause));
        t.bind("client|id", c -> c.reply().integer(c.id()));
        t.bind("client|getname", c -> {
            if (c.name() == null) {
                c.reply().nullBulk();
            } else {
                c.reply().bulk(c.name());
            }
        });
        t.bind("client|setname", c -> {
            String name = c.argString(2);
            ClientCommandSupport.validateName(name);
            c.name(name.isEmpty() ? null : name);
            c.reply().ok();
        });
        t.bind("client|info", c -> {
            StringBuilder sb = new StringBuilder(256);
            ClientDescription.append(sb, c.server(), c);
            c.reply().verbatim(sb.append('\n').toString());
        });
        t.bind("client|list", ClientCommands::list);
        t.bind("client|kill", ClientCommands::kill);
        t.bind("client|pause", c -> pause(c, pause));
        t.bind("client|unpause", c -> {
            pause.unpause();
            c.reply().ok();
        });
        t.bind("client|reply", ClientCommands::reply);
        t.bind("client|no-evict", c -> {
            c.noEvict = onOff(c);
            c.reply().ok();
        });
        t.bind("client|no-touch", c -> {
            c.noTouch = onOff(c);
            c.reply().ok();
        });
        t.bind("client|unblock", ClientCommands::unblock);
        t.bind("client|help", c -> HelpReply.write(c, "CLIENT", List.of(
                "GETNAME", "    Return the name of the current connection.",
                "ID", "    Return the ID of the current connection.",
                "INFO", "    Return information about the current client connection.",
                "KILL <ip:port>", "    Kill the connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections matching every option given. Options are:",
                "    * ID <client-id>", "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "    * USER <username>",
                "    * ADDR (<ip:port>|<unixsocket>:0)", "    * LADDR (<ip:port>|<unixsocket>:0)",
                "    * SKIPME (YES|NO): leave the calling connection alone (default YES)",
                "    * MAXAGE <seconds>: only connections older than this",
                "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> ...]",
                "    Return information about client connections.",
                "UNPAUSE", "    End the current client pause.",
                "PAUSE <timeout> [WRITE|ALL]", "    Hold back all commands, or only writes, for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)", "    Turn replies to this connection on or off, or skip the next one.",
                "SETNAME <name>", "    Name the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock a client blocked in a blocking command.",
                "NO-EVICT (ON|OFF)", "    Protect this connection from client eviction.",
                "NO-TOUCH (ON|OFF)", "    Do not update the access time of keys this connection reads.")));
    }

    private static boolean onOff(Client c) {
        if (c.argIs(2, "on")) {
            return true;
        }
        if (c.argIs(2, "off")) {
            return false;
        }
        throw CommandError.SYNTAX;
    }

    static void list(Client c) {
        Server s = c.server();
        StringBuilder sb = new StringBuilder(256);
        if (c.argc == 4 && c.argIs(2, "type")) {
            String type = ClientDescription.parseType(c.argString(3));
            if (type == null) {
                throw CommandError.of("ERR Unknown client type '" + c.argString(3) + "'");
            }
            for (Client cl : s.clients().values()) {
                if (ClientDescription.type(cl).equals(type)) {
                    ClientDescription.append(sb, s, cl);
                    sb.append('\n');
                }
            }
        } else if (c.argc > 3 && c.argIs(2, "id")) {
            List<Long> ids = new ArrayList<>();
            for (int i = 3; i < c.argc; i++) {
                Long id = Args.tryLong(c.arg(i));
                if (id == null) {
                    throw CommandError.of("ERR Invalid client ID");
                }
                ids.add(id);
            }
            for (long id : ids) {
                Client cl = s.clients().get(id);
                if (cl != null) {
                    ClientDescription.append(sb, s, cl);
                    sb.append('\n');
                }
            }
        } else if (c.argc != 2) {
            throw CommandError.SYNTAX;
        } else {
            for (Client cl : s.clients().values()) {
                ClientDescription.append(sb, s, cl);
                sb.append('\n');
            }
        }
        c.reply().verbatim(sb.toString());
    }

    static void kill(Client c) {
        Server s = c.server();
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        long id = 0;
        long maxAge = 0;
        boolean skipMe = true;
        if (c.argc == 3) {
            addr = c.argString(2);
            skipMe = false; // the old form may kill the caller
        } else {
            for (int i = 2; i < c.argc; i += 2) {
                if (i + 1 >= c.argc) {
                    throw CommandError.SYNTAX;
                }
                String value = c.argString(i + 1);
                if (c.argIs(i, "id")) {
                    Long v = Args.tryLong(c.arg(i + 1));
                    if (v == null || v < 1) {
                        throw CommandError.of("ERR client-id should be greater than 0");
                    }
                    id = v;
                } else if (c.argIs(i, "type")) {
                    type = ClientDescription.parseType(value);
                    if (type == null) {
                        throw CommandError.of("ERR Unknown client type '" + value + "'");
                    }
                } else if (c.argIs(i, "addr")) {
                    addr = value;
                } else if (c.argIs(i, "laddr")) {
                    laddr = value;
                } else if (c.argIs(i, "user")) {
                    if (!userExists(s, value)) {
                        throw CommandError.of("ERR No such user '" + value + "'");
                    }
                    user = value;
                } else if (c.argIs(i, "skipme")) {
                    if (c.argIs(i + 1, "yes")) {
                        skipMe = true;
                    } else if (c.argIs(i + 1, "no")) {
                        skipMe = false;
                    } else {
                        throw CommandError.SYNTAX;
                    }
                } else if (c.argIs(i, "maxage")) {
                    Long v = Args.tryLong(c.arg(i + 1));
                    if (v == null || v < 1) {
                        throw CommandError.of("ERR maxage should be greater than 0");
                    }
                    maxAge = v;
                } else {
                    throw CommandError.SYNTAX;
                }
            }
        }
        long nowSec = System.currentTimeMillis() / 1000;
        int killed = 0;
        boolean closeSelf = false;
        for (Client cl : new ArrayList<>(s.clients().values())) {
            if (addr != null && (cl.transport() == null || !cl.transport().remoteAddress().equals(addr))) {
                continue;
            }
            if (laddr != null && (cl.transport() == null || !cl.transport().localAddress().equals(laddr))) {
                continue;
            }
            if (type != null && !ClientDescription.type(cl).equals(type)) {
                continue;
            }
            if (id != 0 && cl.id() != id) {
                continue;
            }
            if (user != null && !user.equals(cl.user())) {
                continue;
            }
            if (maxAge != 0 && nowSec - cl.createdMs / 1000 <= maxAge) {
                continue;
            }
            if (cl == c) {
                if (skipMe) {
                    continue;
                }
                closeSelf = true;
            } else if (cl.transport() != null) {
                cl.transport().close(false);
            }
            killed++;
        }
        // The master's link has no connection of its own here: the replication side drops it.
        if ("master".equals(type) && addr == null && laddr == null && id == 0 && user == null && maxAge == 0) {
            var role = s.propagation().replicaRole();
            if (role != null && role.killMasterLink()) {
                killed++;
            }
        }
        if (c.argc == 3) {
            if (killed == 0) {
                throw CommandError.of("ERR No such client");
            }
            c.reply().ok();
        } else {
            c.reply().integer(killed);
        }
        if (closeSelf) {
            c.closeAfterReply = true;
        }
    }

    /** Users that exist (CLIENT KILL USER). */
    private static boolean userExists(Server s, String name) {
        return s.acl().user(name) != null;
    }

    static void pause(Client c, ClientPause pause) {
        boolean all = true;
        if (c.argc == 4) {
            if (c.argIs(3, "write")) {
                all = false;
            } else if (!c.argIs(3, "all")) {
                throw CommandError.of("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        Long ms = Args.tryLong(c.arg(2));
        if (ms == null) {
            throw CommandError.of("ERR timeout is not an integer or out of range");
        }
        if (ms < 0) {
            throw CommandError.of("ERR timeout is negative");
        }
        long now = System.currentTimeMillis();
        pause.pause(ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms, all);
        c.reply().ok();
    }

    static void reply(Client c) {
        if (c.argIs(2, "on")) {
            c.replyMode = Client.ReplyMode.ON;
            c.reply().ok();
        } else if (c.argIs(2, "off")) {
            c.replyMode = Client.ReplyMode.OFF;
        } else if (c.argIs(2, "skip")) {
            if (c.replyMode != Client.ReplyMode.OFF) {
                c.replyMode = Client.ReplyMode.SKIP;
            }
        } else {
            throw CommandError.SYNTAX;
        }
    }

    static void unblock(Client c) {
        boolean withError = false;
        if (c.argc == 4) {
            if (c.argIs(3, "error")) {
                withError = true;
            } else if (!c.argIs(3, "timeout")) {
                throw CommandError.of("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        long id = c.argLong(2);
        Client target = c.server().clients().get(id);
        boolean done = target != null && (target.flags & Client.FLAG_BLOCKED) != 0
                && c.server().clientUnblocker().unblock(target, withError);
        c.reply().integer(done ? 1 : 0);
    }
}
