package dev.trellis.server.keyspace;

/**
 * A value that must know when keys hold it and when they let go of it. Module data type values
 * implement it: their module's free callback runs once no key holds them any more, and the
 * module hears about each removal from a key (its unlink callback).
 *
 * <p>Every value enters the keyspace through a {@link KeyEntry} (created with it, or given it
 * by {@link KeyEntry#value(Object)}) and leaves by being replaced, or with its entry (deleted,
 * expired, flushed). A value moved between keys (RENAME, MOVE) is held by the new key before
 * the old one lets go, so its count never reaches zero on the way.
 */
public interface HeldValue {
    /** One more key holds this value. */
    void held();

    /**
     * A key let go of this value.
     *
     * @param db    the database, or null when the value was replaced in place
     * @param key   the key's name
     * @param flush the whole database was emptied (FLUSHDB, FLUSHALL, a reload)
     */
    void released(Database db, byte[] key, boolean flush);
}
