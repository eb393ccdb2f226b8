package dev.trellis.server.replication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The replication moments other features hear of (module server events ReplicationRoleChanged,
 * MasterLinkChange and ReplicaChange), told on the server thread, in Redis's order.
 */
public final class ReplicationEvents {
    /** What a listener is told; every method has an empty default. */
    public interface Listener {
        /** This server became a replica of {@code host:port}, or a master ({@code host} null). */
        default void roleChanged(String host, int port) {
        }

        /** As a replica: the link with the master came up (sync done) or went down. */
        default void masterLink(boolean up) {
        }

        /** As a master: a replica came online (synced) or went offline. */
        default void replica(boolean online) {
        }
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void add(Listener l) {
        listeners.add(l);
    }

    void roleChanged(String host, int port) {
        for (Listener l : listeners) {
            l.roleChanged(host, port);
        }
    }

    void masterLink(boolean up) {
        for (Listener l : listeners) {
            l.masterLink(up);
        }
    }

    void replica(boolean online) {
        for (Listener l : listeners) {
            l.replica(online);
        }
    }
}
