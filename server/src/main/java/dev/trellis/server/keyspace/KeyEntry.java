package dev.trellis.server.keyspace;

/**
 * One key in a database: its name, value, expiry and access clock, chained in a {@link Dict}
 * bucket. Kept small on purpose: it is the per-key overhead of the whole server.
 */
public final class KeyEntry {
    public static final long NO_EXPIRE = -1;

    final byte[] key;
    final int hash;
    Object value;
    long expireAt = NO_EXPIRE;
    /** LRU clock (seconds, 24 bits used) or LFU counter+time, depending on maxmemory-policy. */
    int access;
    /** Index in the database's volatile-key array, or -1. */
    int volatileIndex = -1;
    KeyEntry next;

    KeyEntry(byte[] key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
    }

    public byte[] key() {
        return key;
    }

    public Object value() {
        return value;
    }

    /** Replaces the value in place, keeping expiry. Callers must signal the modification. */
    public void value(Object value) {
        this.value = value;
    }

    public long expireAt() {
        return expireAt;
    }

    public int access() {
        return access;
    }

    public void access(int access) {
        this.access = access;
    }
}
