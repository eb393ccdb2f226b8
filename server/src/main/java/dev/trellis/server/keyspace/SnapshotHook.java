package dev.trellis.server.keyspace;

/**
 * Told about keys just before they can change while a point-in-time snapshot (BGSAVE, AOF
 * rewrite) is running, so the snapshot can serialise them first. Installed on the
 * {@link Keyspace} only for the duration of a snapshot: when none runs, the cost is one null
 * check per lookup and per change.
 */
public interface SnapshotHook {
    /** {@code e} was found by a lookup (a write command may change its value in place next). */
    void lookedUp(Dict dict, KeyEntry e);

    /** {@code e} is about to be changed or removed. */
    void changing(Dict dict, KeyEntry e);

    /** {@code e} was just added (it did not exist when the snapshot started). */
    void added(Dict dict, KeyEntry e);
}
