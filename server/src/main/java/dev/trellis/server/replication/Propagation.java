package dev.trellis.server.replication;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.info.ServerStats;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.keyspace.KeyspaceObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The stream of changes that the AOF and replicas consume. Every command that changed the
 * dataset (the dispatcher observer sees the server's dirty counter move) is propagated with its
 * arguments, or with {@link Client#propagateArgv} when the command rewrote itself (BLPOP as
 * LPOP, SET EX as SET PXAT...). Deletions the server decides on its own (expiry, eviction) are
 * propagated as DEL through {@link #propagate}.
 *
 * <p>Propagated commands are collected per <em>execution unit</em>: everything a top-level
 * command causes (the commands inside EXEC, a served blocked client, keys expired on the way)
 * is handed to the sinks when the top-level command ends, wrapped in MULTI/EXEC when there is
 * more than one command, so a consumer applies the unit atomically (Redis 7's also_propagate).
 * Outside any command (active expiry in the cron, module timers) each command goes out at once.
 *
 * <p>With no sinks registered nothing is collected, so the hot path costs one check.
 */
public final class Propagation implements Dispatcher.Observer, KeyspaceObserver {
    /** Receives the propagated stream; database changes are left to the sink (SELECT as needed). */
    public interface Sink {
        void command(int dbId, byte[][] argv);

        /** Whether this sink moves master_repl_offset itself (by the bytes it sends replicas). */
        default boolean advancesReplOffset() {
            return false;
        }
    }

    private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final Dispatcher dispatcher;
    private final ServerStats stats;
    private final ReplicationEvents replicationEvents = new ReplicationEvents();
    private final CopyOnWriteArrayList<Sink> sinks = new CopyOnWriteArrayList<>();
    private final Dispatcher.Hook observerHook;
    private final Keyspace keyspace;
    private final List<byte[][]> pending = new ArrayList<>();
    private int[] pendingDbs = new int[8];
    private int unitDepth;
    /** The key being expired, whose DEL waits for the end of its notification. */
    private byte[] expiring;
    private int expiringDb;
    /** The expiry opened the current unit (it happened outside any command). */
    private boolean expiryUnit;

    public Propagation(Dispatcher dispatcher, Keyspace keyspace, ServerStats stats) {
        this.dispatcher = dispatcher;
        this.stats = stats;
        // Called only while something (AOF, replicas) receives the stream.
        observerHook = dispatcher.addObserver(this);
        observerHook.enabled(false);
        this.keyspace = keyspace;
        keyspace.addObserver(this);
        keyspace.observerActive(this, false);
    }

    /**
     * Expired keys are deleted on the replicas and in the AOF by an explicit DEL, sent as Redis
     * does after the "expired" event (so what module subscribers write in reaction comes first;
     * the keyspace's keyModified for the key comes last). Outside a command (active expiry, a
     * timer's lookup) the expiry is a unit of its own, which post-notification jobs join.
     */
    @Override
    public void keyExpired(Database db, byte[] key) {
        if (sinks.isEmpty()) {
            return;
        }
        if (dispatcher.depth() == 0 && unitDepth == 0) {
            expiryUnit = true;
            beginUnit();
        }
        expiring = key;
        expiringDb = db.id();
    }

    /**
     * An expiry outside a command opens its unit before the key goes (as Redis's expiry does), so
     * what module KEY-event subscribers write or queue then joins the unit of the DEL.
     */
    @Override
    public void entryRemoving(Database db, dev.trellis.server.keyspace.KeyEntry e, int reason) {
        if (reason == REMOVED_EXPIRED && !expiryUnit && !sinks.isEmpty()
                && dispatcher.depth() == 0 && unitDepth == 0) {
            expiryUnit = true;
            beginUnit();
        }
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        if (expiring == key) {
            expiring = null;
            propagateDel(expiringDb, key);
            if (expiryUnit) {
                expiryUnit = false;
                endUnit();
            }
        }
    }

    /** Propagates the deletion of {@code key} (expiry, eviction). */
    public void propagateDel(int dbId, byte[] key) {
        if (!sinks.isEmpty()) {
            propagate(dbId, new byte[][] {DEL, key});
        }
    }

    private final CopyOnWriteArrayList<java.util.function.BiPredicate<Client, Command>> exclusions =
            new CopyOnWriteArrayList<>();

    /**
     * Excludes commands whose effects are propagated by other means: module commands replicate
     * explicitly (RedisModule_Replicate*), and commands a module runs with Call only when asked.
     */
    public void exclude(java.util.function.BiPredicate<Client, Command> p) {
        exclusions.add(p);
    }

    private boolean excluded(Client c, Command cmd) {
        for (java.util.function.BiPredicate<Client, Command> p : exclusions) {
            if (p.test(c, cmd)) {
                return true;
            }
        }
        return false;
    }

    private final CopyOnWriteArrayList<Runnable> unitEndHooks = new CopyOnWriteArrayList<>();

    /**
     * Work that belongs to the execution unit but runs after its command (module
     * post-notification jobs, as Redis's firePostExecutionUnitJobs): it runs just before the
     * unit is handed to the sinks, so what it propagates joins the unit.
     */
    public void addUnitEndHook(Runnable r) {
        unitEndHooks.add(r);
    }

    private void runUnitEndHooks() {
        unitDepth++;
        try {
            for (Runnable r : unitEndHooks) {
                r.run();
            }
        } finally {
            unitDepth--;
        }
    }

    /** Role changes, master link and replica changes, for module server events. */
    public ReplicationEvents replicationEvents() {
        return replicationEvents;
    }

    /** This server's replication role as a replica, or null while a master (set by REPLICAOF). */
    public interface ReplicaRole {
        /** Whether the link to the master is up (the initial sync finished). */
        boolean linkUp();

        /** Whether the replica refuses writes from its clients (replica-read-only). */
        boolean readOnly();

        /** CLIENT KILL TYPE master: drops the link (it is made again); false when there is none. */
        default boolean killMasterLink() {
            return false;
        }
    }

    private volatile ReplicaRole replicaRole;

    /** The replica's role while this server replicates a master, or null while a master. */
    public ReplicaRole replicaRole() {
        return replicaRole;
    }

    /** Called by REPLICAOF host port (a role) and REPLICAOF NO ONE (null). */
    public void replicaRole(ReplicaRole role) {
        replicaRole = role;
    }

    public void addSink(Sink s) {
        sinks.add(s);
        observerHook.enabled(true);
        keyspace.observerActive(this, true);
    }

    public void removeSink(Sink s) {
        sinks.remove(s);
        observerHook.enabled(!sinks.isEmpty());
        keyspace.observerActive(this, !sinks.isEmpty() || expiring != null);
    }

    public boolean active() {
        return !sinks.isEmpty();
    }

    /**
     * Propagates {@code argv} as executed against database {@code dbId}: queued in the current
     * execution unit, or sent at once when no command is running.
     */
    public void propagate(int dbId, byte[][] argv) {
        if (sinks.isEmpty()) {
            return;
        }
        add(dbId, argv);
        if (dispatcher.depth() == 0 && unitDepth == 0) {
            runUnitEndHooks();
            flush();
        }
    }

    private void add(int dbId, byte[][] argv) {
        if (pending.size() == pendingDbs.length) {
            pendingDbs = java.util.Arrays.copyOf(pendingDbs, pendingDbs.length * 2);
        }
        pendingDbs[pending.size()] = dbId;
        pending.add(argv);
    }

    /**
     * Opens an execution unit outside of a command (e.g. serving blocked clients, evicting before
     * a command): what is propagated until {@link #endUnit} goes out as one unit.
     */
    public void beginUnit() {
        unitDepth++;
    }

    /** Whether an execution unit opened by {@link #beginUnit} is running (commands inside it are not units). */
    public boolean inUnit() {
        return unitDepth > 0;
    }

    public void endUnit() {
        if (unitDepth == 1 && dispatcher.depth() == 0) {
            runUnitEndHooks(); // also without sinks: the hooks' work (module jobs) is due now
        }
        if (--unitDepth == 0 && dispatcher.depth() == 0) {
            flush();
        }
    }

    @Override
    public void executed(Client c, Command cmd, boolean dirty, long startMs, long micros) {
        if (sinks.isEmpty()) {
            return;
        }
        if (dirty && !isExec(cmd) && !excluded(c, cmd)) {
            byte[][] argv = c.propagateArgv;
            if (argv == null) {
                argv = java.util.Arrays.copyOf(c.argv, c.argc);
            }
            add(c.db().id(), argv);
        }
        if (dispatcher.depth() == 0 && unitDepth == 0) {
            runUnitEndHooks();
            unitClient = c;
            try {
                flush();
            } finally {
                unitClient = null;
            }
        }
    }

    /** The client whose command's unit is being handed to the sinks now, or null (WAIT's offsets). */
    private Client unitClient;

    private static boolean isExec(Command cmd) {
        return cmd.parent() == null && cmd.name().equals("exec");
    }

    /** Hands the pending unit to the sinks, wrapped in MULTI/EXEC when it has several commands. */
    private void flush() {
        int n = pending.size();
        if (n == 0) {
            return;
        }
        boolean wrap = n > 1;
        int firstDb = pendingDbs[0];
        boolean offsetMoved = false;
        for (Sink s : sinks) {
            offsetMoved |= s.advancesReplOffset();
            if (wrap) {
                s.command(firstDb, MULTI);
            }
            for (int i = 0; i < n; i++) {
                s.command(pendingDbs[i], pending.get(i));
            }
            if (wrap) {
                s.command(pendingDbs[n - 1], EXEC);
            }
        }
        pending.clear();
        if (!offsetMoved && replicaRole == null) {
            // Nobody is fed by bytes (the AOF alone): one step per command, as Redis, so WAITAOF
            // can tell which writes an fsync covered.
            stats.masterReplOffset += wrap ? n + 2 : n;
        }
        if (unitClient != null) {
            unitClient.woff = stats.masterReplOffset; // WAIT/WAITAOF wait for what it propagated
        }
    }
}
