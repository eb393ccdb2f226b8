package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleDigest;
import dev.trellis.server.module.ModuleIO;
import dev.trellis.server.module.ModuleType;

/**
 * The C callbacks of a {@code RedisModuleTypeMethods} struct, read by its version field
 * (56, 80, 112, 144 and 152 bytes for versions 1 to 5), called with the handles the callbacks
 * take ({@code RedisModuleIO*}, {@code RedisModuleDigest*}, {@code RedisModuleKeyOptCtx*},
 * key name strings), which live for the duration of the call.
 */
final class NativeTypeCallbacks implements ModuleType.Callbacks {
    private final long rdbLoad;
    private final long rdbSave;
    private final long aofRewrite;
    private final long memUsage;
    private final long digest;
    private final long free;
    private long auxLoad;
    private long auxSave;
    private int auxSaveTriggers;
    private long freeEffort;
    private long unlink;
    private long copy;
    private long memUsage2;
    private long freeEffort2;
    private long unlink2;
    private long copy2;
    private long auxSave2;

    /** Reads the struct at {@code p}; the caller checked that its version is not 0. */
    NativeTypeCallbacks(long p) {
        long version = Native.getLong(p);
        rdbLoad = Native.getLong(p + 8);
        rdbSave = Native.getLong(p + 16);
        aofRewrite = Native.getLong(p + 24);
        memUsage = Native.getLong(p + 32);
        digest = Native.getLong(p + 40);
        free = Native.getLong(p + 48);
        if (version >= 2) {
            auxLoad = Native.getLong(p + 56);
            auxSave = Native.getLong(p + 64);
            auxSaveTriggers = Native.getInt(p + 72);
        }
        if (version >= 3) {
            freeEffort = Native.getLong(p + 80);
            unlink = Native.getLong(p + 88);
            copy = Native.getLong(p + 96);
            // p + 104: defrag, which a server without active defragmentation never calls
        }
        if (version >= 4) {
            memUsage2 = Native.getLong(p + 112);
            freeEffort2 = Native.getLong(p + 120);
            unlink2 = Native.getLong(p + 128);
            copy2 = Native.getLong(p + 136);
        }
        if (version >= 5) {
            auxSave2 = Native.getLong(p + 144);
        }
    }

    @Override
    public long load(ModuleIO io, int encver) {
        if (rdbLoad == 0) {
            return 0;
        }
        long h = RdbIoApi.open(io);
        try {
            return NativeCalls.j_ji(rdbLoad, h, encver);
        } finally {
            RdbIoApi.close(io);
        }
    }

    @Override
    public void save(ModuleIO io, long value) {
        if (rdbSave == 0) {
            return;
        }
        long h = RdbIoApi.open(io);
        try {
            NativeCalls.v_jj(rdbSave, h, value);
        } finally {
            RdbIoApi.close(io);
        }
    }

    @Override
    public boolean hasAofRewrite() {
        return aofRewrite != 0;
    }

    @Override
    public void aofRewrite(ModuleIO io, byte[] key, long value) {
        long h = RdbIoApi.open(io);
        long k = NativeStrings.create(key);
        try {
            NativeCalls.v_jjj(aofRewrite, h, k, value);
        } finally {
            NativeStrings.release(k);
            RdbIoApi.close(io);
        }
    }

    @Override
    public long memUsage(byte[] key, int dbId, long value, long samples) {
        if (memUsage2 != 0) {
            KeyOptContext o = new KeyOptContext(key, null, dbId, -1);
            try {
                return NativeCalls.j_jjj(memUsage2, o.open(), value, samples);
            } finally {
                o.close();
            }
        }
        return memUsage == 0 ? 0 : NativeCalls.j_j(memUsage, value);
    }

    @Override
    public boolean hasDigest() {
        return digest != 0;
    }

    @Override
    public void digest(ModuleDigest d, long value, byte[] key, int dbId) {
        long h = RdbIoApi.openDigest(d);
        try {
            NativeCalls.v_jj(digest, h, value);
        } finally {
            RdbIoApi.closeDigest(d);
        }
    }

    @Override
    public void free(long value) {
        if (free != 0) {
            NativeCalls.v_j(free, value);
        }
    }

    @Override
    public boolean hasAuxLoad() {
        return auxLoad != 0;
    }

    @Override
    public boolean hasAuxSave() {
        return auxSave != 0 || auxSave2 != 0;
    }

    @Override
    public boolean auxSaveIsOptional() {
        return auxSave2 != 0;
    }

    @Override
    public int auxSaveTriggers() {
        return auxSaveTriggers;
    }

    @Override
    public boolean auxLoad(ModuleIO io, int encver, int when) {
        long h = RdbIoApi.open(io);
        try {
            return NativeCalls.i_jii(auxLoad, h, encver, when) == CoreApi.OK;
        } finally {
            RdbIoApi.close(io);
        }
    }

    @Override
    public void auxSave(ModuleIO io, int when) {
        long f = auxSave2 != 0 ? auxSave2 : auxSave;
        long h = RdbIoApi.open(io);
        try {
            NativeCalls.v_ji(f, h, when);
        } finally {
            RdbIoApi.close(io);
        }
    }

    @Override
    public long freeEffort(byte[] key, int dbId, long value) {
        if (freeEffort2 != 0) {
            KeyOptContext o = new KeyOptContext(key, null, dbId, -1);
            try {
                return NativeCalls.j_jj(freeEffort2, o.open(), value);
            } finally {
                o.close();
            }
        }
        if (freeEffort != 0) {
            long k = key == null ? 0 : NativeStrings.create(key);
            try {
                return NativeCalls.j_jj(freeEffort, k, value);
            } finally {
                if (k != 0) {
                    NativeStrings.release(k);
                }
            }
        }
        return -1;
    }

    @Override
    public void unlink(byte[] key, int dbId, long value) {
        if (unlink2 != 0) {
            KeyOptContext o = new KeyOptContext(key, null, dbId, -1);
            try {
                NativeCalls.v_jj(unlink2, o.open(), value);
            } finally {
                o.close();
            }
        } else if (unlink != 0) {
            long k = key == null ? 0 : NativeStrings.create(key);
            try {
                NativeCalls.v_jj(unlink, k, value);
            } finally {
                if (k != 0) {
                    NativeStrings.release(k);
                }
            }
        }
    }

    @Override
    public boolean hasCopy() {
        return copy != 0 || copy2 != 0;
    }

    @Override
    public long copy(byte[] fromKey, byte[] toKey, int fromDb, int toDb, long value) {
        if (copy2 != 0) {
            KeyOptContext o = new KeyOptContext(fromKey, toKey, fromDb, toDb);
            try {
                return NativeCalls.j_jj(copy2, o.open(), value);
            } finally {
                o.close();
            }
        }
        long f = fromKey == null ? 0 : NativeStrings.create(fromKey);
        long t = toKey == null ? 0 : NativeStrings.create(toKey);
        try {
            return NativeCalls.j_jjj(copy, f, t, value);
        } finally {
            if (f != 0) {
                NativeStrings.release(f);
            }
            if (t != 0) {
                NativeStrings.release(t);
            }
        }
    }
}
