package dev.trellis.server.module;

import dev.trellis.server.persist.rdb.ModuleTypes;

/**
 * {@code RedisModuleType}: a data type a module registered with CreateDataType. It has a
 * nine-character name and an encoding version, which together make the 64-bit id RDB files
 * store before each value of the type; values live in the keyspace as {@link ModuleValue}s.
 *
 * <p>What the type can do is given by its module's callbacks, which the face that loaded the
 * module supplies as {@link Callbacks} (the native face calls C function pointers).
 */
public final class ModuleType {
    /** REDISMODULE_AUX_BEFORE_RDB / AFTER_RDB. */
    public static final int AUX_BEFORE_RDB = 1;
    public static final int AUX_AFTER_RDB = 2;

    /**
     * The module's callbacks for one type. A value is the module's opaque pointer. Optional
     * callbacks report whether the module gave them ({@code has...}).
     */
    public interface Callbacks {
        /** rdb_load: the loaded value, or 0 when the module failed. */
        long load(ModuleIO io, int encver);

        /** rdb_save. */
        void save(ModuleIO io, long value);

        boolean hasAofRewrite();

        void aofRewrite(ModuleIO io, byte[] key, long value);

        /** mem_usage2 or mem_usage; 0 when the module gave neither. */
        long memUsage(byte[] key, int dbId, long value, long samples);

        boolean hasDigest();

        void digest(ModuleDigest digest, long value, byte[] key, int dbId);

        /** free (every type has one). */
        void free(long value);

        boolean hasAuxLoad();

        /** aux_save or aux_save2 is set. */
        boolean hasAuxSave();

        /** aux_save2: writing nothing means no record at all. */
        boolean auxSaveIsOptional();

        /** REDISMODULE_AUX_* moments at which aux_save wants to run. */
        int auxSaveTriggers();

        /** aux_load: true on REDISMODULE_OK. */
        boolean auxLoad(ModuleIO io, int encver, int when);

        void auxSave(ModuleIO io, int when);

        /** free_effort2 or free_effort; -1 when the module gave neither. */
        long freeEffort(byte[] key, int dbId, long value);

        /** unlink2 or unlink, when given. */
        void unlink(byte[] key, int dbId, long value);

        boolean hasCopy();

        /** copy2 or copy: the new value, or 0 when the module failed. */
        long copy(byte[] fromKey, byte[] toKey, int fromDb, int toDb, long value);
    }

    private final Module module;
    private final String name;
    private final int encver;
    private final long id;
    private final Callbacks callbacks;
    /** Native face: the RedisModuleType* handle. */
    public long address;

    public ModuleType(Module module, String name, int encver, Callbacks callbacks) {
        this.module = module;
        this.name = name;
        this.encver = encver;
        this.id = ModuleTypes.idOf(name, encver);
        this.callbacks = callbacks;
    }

    /**
     * Whether {@code name} and {@code encver} make a valid type id: nine characters of
     * {@code A-Z a-z 0-9 - _}, a version in 0..1023, and not the reserved all-'A' name with
     * version 0 (its id would be 0).
     */
    public static boolean validId(String name, int encver) {
        if (name == null || name.length() != 9 || encver < 0 || encver > 1023) {
            return false;
        }
        for (int i = 0; i < 9; i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return ModuleTypes.idOf(name, encver) != 0;
    }

    public Module module() {
        return module;
    }

    public String name() {
        return name;
    }

    public int encver() {
        return encver;
    }

    /** The 64-bit id: 54 bits of name, 10 bits of encoding version. */
    public long id() {
        return id;
    }

    public Callbacks callbacks() {
        return callbacks;
    }

    @Override
    public String toString() {
        return "module type " + name + " of " + module.name();
    }
}
