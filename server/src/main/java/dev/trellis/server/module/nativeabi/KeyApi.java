package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleContext.AutoKind;
import dev.trellis.server.module.ModuleKey;

/**
 * The low-level key API: opening keys, type, length, deletion, expiry, the string type
 * (set, DMA, truncate) and database selection.
 *
 * <p>StringDMA hands out a native copy of the value; in write mode it is written back to the
 * value before the key is used again, before Call runs a command, when the key is closed and
 * when the invocation ends. The buffer is freed when the key is closed.
 */
final class KeyApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static long emptyDma;

    private KeyApi() {
    }

    static ModuleKey key(long p) {
        ModuleKey k = p == 0 ? null : (ModuleKey) NativeRuntime.get().handles.get(p, Handles.TAG_KEY);
        if (k != null) {
            sync(k);
        }
        return k;
    }

    private static Database db(ModuleContext ctx) {
        Client c = ctx.client();
        return c == null ? ctx.host().server().keyspace().db(0) : c.db();
    }

    /** Modes whose keys the native cache serves (no expiry or effect overrides). */
    private static final int CACHEABLE_MODES = ModuleKey.READ | ModuleKey.WRITE;

    @Api
    static long OpenKey(long ctxp, long namep, int mode) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        byte[] name = Argv.javaBytes(ctx, namep);
        ModuleKey k = ModuleKey.open(ctx.host(), ctx.module(), db(ctx), name, mode);
        if (k == null) {
            return 0;
        }
        NativeStrings.retain(namep);
        k.nameString = namep;
        k.address = NativeRuntime.get().handles.create(k, Handles.TAG_KEY);
        KeyCache.clear(k.address);
        if ((mode & ~CACHEABLE_MODES) == 0 && ctx.has(ModuleContext.COMMAND)) {
            KeyCache.fill(k, k.valueAtOpen());
        }
        ctx.openKeys().add(k);
        ctx.autoMemoryAdd(AutoKind.KEY, k.address);
        k.ownerCtx = ctx.address;
        return k.address;
    }

    /** The RedisModuleCtx* a key was opened in (0 if unknown): auto memory for strings read from it. */
    static long owner(long keyp) {
        ModuleKey k = keyp == 0 ? null : (ModuleKey) NativeRuntime.get().handles.get(keyp, Handles.TAG_KEY);
        return k == null ? 0 : k.ownerCtx;
    }

    @Api
    static int GetOpenKeyModesAll() {
        return ModuleKey.MODES_ALL;
    }

    @Api
    static void CloseKey(long p) {
        ModuleKey k = key(p);
        if (k == null) {
            return;
        }
        long owner = k.ownerCtx;
        close(p);
        if (owner != 0) {
            ModuleContext ctx = NativeRuntime.get().context(owner);
            if (ctx != null) {
                ctx.autoMemoryFreed(AutoKind.KEY, p);
                ctx.openKeys().remove(k);
            }
        }
    }

    /** Closes a key: DMA write-back, modification signal, handle and name released. */
    static void close(long p) {
        ModuleKey k = p == 0 ? null : (ModuleKey) NativeRuntime.get().handles.get(p, Handles.TAG_KEY);
        if (k == null) {
            return;
        }
        sync(k);
        KeyCache.freeDma(k);
        k.closed();
        k.ownerCtx = 0;
        NativeRuntime.get().handles.release(p);
        k.address = 0;
        if (k.nameString != 0) {
            NativeStrings.release(k.nameString);
            k.nameString = 0;
        }
    }

    /** Writes a DMA buffer back to the value (write mode only). */
    static void sync(ModuleKey k) {
        if (k.dmaPtr != 0 && k.dmaWritable) {
            Object v = k.value();
            if (v instanceof byte[]) {
                k.replaceString(Native.bytes(k.dmaPtr, k.dmaLen));
            }
        }
    }

    /** Write-back of every open key of an invocation (before Call runs a command). */
    static void syncAll(ModuleContext ctx) {
        java.util.List<ModuleKey> keys = ctx.openKeys();
        for (int i = 0, n = keys.size(); i < n; i++) {
            sync(keys.get(i));
        }
    }

    /** Drops the DMA buffer after writing it back (the value changed shape). */
    private static void dropDma(ModuleKey k) {
        sync(k);
        KeyCache.freeDma(k);
    }

    @Api
    static int KeyType(long p) {
        ModuleKey k = key(p);
        return k == null ? ModuleKey.KEYTYPE_EMPTY : k.type();
    }

    @Api
    static int KeyExists(long ctxp, long namep) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Database db = db(ctx);
        KeyEntry e = db.lookup(NativeStrings.bytes(namep));
        if (e == null) {
            db.keyspace().keyspaceMisses++;
            db.keyspace().notify(dev.trellis.server.keyspace.EventType.KEY_MISS, "keymiss", NativeStrings.bytes(namep), db.id());
            return 0;
        }
        db.keyspace().keyspaceHits++;
        return 1;
    }

    @Api
    static long ValueLength(long p) {
        ModuleKey k = key(p);
        return k == null ? 0 : k.length();
    }

    @Api(onError = ERR)
    static int DeleteKey(long p) {
        ModuleKey k = key(p);
        if (k == null) {
            return ERR;
        }
        dropDma(k);
        return k.delete() ? OK : ERR;
    }

    @Api(onError = ERR)
    static int UnlinkKey(long p) {
        return DeleteKey(p);
    }

    @Api(onError = -1)
    static long GetExpire(long p) {
        ModuleKey k = key(p);
        return k == null ? ModuleKey.NO_EXPIRE : k.ttl();
    }

    @Api(onError = ERR)
    static int SetExpire(long p, long ms) {
        ModuleKey k = key(p);
        return k != null && k.expire(ms, false) ? OK : ERR;
    }

    @Api(onError = -1)
    static long GetAbsExpire(long p) {
        ModuleKey k = key(p);
        return k == null ? ModuleKey.NO_EXPIRE : k.expireAt();
    }

    @Api(onError = ERR)
    static int SetAbsExpire(long p, long ms) {
        ModuleKey k = key(p);
        return k != null && k.expire(ms, true) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int StringSet(long p, long str) {
        ModuleKey k = key(p);
        if (k == null) {
            return ERR;
        }
        dropDma(k);
        return k.set(NativeStrings.bytes(str)) ? OK : ERR;
    }

    @Api
    static long StringDMA(long p, long lenp, int mode) {
        ModuleKey k = key(p);
        if (k == null) {
            return 0;
        }
        Object v = k.value();
        if (v == null) {
            if (emptyDma == 0) {
                emptyDma = Native.cString("<dma-empty-string>");
            }
            Native.putLong(lenp, 0);
            return emptyDma;
        }
        if (!(v instanceof byte[] b)) {
            return 0;
        }
        if (k.dmaPtr != 0 && k.dmaLen == b.length) {
            // Already synced by key(); refresh from the value in case something else changed it.
            Native.copy(b, 0, k.dmaPtr, b.length);
        } else {
            KeyCache.freeDma(k);
            k.dmaPtr = Native.malloc(b.length + 1L);
            k.dmaLen = b.length;
            Native.copy(b, 0, k.dmaPtr, b.length);
            Native.putByte(k.dmaPtr + b.length, (byte) 0);
        }
        k.dmaWritable = k.dmaWritable || (mode & ModuleKey.WRITE) != 0 && k.writable();
        Native.putLong(lenp, b.length);
        return k.dmaPtr;
    }

    @Api(onError = ERR)
    static int StringTruncate(long p, long newLen) {
        ModuleKey k = key(p);
        if (k == null) {
            return ERR;
        }
        dropDma(k);
        return k.truncate(newLen) ? OK : ERR;
    }

    @Api
    static long GetKeyNameFromModuleKey(long p) {
        ModuleKey k = key(p);
        return k == null ? 0 : k.nameString;
    }

    @Api(onError = -1)
    static int GetDbIdFromModuleKey(long p) {
        ModuleKey k = key(p);
        return k == null ? -1 : k.db().id();
    }

    // --- databases ----------------------------------------------------------------------

    @Api(onError = ERR)
    static int SelectDb(long ctxp, int id) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        if (c == null) {
            return ERR;
        }
        try {
            c.select(id);
            return OK;
        } catch (CommandError e) {
            return ERR;
        }
    }

    @Api
    static int GetSelectedDb(long ctxp) {
        return db(CoreApi.ctx(ctxp)).id();
    }

    @Api
    static long DbSize(long ctxp) {
        return db(CoreApi.ctx(ctxp)).size();
    }

    @Api
    static long RandomKey(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        KeyEntry e = db(ctx).randomKey();
        return e == null ? 0 : StringApi.create(ctxp, e.key());
    }

    @Api
    static int SignalModifiedKey(long ctxp, long namep) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Database db = db(ctx);
        db.keyspace().signalModified(db, NativeStrings.bytes(namep));
        return OK;
    }
}
