package dev.trellis.server.eviction;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.types.RedisValue;

/**
 * used_memory for a garbage-collected server. The JVM's own figure (heap in use) moves with
 * garbage and collections, so it cannot drive maxmemory; instead the dataset is accounted
 * key by key, as Redis's allocator counts it: every key costs its entry object, its name and
 * its value ({@link RedisValue#memoryUsage()}, or the byte array of a string), with sizes as
 * this JVM lays objects out (8-byte alignment, compact object headers).
 *
 * <p>The count is incremental and exact with respect to those estimates: each key remembers
 * what it was counted for ({@link KeyEntry#memory()}); a modified key (every write signals
 * one) is measured again and only the difference is added; a removed key gives back what it
 * was counted for. A slow audit in the cron re-measures a slice of the keyspace each tick, so
 * an in-place change that was not signalled is corrected within a few passes.
 *
 * <p>Measuring a big collection walks its nodes, so a key already counted for at least
 * {@link #DEFER_BYTES} is not measured on every write (an LPUSH or XADD would cost time
 * proportional to the list or stream): it is queued and measured once, at the next cron tick or
 * when used_memory is read ({@link #usedMemory()}). Eviction's per-command check
 * ({@link #estimatedUsedMemory()}) reads the count without measuring them, so it may trail such a
 * key's growth by one tick.
 *
 * <p>{@link #usedMemory()} adds the dictionaries' bucket arrays and the clients' buffers, which
 * is what maxmemory compares with. A test checks the dataset figure against the heap the JVM
 * reports after a full collection.
 */
public final class MemoryMeter implements KeyspaceObserver {
    /** KeyEntry with compact headers: 8 header + 8 expiry + 4 ints + 3 references = 48 bytes. */
    static final int ENTRY_BYTES = 48;
    /** The entry's share of its dictionary's bucket array and of the rehash slack. */
    static final int SLOT_BYTES = 4;
    /** A byte[] header with compact object headers: 8 (mark and class) + 4 (length). */
    static final int ARRAY_HEADER = 12;
    private static final int AUDIT_PER_TICK = 2000;
    /** Keys counted for at least this many bytes are re-measured once per tick, not per write. */
    static final int DEFER_BYTES = 16 * 1024;

    private final Server server;
    private long dataset;
    private long clientBytes;
    private int auditDb;
    private long auditCursor;
    /** Big keys modified since they were last measured, with their database. */
    private final java.util.IdentityHashMap<KeyEntry, Database> deferred = new java.util.IdentityHashMap<>();

    public MemoryMeter(Server server) {
        this.server = server;
        server.keyspace().addObserver(this);
        server.addCronTask(this::cron);
    }

    /** Bytes of a byte array of {@code n} elements. */
    static long arrayBytes(long n) {
        return (ARRAY_HEADER + n + 7) & ~7L;
    }

    /** The bytes a key costs: entry, name, dictionary slot and value. */
    public static long entryBytes(KeyEntry e) {
        return ENTRY_BYTES + SLOT_BYTES + arrayBytes(e.key().length) + valueBytes(e.rawValue());
    }

    public static long valueBytes(Object v) {
        if (v instanceof byte[] b) {
            return arrayBytes(b.length);
        }
        if (v instanceof RedisValue rv) {
            return rv.memoryUsage();
        }
        return 16;
    }

    private static int clamp(long n) {
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** Counts {@code e} again, adding the difference from what it was counted for. */
    private void measure(KeyEntry e) {
        int now = clamp(entryBytes(e));
        dataset += now - e.memory();
        e.memory(now);
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        KeyEntry e = db.peek(key);
        if (e != null) {
            entryModified(db, e);
        }
    }

    @Override
    public void entryModified(Database db, KeyEntry e) {
        if (e.memory() >= DEFER_BYTES && e.rawValue() instanceof RedisValue) {
            deferred.put(e, db);
        } else {
            measure(e);
        }
    }

    @Override
    public void entryRemoved(Database db, KeyEntry e) {
        if (!deferred.isEmpty()) {
            deferred.remove(e);
        }
        dataset -= e.memory();
        e.memory(0);
    }

    /** Measures the big keys modified since the last call (those still in their database). */
    private void measureDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        for (var d : deferred.entrySet()) {
            KeyEntry e = d.getKey();
            if (d.getValue().peek(e.key()) == e) {
                measure(e);
            }
        }
        deferred.clear();
    }

    /** Bytes held by keys and values. */
    public long datasetBytes() {
        measureDeferred();
        return dataset;
    }

    /** The databases' bucket arrays (a reference each). */
    public long keyspaceOverhead() {
        long n = 0;
        for (int i = 0; i < server.keyspace().databases(); i++) {
            n += 4L * server.keyspace().db(i).dict().buckets() + 16;
        }
        return n;
    }

    /** Query and reply buffers of the clients, as of the last cron tick. */
    public long clientBytes() {
        return clientBytes;
    }

    /** used_memory: the dataset, the keyspace's own structures and the clients' buffers. */
    public long usedMemory() {
        measureDeferred();
        return estimatedUsedMemory();
    }

    /**
     * used_memory without first measuring the big keys written since the last tick: what the
     * per-command maxmemory check reads, so that it stays cheap.
     */
    public long estimatedUsedMemory() {
        return dataset + keyspaceOverhead() + clientBytes;
    }

    private void cron() {
        long n = 0;
        for (Client c : server.clients().values()) {
            n += c.queryBufferBytes;
            if (c.transport() != null) {
                n += c.transport().pendingOutputBytes();
            }
        }
        clientBytes = n;
        measureDeferred();
        audit(AUDIT_PER_TICK);
    }

    /** Re-measures up to about {@code budget} keys, continuing where the last audit stopped. */
    void audit(int budget) {
        int dbs = server.keyspace().databases();
        int[] visited = {0};
        for (int tries = 0; tries < dbs && visited[0] < budget; tries++) {
            Database db = server.keyspace().db(auditDb);
            if (db.size() > 0) {
                do {
                    auditCursor = db.scan(auditCursor, e -> {
                        measure(e);
                        visited[0]++;
                    });
                } while (auditCursor != 0 && visited[0] < budget);
            } else {
                auditCursor = 0;
            }
            if (auditCursor == 0) {
                auditDb = (auditDb + 1) % dbs;
            }
        }
    }

    /** Measures every key again (tests, DEBUG); returns the dataset bytes. */
    public long recount() {
        deferred.clear();
        long total = 0;
        for (int i = 0; i < server.keyspace().databases(); i++) {
            Database db = server.keyspace().db(i);
            long[] sum = {0};
            db.dict().forEach(e -> {
                measure(e);
                sum[0] += e.memory();
            });
            total += sum[0];
        }
        dataset = total;
        return total;
    }
}
