package dev.trellis.server.blocking;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.types.Values;
import dev.trellis.server.util.ByteKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK...) or by a module, with timeouts.
 *
 * <p>A blocked client's connection is paused, so its pipelined commands wait. A key that a
 * client waits on is queued as <em>ready</em> only on the events Redis signals: the key is
 * created holding a type clients can wait for (list, sorted set, stream, module type), XADD,
 * XGROUP DESTROY, RedisModule_SignalKeyAsReady, a stream a module added to, FLUSH and SWAPDB, and
 * (for {@code unblockOnNoKey} waiters only) the key's deletion or replacement. Other writes to an
 * existing key do not wake anyone: a list or sorted set that exists is never empty, so only
 * module clients (which may wait for more than one element) can wait on one, and they are woken
 * by the module's own signal. Ready keys are handled right after the
 * command that touched them finishes (after a whole EXEC, never in the middle of one), and as
 * a scheduled task when the change happened outside any command. For each ready key the clients
 * are considered in the order they blocked; a client is served when the key holds the awaited
 * type (or, for {@code unblockOnNoKey} waiters such as XREADGROUP, also when it was deleted).
 * Serving usually means running the blocked command again ({@link ReprocessCommand}); what that
 * writes can make further keys ready (BLMOVE), which are handled in the same pass.
 *
 * <p>A blocked command is counted once in commandstats: when it is finally served, timed out or
 * unblocked, as Redis does.
 */
public final class Blocking implements KeyspaceObserver, Dispatcher.Observer {
    private record ReadyKey(int dbId, ByteKey key) {
    }

    private final Server server;
    private final Map<ByteKey, LinkedHashSet<BlockedClient>>[] waiters;
    private LinkedHashSet<ReadyKey> ready = new LinkedHashSet<>();
    private int blocked;
    /** Blocked clients without a connection (a module's RM_Call with 'K'): not in INFO's count. */
    private int internalBlocked;
    /** Whether an internal client may block (its module Call allowed it), set by the module host. */
    private java.util.function.Predicate<Client> internalMayBlock = c -> false;
    /** Told when an internal client left the blocked state with its reply written (a Call promise). */
    private java.util.function.Consumer<Client> internalUnblocked = c -> { };
    private int inTimeoutTable;
    private long seq;
    private boolean handling;
    private boolean scheduled;
    /** The block being served by running its command again (its re-block keeps the deadline). */
    private BlockedClient reprocessing;
    /** A block created by the command now running, whose first attempt must not count in commandstats. */
    private BlockedClient justBlocked;
    /** Our dispatcher observer, switched on only while a block made by the running command awaits it. */
    private final dev.trellis.server.command.Dispatcher.Hook justBlockedHook;

    @SuppressWarnings("unchecked")
    public Blocking(Server server) {
        this.server = server;
        this.waiters = new Map[server.keyspace().databases()];
        server.keyspace().addObserver(this);
        server.keyspace().observerActive(this, false); // until a client blocks
        justBlockedHook = server.dispatcher().addObserver(this);
        justBlockedHook.enabled(false);
        server.dispatcher().addAfterTopLevel(() -> {
            if (ready.isEmpty()) {
                return false;
            }
            handleReadyKeys();
            return true;
        });
        server.onClientClose(this::disconnected);
        server.clientUnblocker(this::unblock);
        server.info().gauge("blocked_clients", () -> blocked - internalBlocked);
        server.info().gauge("clients_in_timeout_table", () -> inTimeoutTable);
        server.info().gauge("total_blocking_keys", this::blockingKeys);
        server.info().gauge("total_blocking_keys_on_nokey", this::blockingKeysOnNoKey);
    }

    /**
     * Whether {@code c} may block: not inside MULTI/EXEC, and not an internal client (module
     * calls, scripts) that needs a reply at once. Blocking commands answer as on timeout instead.
     */
    public static boolean denied(Client c) {
        return (c.isInternal() && !c.server().blocking().internalMayBlock.test(c)) || (c.flags & Client.FLAG_MULTI) != 0;
    }

    /**
     * Lets internal clients block where {@code mayBlock} says so (RM_Call with 'K'), and names
     * who hears when such a client is unblocked with its reply complete.
     */
    public void internalClients(java.util.function.Predicate<Client> mayBlock, java.util.function.Consumer<Client> unblocked) {
        this.internalMayBlock = mayBlock;
        this.internalUnblocked = unblocked;
    }

    /** Number of blocked clients (INFO blocked_clients). */
    public int blockedClients() {
        return blocked;
    }

    // --- blocking --------------------------------------------------------------------------

    /**
     * Blocks the client whose command is running on {@code keys} of its current database: the
     * command runs again, from its (possibly rewritten) arguments, once a key holds a value of
     * type {@code valueType}. The command must not have replied.
     *
     * @param deadlineMs absolute deadline (see {@link Timeouts}), 0 for none
     */
    public void blockForKeys(Client c, List<byte[]> keys, String valueType, long deadlineMs, boolean unblockOnNoKey) {
        byte[][] argv = java.util.Arrays.copyOf(c.argv, c.argc);
        block(c, keys, valueType, unblockOnNoKey, deadlineMs, new ReprocessCommand(this, c.cmd, argv));
    }

    /**
     * Blocks {@code c} with a custom handler (module blocking). {@code keys} may be empty: the
     * client then waits for its timeout or for {@link #release}/{@link #unblock}.
     */
    public BlockedClient block(Client c, List<byte[]> keys, String valueType, boolean unblockOnNoKey,
                               long deadlineMs, BlockHandler handler) {
        if (c.blockState instanceof BlockedClient) {
            throw new IllegalStateException("client " + c.id() + " is already blocked");
        }
        if (reprocessing != null && reprocessing.client == c) {
            deadlineMs = reprocessing.deadlineMs; // blocking again keeps the original deadline
        }
        List<ByteKey> ks = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            ByteKey bk = new ByteKey(k);
            if (!ks.contains(bk)) {
                ks.add(bk);
            }
        }
        Command cmd = handler instanceof ReprocessCommand rc ? rc.command() : c.cmd;
        BlockedClient b = new BlockedClient(c, c.db().id(), ks, valueType, unblockOnNoKey, deadlineMs, handler, cmd, seq++);
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[b.dbId];
        if (m == null && !ks.isEmpty()) {
            m = waiters[b.dbId] = new HashMap<>();
        }
        for (ByteKey k : ks) {
            m.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(b);
        }
        c.blockState = b;
        c.flags |= Client.FLAG_BLOCKED;
        if (blocked++ == 0) {
            server.keyspace().observerActive(this, true);
        }
        if (c.isInternal()) {
            internalBlocked++;
        }
        if (c.transport() != null) {
            c.transport().pause();
        }
        if (deadlineMs > 0) {
            inTimeoutTable++;
            // Redis times a client out once the millisecond clock is past its deadline
            // (timeout < now), so a module timer due within that millisecond runs first.
            java.time.Instant now = java.time.Instant.now();
            long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
            long delay = deadlineMs >= Long.MAX_VALUE / 1000 - 1 ? Long.MAX_VALUE / 2
                    : Math.max(0, (deadlineMs + 1) * 1000 - nowMicros);
            b.timer = server.scheduler().schedule(() -> timedOut(b), delay, TimeUnit.MICROSECONDS);
        }
        if (server.dispatcher().current() == c) {
            justBlocked = b;
            justBlockedHook.enabled(true);
        }
        return b;
    }

    /**
     * Ends {@code c}'s block without a reply of our own (the handler or module wrote one):
     * removes it from every queue and lets its connection run its next commands.
     */
    public void release(Client c) {
        if (c.blockState instanceof BlockedClient b) {
            remove(b);
            resumeLater(c);
        }
    }

    /** CLIENT UNBLOCK: ends the block as a timeout, or with the UNBLOCKED error. */
    public boolean unblock(Client c, boolean withError) {
        if (!(c.blockState instanceof BlockedClient b) || !b.handler.unblockable()) {
            return false;
        }
        remove(b);
        if (withError) {
            c.reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            if (b.command != null) {
                b.command.calls++;
                b.command.failedCalls++;
            }
        } else {
            b.handler.timedOut(c);
            if (b.command != null) {
                b.command.calls++;
            }
        }
        resumeLater(c);
        return true;
    }

    private void timedOut(BlockedClient b) {
        Client c = b.client;
        if (c.blockState != b) {
            return; // served meanwhile
        }
        if (b.handler.unblockPending()) {
            b.timer = null;
            return; // the module unblocked it; its queued release answers the client
        }
        b.timer = null;
        remove(b);
        b.handler.timedOut(c);
        if (b.command != null) {
            b.command.calls++;
        }
        resumeLater(c);
    }

    private void disconnected(Client c) {
        if (c.blockState instanceof BlockedClient b) {
            remove(b);
            b.handler.disconnected(c);
        }
    }

    /** Drops {@code b} from the queues and its timer; the client is no longer blocked. */
    void remove(BlockedClient b) {
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[b.dbId];
        for (ByteKey k : b.keys) {
            LinkedHashSet<BlockedClient> set = m.get(k);
            if (set != null) {
                set.remove(b);
                if (set.isEmpty()) {
                    m.remove(k);
                }
            }
        }
        if (b.deadlineMs > 0) {
            inTimeoutTable--;
            if (b.timer != null) {
                b.timer.cancel(false);
                b.timer = null;
            }
        }
        Client c = b.client;
        c.blockState = null;
        c.flags &= ~Client.FLAG_BLOCKED;
        if (--blocked == 0) {
            server.keyspace().observerActive(this, false);
        }
        if (c.isInternal()) {
            internalBlocked--;
        }
    }

    /**
     * Ends {@code c}'s block with no reply at all, as if it disconnected (its handler is told so:
     * a module's disconnect callback runs). RM_CallReplyPromiseAbort.
     */
    public boolean cancel(Client c) {
        if (!(c.blockState instanceof BlockedClient b)) {
            return false;
        }
        remove(b);
        b.handler.disconnected(c);
        return true;
    }

    /**
     * The server became a replica: every client blocked on a connection gets Redis's UNBLOCKED
     * error and is closed after it (its command was in progress as a master's).
     */
    public void disconnectAll() {
        if (blocked == internalBlocked) {
            return;
        }
        List<BlockedClient> all = new ArrayList<>();
        java.util.Set<BlockedClient> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map<ByteKey, LinkedHashSet<BlockedClient>> m : waiters) {
            if (m != null) {
                for (LinkedHashSet<BlockedClient> set : m.values()) {
                    for (BlockedClient b : set) {
                        if (seen.add(b)) {
                            all.add(b);
                        }
                    }
                }
            }
        }
        for (Client c : new ArrayList<>(server.clients().values())) {
            if (c.blockState instanceof BlockedClient b && seen.add(b)) {
                all.add(b);
            }
        }
        for (BlockedClient b : all) {
            Client c = b.client;
            if (c.isInternal() || c.blockState != b) {
                continue;
            }
            remove(b);
            b.handler.disconnected(c);
            c.reply().error("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)");
            if (b.command != null) {
                b.command.calls++;
                b.command.failedCalls++;
            }
            if (c.transport() != null) {
                c.transport().close(true); // flushes the error first
            }
        }
    }

    /** Sends what the client got and runs its pipelined commands, after the current work. */
    private void resumeLater(Client c) {
        if (c.transport() == null) {
            if (!(c.blockState instanceof BlockedClient)) {
                internalUnblocked.accept(c);
            }
        } else {
            server.execute(() -> {
                if (!(c.blockState instanceof BlockedClient)) {
                    c.transport().resume();
                }
                c.transport().flushAsync();
            });
        }
    }

    // --- ready keys ------------------------------------------------------------------------

    /** A key was created (Redis's dbAdd): ready when its type is one clients wait for. */
    @Override
    public void event(int type, String event, byte[] key, int dbId) {
        if (type != EventType.NEW || blocked == 0) {
            return;
        }
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[dbId];
        if (m == null || m.isEmpty()) {
            return;
        }
        ByteKey k = new ByteKey(key);
        if (m.containsKey(k) && canWaitFor(server.keyspace().db(dbId).peek(key))) {
            markReady(dbId, k);
        }
    }

    /**
     * A key is deleted, expired, evicted or its value replaced: ready only for the waiters that
     * asked to hear of it ({@code unblockOnNoKey}: XREADGROUP, module clients), as Redis's
     * signalDeletedKeyAsReady.
     */
    @Override
    public void entryRemoving(Database db, KeyEntry e, int reason) {
        if (blocked == 0) {
            return;
        }
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[db.id()];
        if (m == null || m.isEmpty()) {
            return;
        }
        ByteKey k = new ByteKey(e.key());
        if (anyUnblockOnNoKey(m.get(k)) && canWaitFor(e)) {
            markReady(db.id(), k);
        }
    }

    /**
     * FLUSH/SWAPDB replaced the database's contents (Redis scans its waited keys): a key that
     * now holds a type clients wait for is ready, a key that is gone (or holds another type) is
     * ready for the {@code unblockOnNoKey} waiters.
     */
    @Override
    public void databaseChanged(Database db) {
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[db.id()];
        if (blocked == 0 || m == null) {
            return;
        }
        for (Map.Entry<ByteKey, LinkedHashSet<BlockedClient>> w : m.entrySet()) {
            KeyEntry e = db.peek(w.getKey().bytes());
            if ((e != null && canWaitFor(e)) || anyUnblockOnNoKey(w.getValue())) {
                markReady(db.id(), w.getKey());
            }
        }
    }

    /**
     * Signals that {@code key} may be ready for its waiters: RedisModule_SignalKeyAsReady, XADD,
     * XGROUP DESTROY, a module's stream add.
     */
    public void signalReady(Database db, byte[] key) {
        if (blocked == 0) {
            return;
        }
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[db.id()];
        if (m == null || m.isEmpty()) {
            return;
        }
        ByteKey k = new ByteKey(key);
        if (m.containsKey(k)) {
            markReady(db.id(), k);
        }
    }

    /** Whether a client can wait for the type {@code e} holds (list, zset, stream, module type). */
    private static boolean canWaitFor(KeyEntry e) {
        if (e == null || e.value() instanceof byte[]) {
            return false;
        }
        String t = Values.typeName(e.value());
        return !t.equals("hash") && !t.equals("set");
    }

    private static boolean anyUnblockOnNoKey(LinkedHashSet<BlockedClient> set) {
        if (set != null) {
            for (BlockedClient b : set) {
                if (b.unblockOnNoKey) {
                    return true;
                }
            }
        }
        return false;
    }

    private void markReady(int dbId, ByteKey k) {
        ready.add(new ReadyKey(dbId, k));
        if (!scheduled && !handling) {
            // A change outside any command (timers, module threads) still gets served soon.
            scheduled = true;
            server.execute(() -> {
                scheduled = false;
                if (server.dispatcher().depth() == 0) {
                    handleReadyKeys();
                }
            });
        }
    }

    @Override
    public void executed(Client c, Command cmd, boolean dirty, long startMs, long micros) {
        BlockedClient jb = justBlocked;
        if (jb != null && jb.client == c && c.blockState == jb) {
            // The attempt that blocked is not a call yet: it counts once it is served or ends.
            justBlocked = null;
            justBlockedHook.enabled(false);
            cmd.calls--;
            cmd.microseconds -= micros;
        }
    }

    /** Serves the clients waiting on ready keys, until no key is ready. */
    public void handleReadyKeys() {
        if (handling) {
            return;
        }
        handling = true;
        try {
            while (!ready.isEmpty()) {
                LinkedHashSet<ReadyKey> batch = ready;
                ready = new LinkedHashSet<>();
                for (ReadyKey rk : batch) {
                    try {
                        serveKey(rk.dbId, rk.key);
                    } catch (RuntimeException e) {
                        // Never let a serving fault escape into the command that made the key ready.
                        dev.trellis.server.log.ServerLog.get().warning("serving clients blocked on a key: " + e);
                    }
                }
            }
        } finally {
            handling = false;
        }
    }

    private void serveKey(int dbId, ByteKey key) {
        Map<ByteKey, LinkedHashSet<BlockedClient>> m = waiters[dbId];
        LinkedHashSet<BlockedClient> set = m == null ? null : m.get(key);
        if (set == null) {
            return;
        }
        // Only the clients blocked now: one that blocks again goes to the back of a later pass.
        List<BlockedClient> queue = new ArrayList<>(set);
        Database db = server.keyspace().db(dbId);
        for (BlockedClient b : queue) {
            Client c = b.client;
            if (c.blockState != b) {
                continue; // served through another key, or gone
            }
            KeyEntry entry = db.lookup(key.bytes());
            Object value = entry == null ? null : entry.value();
            boolean wake = value == null ? b.unblockOnNoKey
                    : b.valueType == null || b.valueType.equals(Values.typeName(value)) || b.unblockOnNoKey;
            if (!wake) {
                continue;
            }
            boolean served;
            ReadyKey self = new ReadyKey(dbId, key);
            boolean readyBefore = ready.contains(self);
            try {
                served = b.handler.keyReady(c, db, key.bytes());
                if (!served && !readyBefore) {
                    // An attempt that declined (a module reply callback returning ERR) may have
                    // opened the key for writing, which signals it: that alone must not make the
                    // key ready again, or the same waiter would be retried forever.
                    ready.remove(self);
                }
            } catch (RuntimeException e) {
                dev.trellis.server.log.ServerLog.get().warning("serving blocked client " + c.id() + ": " + e);
                served = true;
                if (c.blockState == b) {
                    remove(b);
                }
                c.reply().error("ERR internal error while serving a blocked client");
            }
            if (!served) {
                continue;
            }
            if (c.blockState == b) {
                remove(b);
            }
            if (!(c.blockState instanceof BlockedClient)) {
                resumeLater(c);
            }
        }
    }

    /** Runs {@code b}'s command again for its client (see {@link ReprocessCommand}). */
    void reprocess(BlockedClient b, Command cmd, byte[][] argv) {
        Client c = b.client;
        remove(b);
        byte[][] savedArgv = c.argv;
        int savedArgc = c.argc;
        c.argv = argv;
        c.argc = argv.length;
        BlockedClient outer = reprocessing;
        reprocessing = b;
        try {
            // As Redis reprocesses the command in full, rules changed while it was blocked apply.
            String denied = c.aclUser().unrestricted ? null : server.acl().denial(c, cmd);
            if (c.isInternal()) {
                // A module's blocked Call: the command and the module's unblock handler form one
                // execution unit (their propagation goes out together in MULTI/EXEC).
                server.propagation().beginUnit();
                try {
                    run(c, cmd, denied);
                    if (!(c.blockState instanceof BlockedClient)) {
                        internalUnblocked.accept(c);
                    }
                } finally {
                    server.propagation().endUnit();
                }
            } else {
                run(c, cmd, denied);
            }
        } finally {
            reprocessing = outer;
            if (c.blockState == null) {
                c.argv = savedArgv;
                c.argc = savedArgc;
            }
        }
    }

    private void run(Client c, Command cmd, String denied) {
        if (denied != null) {
            server.dispatcher().reject(c, cmd, denied);
        } else {
            server.dispatcher().call(c, cmd);
        }
    }

    BlockedClient blockOf(Client c) {
        return c.blockState instanceof BlockedClient b ? b : null;
    }

    private long blockingKeys() {
        long n = 0;
        for (Map<ByteKey, LinkedHashSet<BlockedClient>> m : waiters) {
            if (m != null) {
                n += m.size();
            }
        }
        return n;
    }

    private long blockingKeysOnNoKey() {
        long n = 0;
        for (Map<ByteKey, LinkedHashSet<BlockedClient>> m : waiters) {
            if (m == null) {
                continue;
            }
            for (LinkedHashSet<BlockedClient> set : m.values()) {
                for (BlockedClient b : set) {
                    if (b.unblockOnNoKey) {
                        n++;
                        break;
                    }
                }
            }
        }
        return n;
    }
}
