package dev.trellis.server.module;

import dev.trellis.server.persist.rdb.ModuleRdbIO;
import dev.trellis.server.persist.rdb.ModuleTypeCodec;

/**
 * Plugs one module type into RDB files and DUMP payloads: values are written as Redis writes
 * them ({@code RDB_TYPE_MODULE_2}: the type id, the fields the module's rdb_save writes, each
 * behind its opcode, then the EOF opcode) and read back through the module's rdb_load, so a
 * file written by Redis with the same module loads here and the other way round.
 */
final class ModuleTypeRdbCodec implements ModuleTypeCodec {
    private final DataTypes types;
    private final ModuleType type;

    ModuleTypeRdbCodec(DataTypes types, ModuleType type) {
        this.types = types;
        this.type = type;
    }

    boolean stale() {
        return types.shutDown();
    }

    @Override
    public long id() {
        return type.id();
    }

    @Override
    public boolean owns(Object value) {
        return value instanceof ModuleValue mv && mv.type() == type;
    }

    @Override
    public Object load(ModuleRdbIO rdb, int encver, byte[] key, int dbId) {
        ModuleIO io = new ModuleIO(types.host(), type, rdb, key, dbId);
        long v = type.callbacks().load(io, encver);
        if (v != 0 && io.error()) {
            // The module returned something although reading failed: it is not a value.
            type.callbacks().free(v);
            return null;
        }
        return v == 0 ? null : new ModuleValue(types, type, v);
    }

    @Override
    public void save(ModuleRdbIO rdb, Object value, byte[] key, int dbId) {
        ModuleIO io = new ModuleIO(types.host(), type, rdb, key, dbId);
        type.callbacks().save(io, ((ModuleValue) value).value());
    }

    /** The AOF rewrite in command form: the commands the type's aof_rewrite emits (EmitAOF). */
    @Override
    public boolean rewriteAof(dev.trellis.server.persist.CommandSink out, byte[] key, Object value) {
        if (!type.callbacks().hasAofRewrite()) {
            return false;
        }
        ModuleIO io = new ModuleIO(types.host(), type, null, key, -1);
        type.callbacks().aofRewrite(io, key, ((ModuleValue) value).value());
        for (byte[][] argv : io.emitted()) {
            out.command(argv);
        }
        return !io.error();
    }

    @Override
    public boolean hasAux(int when) {
        ModuleType.Callbacks cb = type.callbacks();
        return cb.hasAuxSave() && (cb.auxSaveTriggers() & when) != 0;
    }

    @Override
    public boolean auxLoad(ModuleRdbIO rdb, int encver, int when) {
        if (!type.callbacks().hasAuxLoad()) {
            return false;
        }
        ModuleIO io = new ModuleIO(types.host(), type, rdb, null, -1);
        return type.callbacks().auxLoad(io, encver, when) && !io.error();
    }

    @Override
    public boolean auxSave(ModuleRdbIO rdb, int when) {
        ModuleIO io = new ModuleIO(types.host(), type, rdb, null, -1);
        type.callbacks().auxSave(io, when);
        // aux_save always writes its record; aux_save2 only when it saved something.
        return !type.callbacks().auxSaveIsOptional() || io.wrote();
    }
}
