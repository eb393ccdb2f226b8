package dev.trellis.server.module;

import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.rdb.ModuleRdbIO;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RedisModuleIO}: what a type's rdb_load/rdb_save/aux_load/aux_save/aof_rewrite
 * callback reads from or writes to, with the key and database it is about (when known) and
 * the error state {@code IsIOError} reports.
 *
 * <p>Loading errors follow Redis: a module that declared
 * {@code REDISMODULE_OPTIONS_HANDLE_IO_ERRORS} sees the error flag and zero values; for one
 * that did not, Redis stops the server, while we log the same message and fail the load
 * instead (the module still gets harmless values back, never a NULL string).
 */
public final class ModuleIO {
    private final ModuleHost host;
    private final ModuleType type;
    private final ModuleRdbIO rdb;
    private final byte[] key;
    private final int dbId;
    private boolean error;
    /** Something was written (aux_save2 writes no record when nothing was). */
    private boolean wrote;
    /** Commands emitted by aof_rewrite (EmitAOF). */
    private List<byte[][]> emitted;
    /** The context GetContextFromIO created, released with the IO. */
    public ModuleContext context;
    /** Native face: the RedisModuleIO* handle and the key name string handed out. */
    public long address;
    public long keyString;

    public ModuleIO(ModuleHost host, ModuleType type, ModuleRdbIO rdb, byte[] key, int dbId) {
        this.host = host;
        this.type = type;
        this.rdb = rdb;
        this.key = key;
        this.dbId = dbId;
    }

    public ModuleHost host() {
        return host;
    }

    public ModuleType type() {
        return type;
    }

    public ModuleRdbIO rdb() {
        return rdb;
    }

    /** The key being loaded or saved, or null (aux data, SaveDataTypeToString). */
    public byte[] key() {
        return key;
    }

    /** The database of the key, or -1. */
    public int dbId() {
        return dbId;
    }

    public boolean error() {
        return error || (rdb != null && rdb.error());
    }

    public void error(boolean e) {
        error = e;
    }

    public boolean wrote() {
        return wrote;
    }

    // --- saving -------------------------------------------------------------------------

    private boolean canSave() {
        if (error || rdb == null || rdb.output() == null) {
            return false;
        }
        wrote = true;
        return true;
    }

    public void saveUnsigned(long v) {
        if (canSave()) {
            rdb.saveUnsigned(v);
        }
    }

    public void saveSigned(long v) {
        if (canSave()) {
            rdb.saveSigned(v);
        }
    }

    public void saveDouble(double v) {
        if (canSave()) {
            rdb.saveDouble(v);
        }
    }

    public void saveFloat(float v) {
        if (canSave()) {
            rdb.saveFloat(v);
        }
    }

    public void saveString(byte[] s) {
        if (canSave()) {
            rdb.saveString(s);
        }
    }

    // --- loading ------------------------------------------------------------------------

    /** Whether a load may proceed; records the failure when it may not. */
    private boolean canLoad() {
        if (error()) {
            return false;
        }
        if (rdb == null || rdb.input() == null) {
            failed();
            return false;
        }
        return true;
    }

    /** A load failed: Redis's moduleRDBLoadError. */
    private void failed() {
        if (error) {
            return;
        }
        error = true;
        Module m = type.module();
        if ((m.options() & 1) == 0) {
            ServerLog.get().warning("Error loading data from RDB (short read or EOF). Read performed by module '"
                    + m.name() + "' about type '" + type.name() + "' for key named: '"
                    + (key == null ? "(null)" : new String(key, java.nio.charset.StandardCharsets.UTF_8)) + "'.");
        }
    }

    private <T> T checked(T v) {
        if (rdb.error()) {
            failed();
        }
        return v;
    }

    public long loadUnsigned() {
        return canLoad() ? checked(rdb.loadUnsigned()) : 0;
    }

    public long loadSigned() {
        return canLoad() ? checked(rdb.loadSigned()) : 0;
    }

    public double loadDouble() {
        return canLoad() ? checked(rdb.loadDouble()) : 0;
    }

    public float loadFloat() {
        return canLoad() ? checked(rdb.loadFloat()) : 0;
    }

    /** A string field, or null after an error. */
    public byte[] loadString() {
        return canLoad() ? checked(rdb.loadString()) : null;
    }

    /** Whether the module handles IO errors itself (it then gets NULL strings on errors). */
    public boolean moduleHandlesErrors() {
        return (type.module().options() & 1) != 0;
    }

    // --- AOF ----------------------------------------------------------------------------

    /** EmitAOF: one command for the rewritten AOF. */
    public void emit(byte[][] argv) {
        if (emitted == null) {
            emitted = new ArrayList<>();
        }
        emitted.add(argv);
        wrote = true;
    }

    public List<byte[][]> emitted() {
        return emitted == null ? List.of() : emitted;
    }
}
