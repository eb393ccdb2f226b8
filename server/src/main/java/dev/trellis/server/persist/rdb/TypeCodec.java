package dev.trellis.server.persist.rdb;

/**
 * Reads and writes the values of one data type in RDB form. One implementation per type
 * (lists, sets, ...) builds values through that type's public API, so the types stay unaware
 * of the file format.
 */
public interface TypeCodec {
    /** True when this codec saves {@code value}. */
    boolean saves(Object value);

    /** The RDB type byte {@code value} is written with, for a file of format {@code version}. */
    int rdbType(Object value, int version);

    /** Writes the value (after the type byte and, in files, the key). */
    void write(RdbOutput out, Object value, int version);

    /** True when this codec reads RDB type {@code rdbType}. */
    boolean loads(int rdbType);

    /**
     * Reads a value of RDB type {@code rdbType}; returns {@link ValueCodec#EMPTY} for a value
     * with no elements (Redis skips those when loading a file and rejects them in RESTORE).
     */
    Object read(RdbInput in, int rdbType, LoadContext ctx);

    /** The commands that rebuild {@code value} under {@code key} (an AOF base in command form). */
    void rewrite(dev.trellis.server.persist.CommandSink out, byte[] key, Object value);
}
