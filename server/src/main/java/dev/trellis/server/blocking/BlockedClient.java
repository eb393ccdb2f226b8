package dev.trellis.server.blocking;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.util.ByteKey;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** One blocked client: what it waits for, until when, and how it will be served. */
public final class BlockedClient {
    final Client client;
    final int dbId;
    final List<ByteKey> keys;
    /** The TYPE name a key must hold to wake this client ("list", "zset", "stream"), or null for any. */
    final String valueType;
    /** Wake also when a key is deleted (XREADGROUP: the group went away with the stream). */
    final boolean unblockOnNoKey;
    /** Absolute deadline in ms, 0 for none. */
    final long deadlineMs;
    final BlockHandler handler;
    /** The command that blocked (for commandstats on timeout/unblock), may be null. */
    final Command command;
    ScheduledFuture<?> timer;
    /** Sequence number: the order clients blocked in. */
    final long seq;

    BlockedClient(Client client, int dbId, List<ByteKey> keys, String valueType, boolean unblockOnNoKey,
                  long deadlineMs, BlockHandler handler, Command command, long seq) {
        this.client = client;
        this.dbId = dbId;
        this.keys = keys;
        this.valueType = valueType;
        this.unblockOnNoKey = unblockOnNoKey;
        this.deadlineMs = deadlineMs;
        this.handler = handler;
        this.command = command;
        this.seq = seq;
    }

    public Client client() {
        return client;
    }

    public long deadlineMs() {
        return deadlineMs;
    }

    public List<ByteKey> keys() {
        return keys;
    }

    public int dbId() {
        return dbId;
    }
}
