package dev.trellis.server.persist.rdb;

/**
 * How the module host plugs a module data type into RDB files and DUMP payloads
 * ({@code RDB_TYPE_MODULE_2} values and {@code MODULE_AUX} records). The host implements one
 * per registered module type (calling the type's rdb_load/rdb_save/aux_load/aux_save) and
 * registers it with {@link ModuleTypes#register}. Values are read and written through
 * {@link ModuleRdbIO}, which adds the field opcodes Redis's module serialisation uses.
 */
public interface ModuleTypeCodec {
    /** The 64-bit type id: nine name characters of six bits each and a 10-bit encoding version. */
    long id();

    /** The nine-character type name. */
    default String name() {
        return ModuleTypes.nameOf(id());
    }

    /** True when {@code value} (a keyspace value) is of this type. */
    boolean owns(Object value);

    /**
     * Loads a value saved with encoding version {@code encver}. Returns null when the module
     * could not load it (Redis reports that as a load failure).
     */
    Object load(ModuleRdbIO io, int encver, byte[] key, int dbId);

    /** Saves a value (the id and the trailing EOF opcode are written by the caller). */
    void save(ModuleRdbIO io, Object value, byte[] key, int dbId);

    /** Emits the commands that rebuild {@code value} (the type's aof_rewrite); false when it has none. */
    default boolean rewriteAof(dev.trellis.server.persist.CommandSink out, byte[] key, Object value) {
        return false;
    }

    /** Whether the type has aux_save/aux_load for the given moment (1 = before keys, 2 = after). */
    default boolean hasAux(int when) {
        return false;
    }

    /** Loads aux data; returns false when the module failed. */
    default boolean auxLoad(ModuleRdbIO io, int encver, int when) {
        return false;
    }

    /** Saves aux data for {@code when}; returns false to write nothing (aux_save2 with no data). */
    default boolean auxSave(ModuleRdbIO io, int when) {
        return false;
    }
}
