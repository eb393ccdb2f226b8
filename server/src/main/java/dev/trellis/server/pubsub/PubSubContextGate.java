package dev.trellis.server.pubsub;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.Dispatcher;

/**
 * A RESP2 connection that is subscribed can only (un)subscribe, PING, QUIT or RESET: every
 * other reply would be mistaken for a message. RESP3 clients get messages as push frames and may
 * run anything.
 */
public final class PubSubContextGate implements Dispatcher.Gate {
    private final Dispatcher dispatcher;

    public PubSubContextGate(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean intercept(Client c, Command cmd) {
        if ((c.flags & Client.FLAG_PUBSUB) == 0 || c.protocol() > 2 || allowed(cmd)) {
            return false;
        }
        dispatcher.reject(c, cmd, "ERR Can't execute '" + cmd.fullName()
                + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
        return true;
    }

    private static boolean allowed(Command cmd) {
        if (cmd.parent() != null) {
            return false;
        }
        return switch (cmd.name()) {
            case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe",
                 "punsubscribe", "quit", "reset" -> true;
            default -> false;
        };
    }
}
