package dev.trellis.server.commands.hash;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.types.hash.RedisHash;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Hash field expiration (Redis 7.4): lazy removal when a command reads an expired field, and
 * an active cycle in the cron that removes expired fields of hashes nobody reads.
 *
 * <p>The active cycle keeps a queue of (earliest field expiry, db, key, hash). Entries are
 * checked when they come due: the key must still hold that very hash (else the entry is
 * dropped or re-pointed), so deletes and overwrites need no bookkeeping. Renames, MOVE, COPY
 * RESTORE and hashes loaded from an RDB are picked up by watching modified (and added) keys.
 */
public final class HashExpiry implements KeyspaceObserver {
    public static final int NOT_FOUND = -1;
    /** The field had expired and was removed. */
    public static final int EXPIRED = -2;
    /** The field had expired and was the last one: the key was deleted. */
    public static final int EXPIRED_HASH = -3;

    /** Field deletions per cron run at most, so a burst of expiries cannot stall the server. */
    private static final int FIELDS_PER_CYCLE = 1000;
    private static final long CYCLE_NANOS = 1_000_000;
    private static final byte[] HDEL = "HDEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private record Tracked(long when, int db, byte[] key, RedisHash hash) {
    }

    private final Server server;
    private final Keyspace keyspace;
    private final PriorityQueue<Tracked> queue = new PriorityQueue<>((a, b) -> Long.compare(a.when, b.when));
    /** Fields removed because their TTL passed (Redis's expired_subkeys). */
    public long expiredFields;

    public HashExpiry(Server server) {
        this.server = server;
        this.keyspace = server.keyspace();
    }

    /** Hooks the active cycle into the cron and starts watching keys. */
    void install() {
        keyspace.addObserver(this);
        server.addCronTask(this::activeCycle);
    }

    /** Number of queued hashes (tests, INFO). */
    public int trackedCount() {
        return queue.size();
    }

    /** Makes sure the active cycle will visit {@code h} at {@code key} when its next field is due. */
    public void track(Database db, byte[] key, RedisHash h) {
        long min = h.minExpire();
        if (min == Long.MAX_VALUE) {
            return;
        }
        if (h.trackedAt <= min && h.trackedDb == db.id() && Arrays.equals(h.trackedKey, key)) {
            return;
        }
        h.trackedAt = min;
        h.trackedDb = db.id();
        h.trackedKey = key;
        queue.add(new Tracked(min, db.id(), key, h));
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        // Not skipped just because nothing is queued: a hash with field TTLs can arrive without
        // any HEXPIRE here (RDB load, RESTORE, a replica's full sync) and must be queued then.
        if (queue.isEmpty() && !RedisHash.fieldTtlsSeen) {
            return;
        }
        KeyEntry e = db.peek(key);
        if (e != null && e.rawValue() instanceof RedisHash h
                && (h.trackedDb != db.id() || !Arrays.equals(h.trackedKey, key))) {
            h.trackedAt = Long.MAX_VALUE;
            track(db, key, h);
        }
    }

    /** One active step: expires due fields of queued hashes within a small budget. */
    void activeCycle() {
        if (queue.isEmpty() || !keyspace.activeExpireEnabled()) {
            return;
        }
        long deadline = System.nanoTime() + CYCLE_NANOS;
        int quota = FIELDS_PER_CYCLE;
        keyspace.freezeClock();
        try {
            long now = keyspace.now();
            while (quota > 0 && !queue.isEmpty() && queue.peek().when <= now && System.nanoTime() < deadline) {
                Tracked t = queue.poll();
                RedisHash h = t.hash;
                if (h.trackedAt != t.when || h.trackedDb != t.db || !Arrays.equals(h.trackedKey, t.key)) {
                    continue; // superseded by a newer entry for this hash
                }
                h.trackedAt = Long.MAX_VALUE;
                Database db = keyspace.db(t.db);
                KeyEntry e = db.peek(t.key);
                if (e == null || e.value() != h) {
                    db = findHolder(t.key, h);
                    if (db == null) {
                        continue; // the hash was deleted or replaced
                    }
                }
                quota -= expireDue(db, t.key, h, now, quota);
                if (db.peek(t.key) != null) {
                    track(db, t.key, h);
                }
            }
        } finally {
            keyspace.unfreezeClock();
        }
    }

    /** After SWAPDB or MOVE the hash may sit at the same key in another database. */
    private Database findHolder(byte[] key, RedisHash h) {
        for (int i = 0; i < keyspace.databases(); i++) {
            KeyEntry e = keyspace.db(i).peek(key);
            if (e != null && e.value() == h) {
                return keyspace.db(i);
            }
        }
        return null;
    }

    /**
     * Removes up to {@code max} fields of {@code h} whose time has come, with the hexpired
     * event and, when the hash empties, the key's deletion and a del event.
     */
    private int expireDue(Database db, byte[] key, RedisHash h, long now, int max) {
        int n = h.expireFields(now, max, f -> propagateDeletion(db, key, f));
        if (n == 0) {
            return 0;
        }
        expiredFields += n;
        keyspace.notify(EventType.HASH, "hexpired", key, db.id());
        if (h.isEmpty()) {
            db.delete(key);
            keyspace.notify(EventType.GENERIC, "del", key, db.id());
        } else {
            keyspace.signalModified(db, key);
        }
        return n;
    }

    /** Replicas and the AOF drop an expired field through an explicit HDEL, as Redis sends. */
    void propagateDeletion(Database db, byte[] key, byte[] field) {
        if (server.propagation().active()) {
            server.propagation().propagate(db.id(), new byte[][] {HDEL, key, field});
        }
    }

    /**
     * Removes every expired field of {@code h} (HRANDFIELD does this first). Returns true when
     * the hash emptied and the key was deleted.
     */
    public boolean expireAll(Client c, byte[] key, RedisHash h) {
        long now = keyspace.now();
        if (h.minExpire() >= now) {
            return false;
        }
        expireDue(c.db(), key, h, now - 1, Integer.MAX_VALUE);
        return c.db().peek(key) == null;
    }

    /**
     * Position of {@code field} in {@code h}, removing it first when its TTL has passed:
     * then {@link #EXPIRED} (with an hexpired event unless {@code quiet}) or, if that was the
     * last field and the key went away, {@link #EXPIRED_HASH} (with a del event unless quiet).
     */
    public int lookupField(Client c, byte[] key, RedisHash h, byte[] field, boolean quiet) {
        int pos = h.find(field);
        if (pos < 0) {
            return NOT_FOUND;
        }
        long t = h.expireAt(pos);
        if (t == RedisHash.NO_TTL || t >= keyspace.now()) {
            return pos;
        }
        Database db = c.db();
        propagateDeletion(db, key, field);
        h.deleteAt(pos);
        expiredFields++;
        if (!quiet) {
            keyspace.notify(EventType.HASH, "hexpired", key, db.id());
        }
        if (h.isEmpty()) {
            db.delete(key);
            if (!quiet) {
                keyspace.notify(EventType.GENERIC, "del", key, db.id());
            }
            return EXPIRED_HASH;
        }
        keyspace.signalModified(db, key);
        return EXPIRED;
    }
}
