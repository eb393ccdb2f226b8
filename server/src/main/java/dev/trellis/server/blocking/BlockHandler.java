package dev.trellis.server.blocking;

import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;

/**
 * How a blocked client is served. Blocking commands use {@link ReprocessCommand} (the command
 * runs again when a key is ready); the module host supplies its own for RedisModule_BlockClient
 * and RedisModule_BlockClientOnKeys.
 */
public interface BlockHandler {
    /**
     * A key the client waits on is ready (it holds a value of the awaited type, or was deleted
     * for {@code unblockOnNoKey} waiters). The client has already been released from all its
     * keys; the handler serves it, possibly by blocking it again. Runs on the server thread.
     *
     * @return true when the client was served (it leaves the blocked state for good unless the
     *         handler blocked it again), false to put it back where it was in the queues
     */
    boolean keyReady(Client c, Database db, byte[] key);

    /** The timeout passed (or CLIENT UNBLOCK TIMEOUT): write the timeout reply. */
    void timedOut(Client c);

    /**
     * Whether the block already ended another way and only waits to be released (a module
     * called RedisModule_UnblockClient): its timeout is then ignored, as Redis does.
     */
    default boolean unblockPending() {
        return false;
    }

    /** Whether CLIENT UNBLOCK may end this block (a module block without a timeout callback may not). */
    default boolean unblockable() {
        return true;
    }

    /** The client disconnected while blocked; release whatever the handler holds. */
    default void disconnected(Client c) {
    }
}
