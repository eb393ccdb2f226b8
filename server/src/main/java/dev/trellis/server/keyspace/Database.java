package dev.trellis.server.keyspace;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One numbered database: the key dictionary plus the array of keys that have a TTL (for the
 * active expiry cycle to sample). Lookups expire keys lazily. Only the server thread touches it.
 */
public final class Database {
    private final int id;
    private final Keyspace keyspace;
    private Dict dict = new Dict();
    private KeyEntry[] volatileKeys = new KeyEntry[16];
    private int volatileCount;

    Database(int id, Keyspace keyspace) {
        this.id = id;
        this.keyspace = keyspace;
    }

    public int id() {
        return id;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public int size() {
        return dict.size();
    }

    public int volatileSize() {
        return volatileCount;
    }

    public Dict dict() {
        return dict;
    }

    /** The entry for {@code key} if present and not expired (an expired key is deleted). */
    public KeyEntry lookup(byte[] key) {
        KeyEntry e = dict.find(key);
        if (e != null) {
            lastKey = key;
            lastEntry = e;
        }
        if (e != null && e.expireAt != KeyEntry.NO_EXPIRE && keyspace.isExpired(e.expireAt)) {
            if (keyspace.expireKey(this, e)) {
                return null;
            }
        }
        if (e != null && keyspace.snapshotHook != null) {
            keyspace.snapshotHook.lookedUp(dict, e);
        }
        return e;
    }

    /** The entry without looking at its TTL (for introspection such as DEBUG OBJECT). */
    public KeyEntry peek(byte[] key) {
        if (key == lastKey) {
            return lastEntry; // the command's own key, told to observers after its write
        }
        return dict.find(key);
    }

    /**
     * The entry the last lookup or add found, by the identity of its key array: a command looks
     * its key up, writes, then signals the key with the same array, and observers that want the
     * entry (memory accounting) get it without hashing again. Forgotten when the entry leaves.
     */
    private byte[] lastKey;
    private KeyEntry lastEntry;

    private void forgetLast() {
        lastKey = null;
        lastEntry = null;
    }

    /** Flags for {@link #lookupRead(byte[], int)}: leave the access clock alone. */
    public static final int NO_TOUCH = 1;
    /** Do not fire the "keymiss" event on a miss. */
    public static final int NO_NOTIFY = 2;
    /** Do not count a keyspace hit or miss. */
    public static final int NO_STATS = 4;

    /**
     * A read lookup, as Redis's lookupKeyRead: expires the key lazily, updates its access
     * clock, counts a keyspace hit or miss and fires "keymiss" on a miss.
     */
    public KeyEntry lookupRead(byte[] key) {
        return lookupRead(key, 0);
    }

    /** A read lookup with {@link #NO_TOUCH}, {@link #NO_NOTIFY}, {@link #NO_STATS} flags. */
    public KeyEntry lookupRead(byte[] key, int flags) {
        KeyEntry e = lookup(key);
        if (e != null) {
            if ((flags & NO_TOUCH) == 0) {
                keyspace.touch(e);
            }
            if ((flags & NO_STATS) == 0) {
                keyspace.keyspaceHits++;
            }
        } else {
            if ((flags & NO_NOTIFY) == 0) {
                keyspace.notify(EventType.KEY_MISS, "keymiss", key, id);
            }
            if ((flags & NO_STATS) == 0) {
                keyspace.keyspaceMisses++;
            }
        }
        return e;
    }

    /** A write lookup, as Redis's lookupKeyWrite: lazy expiry and access clock, no stats. */
    public KeyEntry lookupWrite(byte[] key) {
        KeyEntry e = lookup(key);
        if (e != null) {
            keyspace.touch(e);
        }
        return e;
    }

    /** The value for {@code key}, or null. Updates the access clock (no stats). */
    public Object get(byte[] key) {
        KeyEntry e = lookup(key);
        if (e == null) {
            return null;
        }
        keyspace.touch(e);
        return e.value();
    }

    public boolean exists(byte[] key) {
        return lookup(key) != null;
    }

    /**
     * Sets {@code key} to {@code value}, creating it or overwriting any value. The TTL is
     * cleared unless {@code keepTtl}. Signals the modification. Returns the entry.
     */
    public KeyEntry set(byte[] key, Object value, boolean keepTtl) {
        KeyEntry e = lookup(key);
        if (e == null) {
            return add(key, value);
        }
        overwrite(e, value, keepTtl);
        return e;
    }

    /**
     * Overwrites the value of an entry found by {@link #lookup} in this command (no second
     * lookup); clears the TTL unless {@code keepTtl}. Signals the modification.
     */
    public void overwrite(KeyEntry e, Object value, boolean keepTtl) {
        keyspace.entryRemoving(this, e, KeyspaceObserver.REMOVED_OVERWRITTEN);
        if (keyspace.snapshotHook != null) {
            keyspace.snapshotHook.changing(dict, e);
        }
        e.value(value);
        if (!keepTtl) {
            removeExpire(e);
        }
        keyspace.touch(e);
        keyspace.entryModified(this, e);
    }

    /**
     * Adds a key known to be absent (caller checked with lookup). Signals the modification and
     * fires the "new" event, as Redis's dbAdd.
     */
    public KeyEntry add(byte[] key, Object value) {
        return add(key, KeyHash.hash(key), value);
    }

    /** {@link #add(byte[], Object)} with the key's {@link KeyHash} already computed (bulk loading). */
    public KeyEntry add(byte[] key, int hash, Object value) {
        KeyEntry e = dict.addNew(key, hash, value);
        lastKey = key;
        lastEntry = e;
        if (keyspace.snapshotHook != null) {
            keyspace.snapshotHook.added(dict, e);
        }
        keyspace.initAccess(e);
        keyspace.entryModified(this, e);
        keyspace.notify(EventType.NEW, "new", key, id);
        return e;
    }

    /** Deletes {@code key}; returns true when it existed (and was not already expired). */
    public boolean delete(byte[] key) {
        KeyEntry e = lookup(key);
        if (e == null) {
            return false;
        }
        unlink(e);
        keyspace.keyModified(this, key);
        return true;
    }

    /**
     * Deletes {@code key} whatever its TTL, as Redis's dbDelete: a *STORE command whose result is
     * empty removes its destination this way, so an expired destination fires "del", not
     * "expired". Returns true when the key was in the dictionary.
     */
    public boolean deleteStoreDestination(byte[] key) {
        KeyEntry e = dict.find(key);
        if (e == null) {
            return false;
        }
        unlink(e);
        keyspace.keyModified(this, key);
        return true;
    }

    /** Removes the entry from the dictionary without signalling (callers signal). */
    void unlink(KeyEntry e) {
        keyspace.entryRemoving(this, e, keyspace.removalReason());
        if (keyspace.snapshotHook != null) {
            keyspace.snapshotHook.changing(dict, e);
        }
        dict.remove(e.key);
        if (e == lastEntry) {
            forgetLast();
        }
        removeVolatile(e);
        keyspace.entryRemoved(this, e, false);
    }

    public void setExpire(KeyEntry e, long whenMs) {
        if (keyspace.snapshotHook != null) {
            keyspace.snapshotHook.changing(dict, e);
        }
        if (e.volatileIndex < 0) {
            if (volatileCount == volatileKeys.length) {
                volatileKeys = java.util.Arrays.copyOf(volatileKeys, volatileCount * 2);
            }
            e.volatileIndex = volatileCount;
            volatileKeys[volatileCount++] = e;
        }
        e.expireAt = whenMs;
    }

    /** Clears the TTL; returns true when there was one. */
    public boolean removeExpire(KeyEntry e) {
        if (e.expireAt == KeyEntry.NO_EXPIRE) {
            return false;
        }
        if (keyspace.snapshotHook != null) {
            keyspace.snapshotHook.changing(dict, e);
        }
        removeVolatile(e);
        return true;
    }

    private void removeVolatile(KeyEntry e) {
        int i = e.volatileIndex;
        if (i >= 0) {
            KeyEntry last = volatileKeys[--volatileCount];
            volatileKeys[i] = last;
            last.volatileIndex = i;
            volatileKeys[volatileCount] = null;
            e.volatileIndex = -1;
            if (volatileKeys.length > 64 && volatileCount * 4 < volatileKeys.length) {
                volatileKeys = java.util.Arrays.copyOf(volatileKeys, volatileKeys.length / 2);
            }
        }
        e.expireAt = KeyEntry.NO_EXPIRE;
    }

    /** A uniformly chosen key with a TTL, or null. */
    public KeyEntry randomVolatile() {
        return volatileCount == 0 ? null : volatileKeys[ThreadLocalRandom.current().nextInt(volatileCount)];
    }

    /** A random live key, or null when empty (expired candidates are deleted and retried). */
    public KeyEntry randomKey() {
        for (int tries = 0; dict.size() > 0; tries++) {
            KeyEntry e = dict.random();
            if (e.expireAt == KeyEntry.NO_EXPIRE || !keyspace.isExpired(e.expireAt)) {
                return e;
            }
            if (!keyspace.expireDeletes() && tries > 100 && volatileCount == dict.size()) {
                // A replica cannot delete: with only expired-looking keys, stop trying (as Redis).
                return e;
            }
            keyspace.expireKey(this, e);
        }
        return null;
    }

    public long scan(long cursor, Consumer<KeyEntry> visitor) {
        return dict.scan(cursor, visitor);
    }

    /** Removes every key; returns how many there were. */
    public long clear() {
        keyspace.databaseReplacing(this, null);
        long n = dict.size();
        dict.forEach(e -> keyspace.entryRemoved(this, e, true));
        dict = new Dict();
        forgetLast();
        volatileKeys = new KeyEntry[16];
        volatileCount = 0;
        keyspace.databaseChanged(this);
        return n;
    }

    /** Exchanges contents with {@code other} (SWAPDB); ids stay. */
    void swapWith(Database other) {
        forgetLast();
        other.forgetLast();
        Dict d = dict;
        dict = other.dict;
        other.dict = d;
        KeyEntry[] v = volatileKeys;
        volatileKeys = other.volatileKeys;
        other.volatileKeys = v;
        int c = volatileCount;
        volatileCount = other.volatileCount;
        other.volatileCount = c;
    }

    /**
     * One pass of active expiry: samples keys with a TTL and deletes the expired ones, repeating
     * while more than a quarter of a sample was expired and time remains. Returns keys expired.
     */
    public int activeExpire(long deadlineNanos, int samplesPerLoop) {
        int expired = 0;
        while (volatileCount > 0) {
            int sampled = 0;
            int hits = 0;
            int n = Math.min(samplesPerLoop, volatileCount);
            for (int i = 0; i < n && volatileCount > 0; i++) {
                KeyEntry e = randomVolatile();
                sampled++;
                if (keyspace.isExpired(e.expireAt) && keyspace.expireKey(this, e)) {
                    hits++;
                }
            }
            expired += hits;
            if (sampled == 0 || hits * 4 <= sampled || System.nanoTime() > deadlineNanos) {
                break;
            }
        }
        return expired;
    }

    /** Average remaining TTL of a sample of volatile keys, for INFO keyspace's avg_ttl. */
    public long averageTtl(long nowMs) {
        if (volatileCount == 0) {
            return 0;
        }
        int n = Math.min(volatileCount, 64);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.max(0, volatileKeys[ThreadLocalRandom.current().nextInt(volatileCount)].expireAt - nowMs);
        }
        return sum / n;
    }
}
