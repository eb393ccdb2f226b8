package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;

/** INFO clients: connection counts, largest buffers, blocked and tracking clients. */
final class ClientsSection implements InfoSection {
    private final Server server;

    ClientsSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        long maxIn = 0;
        long maxOut = 0;
        int blocked = 0;
        int tracking = 0;
        int replicas = 0;
        for (Client c : server.clients().values()) {
            maxIn = Math.max(maxIn, c.queryBufferBytes);
            if (c.transport() != null) {
                maxOut = Math.max(maxOut, c.transport().pendingOutputBytes());
            }
            if ((c.flags & Client.FLAG_BLOCKED) != 0) {
                blocked++;
            }
            if ((c.flags & Client.FLAG_TRACKING) != 0) {
                tracking++;
            }
            if ((c.flags & Client.FLAG_REPLICA) != 0 && (c.flags & Client.FLAG_MONITOR) == 0) {
                replicas++;
            }
        }
        InfoRegistry g = server.info();
        out.field("connected_clients", server.clients().size() - replicas)
                .field("cluster_connections", 0)
                .field("maxclients", server.config().maxClients)
                .field("client_recent_max_input_buffer", maxIn)
                .field("client_recent_max_output_buffer", maxOut)
                .field("blocked_clients", g.gauge("blocked_clients", blocked))
                .field("tracking_clients", g.gauge("tracking_clients", tracking))
                .field("clients_in_timeout_table", g.gauge("clients_in_timeout_table"))
                .field("total_blocking_keys", g.gauge("total_blocking_keys"))
                .field("total_blocking_keys_on_nokey", g.gauge("total_blocking_keys_on_nokey"));
    }
}
