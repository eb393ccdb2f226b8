package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.keyspace.Keyspace;

/** INFO stats: connections, commands, traffic, expiry, keyspace hits and error counters. */
final class StatsSection implements InfoSection {
    private final Server server;

    StatsSection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        ServerStats s = server.stats();
        Keyspace ks = server.keyspace();
        InfoRegistry g = server.info();
        out.field("total_connections_received", s.totalConnections)
                .field("total_commands_processed", s.totalCommands)
                .field("instantaneous_ops_per_sec", s.opsPerSec.perSecond())
                .field("total_net_input_bytes", s.netInputBytes)
                .field("total_net_output_bytes", s.netOutputBytes)
                .field("total_net_repl_input_bytes", 0)
                .field("total_net_repl_output_bytes", 0)
                .fixed2("instantaneous_input_kbps", s.inputBytesPerSec.perSecond() / 1024.0)
                .fixed2("instantaneous_output_kbps", s.outputBytesPerSec.perSecond() / 1024.0)
                .fixed2("instantaneous_input_repl_kbps", 0)
                .fixed2("instantaneous_output_repl_kbps", 0)
                .field("rejected_connections", s.rejectedConnections)
                .field("sync_full", s.syncFull)
                .field("sync_partial_ok", 0)
                .field("sync_partial_err", s.syncPartialErr)
                .field("expired_keys", ks.expiredKeys)
                .fixed2("expired_stale_perc", ks.expiredStalePercSum)
                .field("expired_time_cap_reached_count", 0)
                .field("expire_cycle_cpu_milliseconds", 0)
                .field("evicted_keys", s.evictedKeys)
                .field("evicted_clients", s.evictedClients)
                .field("total_eviction_exceeded_time", 0)
                .field("current_eviction_exceeded_time", 0)
                .field("keyspace_hits", ks.keyspaceHits)
                .field("keyspace_misses", ks.keyspaceMisses)
                .field("pubsub_channels", g.gauge("pubsub_channels"))
                .field("pubsub_patterns", g.gauge("pubsub_patterns"))
                .field("pubsubshard_channels", g.gauge("pubsubshard_channels"))
                .field("latest_fork_usec", 0)
                .field("total_forks", 0)
                .field("migrate_cached_sockets", 0)
                .field("slave_expires_tracked_keys", 0)
                .field("active_defrag_hits", 0)
                .field("active_defrag_misses", 0)
                .field("active_defrag_key_hits", 0)
                .field("active_defrag_key_misses", 0)
                .field("total_active_defrag_time", 0)
                .field("current_active_defrag_time", 0)
                .field("tracking_total_keys", g.gauge("tracking_total_keys"))
                .field("tracking_total_items", g.gauge("tracking_total_items"))
                .field("tracking_total_prefixes", g.gauge("tracking_total_prefixes"))
                .field("unexpected_error_replies", s.unexpectedErrorReplies)
                .field("total_error_replies", s.totalErrorReplies)
                .field("dump_payload_sanitizations", g.gauge("dump_payload_sanitizations"))
                .field("total_reads_processed", s.totalReadsProcessed)
                .field("total_writes_processed", s.totalWritesProcessed)
                .field("io_threaded_reads_processed", 0)
                .field("io_threaded_writes_processed", 0)
                .field("reply_buffer_shrinks", 0)
                .field("reply_buffer_expands", 0)
                .field("client_query_buffer_limit_disconnections", s.clientQueryBufferLimitDisconnections)
                .field("client_output_buffer_limit_disconnections", s.clientOutputBufferLimitDisconnections)
                .field("acl_access_denied_auth", g.gauge("acl_access_denied_auth"))
                .field("acl_access_denied_cmd", g.gauge("acl_access_denied_cmd"))
                .field("acl_access_denied_key", g.gauge("acl_access_denied_key"))
                .field("acl_access_denied_channel", g.gauge("acl_access_denied_channel"));
    }
}
