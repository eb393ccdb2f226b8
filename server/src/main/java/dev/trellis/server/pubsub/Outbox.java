package dev.trellis.server.pubsub;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Sends out data written into other clients' reply buffers outside their own requests (pub/sub
 * messages, invalidations, replies of unblocked clients). Writers call {@link #wrote}; the
 * buffers are flushed once, by a task that runs on the server thread after the current work,
 * so a pipeline of many PUBLISH commands costs one write per subscriber and batch rather than
 * one per message. Flushing also enforces the client's output-buffer limits.
 */
public final class Outbox {
    private final Server server;
    private final IdentityHashMap<Client, Boolean> pending = new IdentityHashMap<>();
    private boolean scheduled;

    public Outbox(Server server) {
        this.server = server;
    }

    /** {@code target}'s reply buffer has new data that must be sent without waiting for a request. */
    public void wrote(Client target) {
        if (target.transport() == null) {
            return;
        }
        pending.put(target, Boolean.TRUE);
        if (!scheduled) {
            scheduled = true;
            server.execute(this::drain);
        }
    }

    /** Flushes every client written to since the last drain. */
    public void drain() {
        scheduled = false;
        if (pending.isEmpty()) {
            return;
        }
        List<Client> targets = new ArrayList<>(pending.keySet());
        pending.clear();
        for (Client c : targets) {
            c.transport().flushAsync();
        }
    }
}
