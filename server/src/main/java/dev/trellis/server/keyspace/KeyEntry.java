package dev.trellis.server.keyspace;

import dev.trellis.server.types.GrowableString;

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
    /**
     * Low 24 bits: LRU clock (seconds) or LFU counter+time, depending on maxmemory-policy.
     * Bits 24-25: the {@link #stringEncoding() string encoding hint}. Packed here so the hint
     * costs no memory per key.
     */
    int access;
    /** Index in the database's volatile-key array, or -1. */
    int volatileIndex = -1;
    /**
     * The bytes this key was last counted for in used_memory (eviction.MemoryMeter keeps it),
     * so a change is accounted as a difference without walking the keyspace.
     */
    int memory;
    KeyEntry next;

    KeyEntry(byte[] key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
        if (value instanceof HeldValue h) {
            h.held();
        }
    }

    /** The key's hash (its bucket in the {@link Dict}; snapshots order their walk by it). */
    public int hash() {
        return hash;
    }

    public byte[] key() {
        return key;
    }

    /**
     * The value: a {@code byte[]} for strings, a {@link dev.trellis.server.types.RedisValue}
     * otherwise. A string that APPEND left with spare room is trimmed to its exact bytes here
     * (once), so callers never see the growing form.
     */
    public Object value() {
        if (value instanceof GrowableString g) {
            value = g.toBytes();
        }
        return value;
    }

    /**
     * The value as stored, which for a string being appended to may be a
     * {@link GrowableString}: only APPEND, STRLEN and memory accounting read it this way.
     */
    public Object rawValue() {
        return value;
    }

    /**
     * Replaces the value in place, keeping expiry. Callers must signal the modification. The
     * string encoding hint is reset: a new value is encoded from its bytes.
     */
    public void value(Object value) {
        Object old = this.value;
        this.value = value;
        access &= ACCESS_MASK;
        if (old != value) {
            if (value instanceof HeldValue h) {
                h.held();
            }
            if (old instanceof HeldValue h) {
                h.released(null, key, false);
            }
        }
    }

    /** The bytes this key is counted for in used_memory (see eviction.MemoryMeter). */
    public int memory() {
        return memory;
    }

    public void memory(int bytes) {
        memory = bytes;
    }

    public long expireAt() {
        return expireAt;
    }

    /** The LRU clock or LFU counter+time (24 bits). */
    public int access() {
        return access & ACCESS_MASK;
    }

    public void access(int access) {
        this.access = (this.access & ~ACCESS_MASK) | (access & ACCESS_MASK);
    }

    /** Bits of {@link #access} that hold the access clock; the rest hold the encoding hint. */
    static final int ACCESS_MASK = (1 << 24) - 1;

    /** The string value is encoded as its bytes decide: int, embstr or raw (see Values). */
    public static final int STRING_ENCODED = 0;
    /** The string value is "raw" whatever its length (APPEND, SETRANGE, SETBIT, BITOP...). */
    public static final int STRING_RAW = 1;
    /** The string value is embstr or raw by length but never "int" (INCRBYFLOAT results). */
    public static final int STRING_NOT_INT = 2;
    /**
     * Encoded from its bytes, but a small integer is its own object rather than Redis's shared
     * one (COPY duplicates the object, so OBJECT REFCOUNT says 1, not INT_MAX).
     */
    public static final int STRING_UNSHARED = 3;

    /**
     * How Redis would encode this entry's string value when the bytes alone do not tell:
     * {@link #STRING_ENCODED}, {@link #STRING_RAW}, {@link #STRING_NOT_INT} or
     * {@link #STRING_UNSHARED}. Only OBJECT
     * ENCODING and similar introspection read it.
     */
    public int stringEncoding() {
        return access >>> 24;
    }

    /** Sets the encoding hint; call after {@link #value(Object)}, which resets it. */
    public void stringEncoding(int hint) {
        access = (access & ACCESS_MASK) | (hint << 24);
    }
}
