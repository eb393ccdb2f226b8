package dev.trellis.server.info;

import dev.trellis.server.Server;

/** INFO replication for a master (replicas attached by SYNC/PSYNC add their slaveN lines). */
public final class ReplicationSection implements InfoSection {
    private final Server server;

    public ReplicationSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        out.field("role", "master");
        writeMasterFields(server, out);
    }

    /**
     * The fields after a role's own ones, the same for a master and a replica (a replica is a
     * master to its own replicas): replicas, replication ids, offsets and the backlog.
     */
    public static void writeMasterFields(Server server, InfoOutput out) {
        ServerStats s = server.stats();
        String backlog = server.config().find("repl-backlog-size") == null ? "1048576"
                : server.config().find("repl-backlog-size").get();
        out.field("connected_slaves", server.info().gauge("connected_slaves"));
        if (server.minReplicas().enabled()) {
            out.field("min_slaves_good_slaves", server.minReplicas().goodReplicas());
        }
        out.field("master_failover_state", "no-failover")
                .field("master_replid", s.replId)
                .field("master_replid2", s.replId2)
                .field("master_repl_offset", s.masterReplOffset)
                .field("second_repl_offset", -1)
                .field("repl_backlog_active", 0)
                .field("repl_backlog_size", backlog)
                .field("repl_backlog_first_byte_offset", 0)
                .field("repl_backlog_histlen", 0);
    }
}
