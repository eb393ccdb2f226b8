package dev.trellis.server.eviction;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.tx.Transactions;

/**
 * maxmemory: before each command, while {@link MemoryMeter#estimatedUsedMemory()} is above the limit,
 * keys are evicted as maxmemory-policy says (approximated LRU/LFU through a sampled pool,
 * random, or nearest expiry); when nothing can be evicted, commands flagged deny-oom (and any
 * command queued in MULTI) are refused with the OOM error. Evictions count in evicted_keys,
 * fire the "evicted" event, signal the key (WATCH, tracking) and are propagated as DEL.
 * A round is bounded in time by maxmemory-eviction-tenacity; the rest continues in a task.
 */
public final class Eviction {
    /** The outcome of an eviction round. */
    public enum Result { OK, RUNNING, FAIL }

    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Server server;
    private final MemoryMeter meter;
    /** Memory outside the accounted dataset that counts towards maxmemory (module allocations). */
    private final java.util.List<java.util.function.LongSupplier> external =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final EvictionPool pool = new EvictionPool();
    private int nextDb;
    private boolean backgroundRunning;

    public Eviction(Server server, MemoryMeter meter) {
        this.server = server;
        this.meter = meter;
        server.config().onChange("maxmemory", v -> {
            if (server.config().maxmemory > 0 && meter.usedMemory() > server.config().maxmemory) {
                ServerLog.get().warning("WARNING: the new maxmemory value set via CONFIG SET ("
                        + server.config().maxmemory + ") is smaller than the current memory usage ("
                        + meter.usedMemory() + "). This will result in key eviction and/or the inability to "
                        + "accept new write commands depending on the maxmemory-policy.");
                startBackground();
            }
        });
        server.config().onChange("maxmemory-policy", v -> pool.clear());
    }

    /**
     * Counts memory the meter does not see towards maxmemory, as Redis counts everything its
     * allocator hands out (module allocations included) in the figure eviction compares.
     */
    public void countTowardsMaxmemory(java.util.function.LongSupplier bytes) {
        external.add(bytes);
    }

    /** What maxmemory is compared with: the meter's per-command figure plus external memory. */
    private long used() {
        long u = meter.estimatedUsedMemory();
        for (java.util.function.LongSupplier s : external) {
            u += s.getAsLong();
        }
        return u;
    }

    /** The gate that evicts before a command and refuses deny-oom commands when it cannot. */
    public Dispatcher.Gate oomGate() {
        return (c, cmd) -> {
            if (server.config().maxmemory == 0) {
                return false;
            }
            boolean outOfMemory = performEvictions() == Result.FAIL;
            if (outOfMemory && rejectsOnOom(c, cmd)) {
                server.dispatcher().reject(c, cmd, OOM);
                return true;
            }
            return false;
        };
    }

    private boolean rejectsOnOom(Client c, Command cmd) {
        if (cmd.has(CommandFlags.DENYOOM)) {
            return true;
        }
        var scripting = dev.trellis.server.scripting.Scripting.of(server);
        if (scripting != null && scripting.deniesOom(cmd, c.argv, c.argc)) {
            return true; // a script whose flags make it deny-oom (Redis's evalGetCommandFlags)
        }
        String name = cmd.parent() == null ? cmd.name() : "";
        if (name.equals("exec")) {
            return (server.transactions().queuedFlags(c) & CommandFlags.DENYOOM) != 0;
        }
        // Queueing in MULTI may use any amount of memory: refuse it too.
        return Transactions.inMulti(c) && !name.equals("discard") && !name.equals("quit") && !name.equals("reset");
    }

    private boolean overLimit() {
        long max = server.config().maxmemory;
        return max > 0 && used() > max;
    }

    /** Evicts until used memory is under maxmemory, within the time tenacity allows. */
    public Result performEvictions() {
        long max = server.config().maxmemory;
        if (max == 0 || used() <= max) {
            return Result.OK;
        }
        String policy = server.config().maxmemoryPolicy;
        if (policy.equals("noeviction")) {
            return Result.FAIL;
        }
        long limitNanos = timeLimitMicros() * 1000;
        long start = System.nanoTime();
        int evicted = 0;
        while (used() > max) {
            if (!evictOne(policy)) {
                return Result.FAIL;
            }
            evicted++;
            if (evicted % 16 == 0 && System.nanoTime() - start > limitNanos) {
                startBackground();
                return Result.RUNNING;
            }
        }
        return Result.OK;
    }

    private void startBackground() {
        if (backgroundRunning) {
            return;
        }
        backgroundRunning = true;
        server.execute(this::backgroundRound);
    }

    private void backgroundRound() {
        Result r = performEvictionsWithoutBackground();
        if (r == Result.RUNNING) {
            server.execute(this::backgroundRound);
        } else {
            backgroundRunning = false;
        }
    }

    private Result performEvictionsWithoutBackground() {
        boolean was = backgroundRunning;
        backgroundRunning = true; // performEvictions must not schedule a second task
        try {
            return performEvictions();
        } finally {
            backgroundRunning = was;
        }
    }

    /** maxmemory-eviction-tenacity (0..100) as a time budget per round, in microseconds. */
    private long timeLimitMicros() {
        var p = server.config().find("maxmemory-eviction-tenacity");
        int t = p == null ? 10 : Integer.parseInt(p.get());
        if (t <= 10) {
            return 50L * t;
        }
        if (t < 100) {
            return (long) (500.0 * Math.pow(1.15, t - 10.0));
        }
        return Long.MAX_VALUE / 1000;
    }

    /** Evicts one key chosen by {@code policy}; false when there is none to evict. */
    boolean evictOne(String policy) {
        boolean allKeys = policy.startsWith("allkeys");
        if (policy.endsWith("random")) {
            return evictRandom(allKeys);
        }
        int dbs = server.keyspace().databases();
        while (true) {
            long total = 0;
            for (int i = 0; i < dbs; i++) {
                Database db = server.keyspace().db(i);
                int n = allKeys ? db.size() : db.volatileSize();
                if (n > 0) {
                    populate(db, allKeys, policy);
                    total += n;
                }
            }
            if (total == 0) {
                return false;
            }
            while (!pool.isEmpty()) {
                byte[] key = pool.pollBest();
                Database db = server.keyspace().db(pool.lastDb());
                KeyEntry e = db.peek(key);
                if (e != null && (allKeys || e.expireAt() != KeyEntry.NO_EXPIRE)) {
                    evict(db, key);
                    return true;
                }
                // A ghost: deleted or persisted since it was sampled.
            }
        }
    }

    private void populate(Database db, boolean allKeys, String policy) {
        int samples = Math.max(1, server.config().maxmemorySamples);
        boolean lfu = policy.endsWith("lfu");
        boolean ttl = policy.endsWith("ttl");
        for (int i = 0; i < samples; i++) {
            KeyEntry e = allKeys ? db.dict().random() : db.randomVolatile();
            if (e == null) {
                return;
            }
            long score;
            if (ttl) {
                score = Long.MAX_VALUE - e.expireAt();
            } else if (lfu) {
                score = 255 - AccessClock.Lfu.current(e.access());
            } else {
                score = AccessClock.idleSeconds(e.access()) * 1000;
            }
            pool.offer(db.id(), e.key(), score);
        }
    }

    private boolean evictRandom(boolean allKeys) {
        int dbs = server.keyspace().databases();
        for (int i = 0; i < dbs; i++) {
            nextDb = (nextDb + 1) % dbs;
            Database db = server.keyspace().db(nextDb);
            KeyEntry e = allKeys ? db.dict().random() : db.randomVolatile();
            if (e != null) {
                evict(db, e.key());
                return true;
            }
        }
        return false;
    }

    private void evict(Database db, byte[] key) {
        // As Redis: one execution unit per evicted key, opened before the key goes, so what
        // module subscribers write or queue (KEY event, "evicted" event) is propagated with the
        // DEL that follows the event.
        var propagation = server.propagation();
        propagation.beginUnit();
        try {
            int prev = server.keyspace().removalReason(dev.trellis.server.keyspace.KeyspaceObserver.REMOVED_EVICTED);
            boolean deleted;
            try {
                deleted = db.delete(key);
            } finally {
                server.keyspace().removalReason(prev);
            }
            if (!deleted) {
                return; // it had expired: the expiry removed it
            }
            server.stats().evictedKeys++;
            server.keyspace().notify(EventType.EVICTED, "evicted", key, db.id());
            propagation.propagateDel(db.id(), key);
        } finally {
            propagation.endUnit();
        }
    }

    public MemoryMeter meter() {
        return meter;
    }
}
