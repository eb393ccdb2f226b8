package dev.trellis.server.replication;

import dev.trellis.server.Server;
import dev.trellis.server.blocking.BlockHandler;
import dev.trellis.server.blocking.Blocking;
import dev.trellis.server.blocking.Timeouts;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * WAIT numreplicas timeout: the client blocks until {@code numreplicas} replicas acknowledged
 * (REPLCONF ACK) the replication offset of its own last write ({@link Client#woff}), or the
 * timeout passes; either way the reply is the number of replicas that acknowledged it. A WAIT
 * that has to block makes the master ask every replica for an acknowledgement (REPLCONF GETACK
 * in the stream), once per event-loop round. Blocked WAITs are ordinary blocked clients (no
 * keys), so CLIENT UNBLOCK and disconnection work as for BLPOP.
 */
public final class ReplicaWaits {
    private final Server server;
    private final ReplicaLinks links;
    private final List<Waiter> waiting = new ArrayList<>();

    /** One blocked WAIT. */
    private final class Waiter implements BlockHandler {
        final Client client;
        final long offset;
        final long numReplicas;

        Waiter(Client client, long offset, long numReplicas) {
            this.client = client;
            this.offset = offset;
            this.numReplicas = numReplicas;
        }

        @Override
        public boolean keyReady(Client c, Database db, byte[] key) {
            return false; // waits on no key
        }

        @Override
        public void timedOut(Client c) {
            waiting.remove(this);
            c.reply().integer(links.acksAtLeast(offset));
        }

        @Override
        public void disconnected(Client c) {
            waiting.remove(this);
        }
    }

    ReplicaWaits(Server server, ReplicaLinks links) {
        this.server = server;
        this.links = links;
    }

    /** The WAIT command. */
    public void waitCommand(Client c) {
        if (server.propagation().replicaRole() != null) {
            throw CommandError.of("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0"
                    + " if a replica is configured to be writable (which is not the default) writes to replicas are"
                    + " just local and are not propagated.");
        }
        long numReplicas = c.argLong(1);
        long deadline = Timeouts.millisArgument(c, 2);
        long offset = c.woff;
        int acked = links.acksAtLeast(offset);
        if (acked >= numReplicas || Blocking.denied(c)) {
            c.reply().integer(acked);
            return;
        }
        Waiter w = new Waiter(c, offset, numReplicas);
        waiting.add(w);
        server.blocking().block(c, List.of(), null, false, deadline, w);
        links.requestAcks();
    }

    /** A replica acknowledged a new offset: answer every WAIT that is now satisfied. */
    void acked() {
        if (waiting.isEmpty()) {
            return;
        }
        for (Waiter w : new ArrayList<>(waiting)) {
            int acked = links.acksAtLeast(w.offset);
            if (acked < w.numReplicas || w.client.blockState == null) {
                continue;
            }
            waiting.remove(w);
            w.client.reply().integer(acked);
            server.blocking().release(w.client);
        }
    }
}
