package dev.trellis.server.replication;

import dev.trellis.server.Server;
import dev.trellis.server.blocking.BlockHandler;
import dev.trellis.server.blocking.Blocking;
import dev.trellis.server.blocking.Timeouts;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.persist.Persistence;
import dev.trellis.server.persist.aof.Aof;
import java.util.ArrayList;
import java.util.List;

/**
 * WAIT and WAITAOF: the client blocks until enough copies of its own last write exist, or the
 * timeout passes; either way the reply counts the copies there are. The write is named by the
 * replication offset right after it ({@link Client#woff}).
 * <ul>
 *   <li>WAIT numreplicas timeout: replicas that applied it (REPLCONF ACK).
 *   <li>WAITAOF numlocal numreplicas timeout: whether this server's AOF has it on disk
 *       ({@link Aof#fsyncedReplOffset}) and how many replicas' AOFs do (REPLCONF ACK ... FACK).
 * </ul>
 * A wait that has to block makes the master ask every replica for an acknowledgement (REPLCONF
 * GETACK in the stream), once per event-loop round. Blocked waits are ordinary blocked clients
 * (no keys), so CLIENT UNBLOCK, disconnection and a role change work as for BLPOP.
 */
public final class ReplicaWaits {
    private final Server server;
    private final ReplicaLinks links;
    private final List<Waiter> waiting = new ArrayList<>();
    private boolean listening;

    /** One blocked WAIT (numLocal < 0) or WAITAOF. */
    private final class Waiter implements BlockHandler {
        final Client client;
        final long offset;
        final long numLocal;
        final long numReplicas;

        Waiter(Client client, long offset, long numLocal, long numReplicas) {
            this.client = client;
            this.offset = offset;
            this.numLocal = numLocal;
            this.numReplicas = numReplicas;
        }

        boolean aof() {
            return numLocal >= 0;
        }

        @Override
        public boolean keyReady(Client c, Database db, byte[] key) {
            return false; // waits on no key
        }

        @Override
        public void timedOut(Client c) {
            waiting.remove(this);
            if (aof()) {
                replyAof(c, localAck(offset), links.aofAcksAtLeast(offset));
            } else {
                c.reply().integer(links.acksAtLeast(offset));
            }
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
        block(c, new Waiter(c, offset, -1, numReplicas), deadline);
    }

    /** The WAITAOF command. */
    public void waitAofCommand(Client c) {
        long numLocal = c.argLong(1);
        if (numLocal < 0 || numLocal > 1) {
            throw CommandError.of("ERR value is out of range, value must between 0 and 1");
        }
        long numReplicas = c.argLong(2);
        if (numReplicas < 0) {
            throw CommandError.of("ERR value is out of range, must be positive");
        }
        long deadline = Timeouts.millisArgument(c, 3);
        if (server.propagation().replicaRole() != null) {
            throw CommandError.of("ERR WAITAOF cannot be used with replica instances. Please also note that writes to"
                    + " replicas are just local and are not propagated.");
        }
        if (numLocal > 0 && !aofConfigured()) {
            throw CommandError.of("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
        }
        long offset = c.woff;
        int local = localAck(offset);
        int replicas = links.aofAcksAtLeast(offset);
        if ((replicas >= numReplicas && local >= numLocal) || Blocking.denied(c)) {
            replyAof(c, local, replicas);
            return;
        }
        block(c, new Waiter(c, offset, numLocal, numReplicas), deadline);
    }

    private void block(Client c, Waiter w, long deadline) {
        if (!listening) {
            listening = true;
            Aof aof = aof();
            if (aof != null) {
                aof.addFsyncListener(this::check);
            }
        }
        waiting.add(w);
        server.blocking().block(c, List.of(), null, false, deadline, w);
        links.requestAcks();
    }

    private Aof aof() {
        Persistence p = Persistence.of(server);
        return p == null ? null : p.aof();
    }

    private boolean aofConfigured() {
        Persistence p = Persistence.of(server);
        return p != null && p.config().appendOnly();
    }

    private int localAck(long offset) {
        Aof aof = aof();
        return aof != null && aof.fsyncedReplOffset() >= offset ? 1 : 0;
    }

    private static void replyAof(Client c, int local, int replicas) {
        c.reply().array(2);
        c.reply().integer(local);
        c.reply().integer(replicas);
    }

    /**
     * Answers every wait that is now satisfied: a replica acknowledged, the AOF's fsynced offset
     * moved, or the AOF stopped (a WAITAOF counting on it then gets an error).
     */
    void check() {
        if (waiting.isEmpty()) {
            return;
        }
        for (Waiter w : new ArrayList<>(waiting)) {
            if (w.client.blockState == null) {
                continue;
            }
            if (w.aof() && w.numLocal > 0 && !aofConfigured()) {
                waiting.remove(w);
                w.client.reply().error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
                server.blocking().release(w.client);
                continue;
            }
            int replicas = w.aof() ? links.aofAcksAtLeast(w.offset) : links.acksAtLeast(w.offset);
            if (replicas < w.numReplicas) {
                continue;
            }
            int local = w.aof() ? localAck(w.offset) : 0;
            if (local < w.numLocal) {
                continue;
            }
            waiting.remove(w);
            if (w.aof()) {
                replyAof(w.client, local, replicas);
            } else {
                w.client.reply().integer(replicas);
            }
            server.blocking().release(w.client);
        }
    }
}
