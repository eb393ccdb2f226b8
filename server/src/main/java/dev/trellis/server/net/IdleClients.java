package dev.trellis.server.net;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code timeout} setting: once a second, closes clients idle for longer than it. As in
 * Redis, replicas, monitors, masters, blocked clients and pub/sub subscribers are never
 * closed for being idle.
 */
final class IdleClients implements Runnable {
    private static final int EXEMPT = Client.FLAG_REPLICA | Client.FLAG_MONITOR | Client.FLAG_MASTER
            | Client.FLAG_BLOCKED | Client.FLAG_PUBSUB;
    private final Server server;
    private long lastCheckMs;

    IdleClients(Server server) {
        this.server = server;
    }

    @Override
    public void run() {
        long timeoutSec = server.config().timeoutSeconds;
        long now = System.currentTimeMillis();
        if (timeoutSec <= 0 || now - lastCheckMs < 1000) {
            return;
        }
        lastCheckMs = now;
        List<Client> idle = new ArrayList<>();
        for (Client c : server.clients().values()) {
            if ((c.flags & EXEMPT) == 0 && c.transport() != null && (now - c.lastInteractionMs) / 1000 > timeoutSec) {
                idle.add(c);
            }
        }
        for (Client c : idle) {
            ServerLog.get().verbose("Closing idle client");
            c.transport().close(false);
        }
    }
}
