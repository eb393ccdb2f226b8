package dev.trellis.server.module.nativeabi;

import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.module.DataTypes;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleKey;
import dev.trellis.server.module.ModuleType;
import dev.trellis.server.module.ModuleValue;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Module data types: CreateDataType (the methods struct read by its version), setting,
 * reading and replacing a key's module value, and the key-context accessors of the
 * version 4 callbacks.
 */
final class TypeApi {
    static final long TAG_TYPE = 0x5452454c4c545950L; // "TRELLTYP"
    private static final int OK = 0;
    private static final int ERR = 1;
    /** The host each type belongs to (a type handle carries no context). */
    private static final Map<ModuleType, ModuleHost> HOSTS = new IdentityHashMap<>();

    private TypeApi() {
    }

    static ModuleType type(long p) {
        ModuleType t = (ModuleType) NativeRuntime.get().handles.get(p, TAG_TYPE);
        if (t == null) {
            throw new IllegalArgumentException("not a RedisModuleType: 0x" + Long.toHexString(p));
        }
        return t;
    }

    static ModuleHost host(ModuleType t) {
        synchronized (HOSTS) {
            return HOSTS.get(t);
        }
    }

    @Api
    static long CreateDataType(long ctxp, long namep, int encver, long methods) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        if (ctx.module() == null || methods == 0 || Native.getLong(methods) == 0) {
            return 0;
        }
        String name = Native.readCString(namep);
        DataTypes types = DataTypes.of(ctx.host());
        ModuleType t = types.create(ctx.module(), name, encver, new NativeTypeCallbacks(methods));
        if (t == null) {
            return 0;
        }
        t.address = NativeRuntime.get().handles.create(t, TAG_TYPE);
        synchronized (HOSTS) {
            HOSTS.put(t, ctx.host());
        }
        return t.address;
    }

    @Api(onError = ERR)
    static int ModuleTypeSetValue(long keyp, long mtp, long value) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || !k.writable() || k.iterator != null) {
            return ERR;
        }
        ModuleType t = type(mtp);
        k.delete();
        k.db().add(k.key(), new ModuleValue(DataTypes.of(host(t)), t, value));
        return OK;
    }

    @Api
    static long ModuleTypeGetType(long keyp) {
        ModuleKey k = keyp == 0 ? null : KeyApi.key(keyp);
        return k != null && k.value() instanceof ModuleValue mv ? mv.type().address : 0;
    }

    @Api
    static long ModuleTypeGetValue(long keyp) {
        ModuleKey k = keyp == 0 ? null : KeyApi.key(keyp);
        return k != null && k.value() instanceof ModuleValue mv ? mv.value() : 0;
    }

    @Api(onError = ERR)
    static int ModuleTypeReplaceValue(long keyp, long mtp, long newValue, long oldp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || !k.writable() || k.iterator != null) {
            return ERR;
        }
        KeyEntry e = k.entry();
        if (e == null || !(e.value() instanceof ModuleValue mv) || mv.type() != type(mtp)) {
            return ERR;
        }
        long old = mv.replace(newValue);
        if (oldp != 0) {
            Native.putLong(oldp, old);
        }
        return OK;
    }

    // --- RedisModuleKeyOptCtx ------------------------------------------------------------

    @Api
    static long GetKeyNameFromOptCtx(long p) {
        return KeyOptContext.of(p).fromString;
    }

    @Api
    static long GetToKeyNameFromOptCtx(long p) {
        return KeyOptContext.of(p).toString;
    }

    @Api(onError = -1)
    static int GetDbIdFromOptCtx(long p) {
        return KeyOptContext.of(p).fromDb;
    }

    @Api(onError = -1)
    static int GetToDbIdFromOptCtx(long p) {
        return KeyOptContext.of(p).toDb;
    }
}
