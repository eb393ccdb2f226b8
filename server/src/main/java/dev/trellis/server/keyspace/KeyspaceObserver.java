package dev.trellis.server.keyspace;

/**
 * What the rest of the server hears from the keyspace: modified keys (for WATCH and client
 * tracking), keyspace events (for notifications and module subscribers) and deletions the
 * keyspace decides on its own (expiry), which must be propagated as DEL.
 */
public interface KeyspaceObserver {
    /** A key's value changed or it was removed (Redis's signalModifiedKey). */
    default void keyModified(Database db, byte[] key) {
    }

    /**
     * As {@link #keyModified}, when the keyspace has the entry at hand (the key is present):
     * observers that want the entry override this to skip looking the key up again.
     */
    default void entryModified(Database db, KeyEntry e) {
        keyModified(db, e.key());
    }

    /** A keyspace event of class {@code type} (see {@link EventType}), e.g. "set", "expired". */
    default void event(int type, String event, byte[] key, int dbId) {
    }

    /**
     * An entry left the keyspace (deleted, expired, evicted, flushed). Called before any
     * keyModified for it; the entry still holds its value. For memory accounting.
     */
    default void entryRemoved(Database db, KeyEntry e) {
    }

    /** Why an entry leaves (or its value is replaced); the values are Redis's module KEY subevents. */
    int REMOVED_DELETED = 0;
    int REMOVED_EXPIRED = 1;
    int REMOVED_EVICTED = 2;
    int REMOVED_OVERWRITTEN = 3;

    /**
     * An entry is about to be removed, or its value replaced by a new one (SET-like writes; not
     * in-place changes such as INCR): it is still in the keyspace with its old value, so
     * observers may look it up (Redis's moduleNotifyKeyUnlink).
     */
    default void entryRemoving(Database db, KeyEntry e, int reason) {
    }

    /** A key was removed by expiry; the server propagates a DEL for it. */
    default void keyExpired(Database db, byte[] key) {
    }

    /**
     * The contents of {@code db} are about to be discarded ({@code with} null: FLUSHDB, FLUSHALL)
     * or exchanged with those of {@code with} (SWAPDB). Called before the change, so observers
     * can still see which keys exist (WATCH compares both sides).
     */
    default void databaseReplacing(Database db, Database with) {
    }

    /** The whole database was emptied or swapped (FLUSHDB, FLUSHALL, SWAPDB). */
    default void databaseChanged(Database db) {
    }
}
