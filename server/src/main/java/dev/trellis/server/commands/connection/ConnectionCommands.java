package dev.trellis.server.commands.connection;

import dev.trellis.server.Server;
import dev.trellis.server.acl.Acl;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import java.nio.charset.StandardCharsets;

/** PING, ECHO, SELECT, QUIT, AUTH, HELLO, RESET. */
public final class ConnectionCommands implements CommandGroup {
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void register(Server server, CommandTable t) {
        t.bind("ping", ConnectionCommands::ping);
        t.bind("echo", c -> c.reply().bulk(c.arg(1)));
        t.bind("quit", c -> {
            c.reply().ok();
            c.closeAfterReply = true;
        });
        t.bind("auth", ConnectionCommands::auth);
        t.bind("hello", ConnectionCommands::hello);
        t.bind("reset", ConnectionCommands::reset);
    }

    static void ping(Client c) {
        if (c.argc > 2) {
            throw CommandError.arity("ping");
        }
        if (c.pubsubState != null && c.protocol() == 2 && isSubscribed(c)) {
            // Subscribed RESP2 clients get a pubsub-shaped pong.
            c.reply().array(2);
            c.reply().bulk("pong");
            c.reply().bulk(c.argc == 2 ? c.arg(1) : new byte[0]);
            return;
        }
        if (c.argc == 1) {
            c.reply().raw(PONG);
        } else {
            c.reply().bulk(c.arg(1));
        }
    }

    private static boolean isSubscribed(Client c) {
        return (c.flags & Client.FLAG_PUBSUB) != 0;
    }

    static void auth(Client c) {
        if (c.argc > 3) {
            throw CommandError.SYNTAX;
        }
        for (int i = 1; i < c.argc; i++) {
            c.redactArg(i);
        }
        byte[] pass = c.arg(c.argc - 1);
        Server s = c.server();
        if (c.argc == 2 && s.acl().defaultUser().nopass()) {
            throw CommandError.of("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        if (authenticate(c, c.argc == 3 ? c.arg(1) : DEFAULT, pass)) {
            c.reply().ok();
        }
    }

    private static final byte[] DEFAULT = "default".getBytes(StandardCharsets.US_ASCII);

    /**
     * Authenticates for AUTH / HELLO: true when authenticated. False when a module blocked the
     * client (the command runs again once it is unblocked) or already replied; a failure throws
     * the module's error or WRONGPASS.
     */
    private static boolean authenticate(Client c, byte[] user, byte[] pass) {
        String[] err = new String[1];
        int mark = c.reply().buffer().writerIndex();
        int r = c.server().acl().authenticateUser(c, user, pass, err);
        if (r == Acl.AUTH_OK) {
            return true;
        }
        if (r == Acl.AUTH_BLOCKED || c.reply().buffer().writerIndex() != mark) {
            return false; // as Redis: no auth error after a reply a module already gave
        }
        String m = err[0];
        throw CommandError.of(m == null ? WRONGPASS : m.startsWith("-") ? m.substring(1) : "ERR " + m);
    }

    private static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    static void hello(Client c) {
        int ver = c.protocol();
        int i = 1;
        if (c.argc >= 2) {
            long v;
            try {
                v = c.argLong(1);
            } catch (CommandError e) {
                throw CommandError.of("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                throw CommandError.of("NOPROTO unsupported protocol version");
            }
            ver = (int) v;
            i = 2;
        }
        String setName = null;
        int authAt = -1; // the last AUTH pair is the one used, as Redis
        for (; i < c.argc; i++) {
            int left = c.argc - i - 1;
            if (c.argIs(i, "auth") && left >= 2) {
                c.redactArg(i + 1);
                c.redactArg(i + 2);
                authAt = i;
                i += 2;
            } else if (c.argIs(i, "setname") && left >= 1) {
                setName = c.argString(i + 1);
                ClientCommandSupport.validateName(setName);
                i++;
            } else {
                throw CommandError.of("ERR Syntax error in HELLO option '" + c.argString(i) + "'");
            }
        }
        if (authAt > 0 && !authenticate(c, c.arg(authAt + 1), c.arg(authAt + 2))) {
            return; // blocked by a module's authentication (answered when run again) or answered
        }
        if (!c.authenticated()) {
            throw CommandError.of("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
        }
        if (setName != null) {
            c.name(setName.isEmpty() ? null : setName);
        }
        c.reply().protocol(ver);
        c.reply().map(7);
        c.reply().bulk("server");
        c.reply().bulk("redis");
        c.reply().bulk("version");
        c.reply().bulk(Server.REDIS_VERSION);
        c.reply().bulk("proto");
        c.reply().integer(ver);
        c.reply().bulk("id");
        c.reply().integer(c.id());
        c.reply().bulk("mode");
        c.reply().bulk("standalone");
        c.reply().bulk("role");
        c.reply().bulk("master");
        c.reply().bulk("modules");
        c.server().describeModules(c);
    }

    static void reset(Client c) {
        c.server().resetClient(c);
        c.select(0);
        c.reply().protocol(2);
        c.name(null);
        c.replyMode = Client.ReplyMode.ON;
        c.noEvict = false;
        c.noTouch = false;
        c.server().acl().setDefaultAuth(c);
        c.server().acl().notifyUserChanged(c);
        c.reply().simple("RESET");
    }
}
