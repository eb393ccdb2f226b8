package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleContext.AutoKind;
import dev.trellis.server.module.ModuleDict;

/**
 * The dictionary API ({@code RedisModuleDict}, {@code RedisModuleDictIter}): an ordered map of
 * byte-string keys to pointers with rax seek operators. Return values follow Redis's exactly,
 * including DictIteratorReseek's (1 when the seek was done, 0 for an unknown operator).
 */
final class DictApi {
    static final long TAG_DICT = 0x5452454c4c444354L; // "TRELLDCT"
    static final long TAG_ITER = 0x5452454c4c444954L; // "TRELLDIT"
    private static final int OK = 0;
    private static final int ERR = 1;

    private DictApi() {
    }

    static ModuleDict dict(long p) {
        ModuleDict d = (ModuleDict) NativeRuntime.get().handles.get(p, TAG_DICT);
        if (d == null) {
            throw new IllegalArgumentException("not a RedisModuleDict: 0x" + Long.toHexString(p));
        }
        return d;
    }

    static ModuleDict.Iterator iter(long p) {
        ModuleDict.Iterator it = (ModuleDict.Iterator) NativeRuntime.get().handles.get(p, TAG_ITER);
        if (it == null) {
            throw new IllegalArgumentException("not a RedisModuleDictIter: 0x" + Long.toHexString(p));
        }
        return it;
    }

    private static byte[] key(long p, long len) {
        return len == 0 ? new byte[0] : Native.bytes(p, len);
    }

    @Api
    static long CreateDict(long ctxp) {
        ModuleDict d = new ModuleDict();
        d.address = NativeRuntime.get().handles.create(d, TAG_DICT);
        if (ctxp != 0) {
            CoreApi.ctx(ctxp).autoMemoryAdd(AutoKind.DICT, d.address);
        }
        return d.address;
    }

    @Api
    static void FreeDict(long ctxp, long dp) {
        if (ctxp != 0) {
            CoreApi.ctx(ctxp).autoMemoryFreed(AutoKind.DICT, dp);
        }
        free(dp);
    }

    /** Frees a dict (FreeDict, or auto memory at the end of a command). */
    static void free(long dp) {
        if (NativeRuntime.get().handles.get(dp, TAG_DICT) != null) {
            NativeRuntime.get().handles.release(dp);
        }
    }

    @Api
    static long DictSize(long dp) {
        return dict(dp).size();
    }

    @Api
    static long MallocSizeDict(long dp) {
        return dict(dp).memoryUsage();
    }

    @Api(onError = ERR)
    static int DictSetC(long dp, long keyp, long len, long ptr) {
        return dict(dp).insert(key(keyp, len), ptr) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int DictReplaceC(long dp, long keyp, long len, long ptr) {
        return dict(dp).replace(key(keyp, len), ptr) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int DictSet(long dp, long str, long ptr) {
        return dict(dp).insert(NativeStrings.bytes(str), ptr) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int DictReplace(long dp, long str, long ptr) {
        return dict(dp).replace(NativeStrings.bytes(str), ptr) ? OK : ERR;
    }

    @Api
    static long DictGetC(long dp, long keyp, long len, long nokeyp) {
        return get(dict(dp), key(keyp, len), nokeyp);
    }

    @Api
    static long DictGet(long dp, long str, long nokeyp) {
        return get(dict(dp), NativeStrings.bytes(str), nokeyp);
    }

    private static long get(ModuleDict d, byte[] key, long nokeyp) {
        Long v = d.get(key);
        if (nokeyp != 0) {
            Native.putInt(nokeyp, v == null ? 1 : 0);
        }
        return v == null ? 0 : v;
    }

    @Api(onError = ERR)
    static int DictDelC(long dp, long keyp, long len, long oldp) {
        return del(dict(dp), key(keyp, len), oldp);
    }

    @Api(onError = ERR)
    static int DictDel(long dp, long str, long oldp) {
        return del(dict(dp), NativeStrings.bytes(str), oldp);
    }

    private static int del(ModuleDict d, byte[] key, long oldp) {
        Long v = d.remove(key);
        if (v == null) {
            return ERR;
        }
        if (oldp != 0) {
            Native.putLong(oldp, v);
        }
        return OK;
    }

    // --- iterators ----------------------------------------------------------------------

    @Api
    static long DictIteratorStartC(long dp, long opp, long keyp, long len) {
        return start(dict(dp), Native.readCString(opp), key(keyp, len));
    }

    @Api
    static long DictIteratorStart(long dp, long opp, long str) {
        return start(dict(dp), Native.readCString(opp), str == 0 ? new byte[0] : NativeStrings.bytes(str));
    }

    private static long start(ModuleDict d, String op, byte[] key) {
        ModuleDict.Iterator it = d.iterator(op, key);
        it.address = NativeRuntime.get().handles.create(it, TAG_ITER);
        return it.address;
    }

    @Api
    static void DictIteratorStop(long ip) {
        ModuleDict.Iterator it = iter(ip);
        if (it.keyBuffer != 0) {
            Native.free(it.keyBuffer);
            it.keyBuffer = 0;
        }
        NativeRuntime.get().handles.release(ip);
    }

    @Api
    static int DictIteratorReseekC(long ip, long opp, long keyp, long len) {
        return iter(ip).seek(Native.readCString(opp), key(keyp, len)) ? 1 : 0;
    }

    @Api
    static int DictIteratorReseek(long ip, long opp, long str) {
        return iter(ip).seek(Native.readCString(opp), NativeStrings.bytes(str)) ? 1 : 0;
    }

    @Api
    static long DictNextC(long ip, long lenp, long datap) {
        return step(iter(ip), true, lenp, datap);
    }

    @Api
    static long DictPrevC(long ip, long lenp, long datap) {
        return step(iter(ip), false, lenp, datap);
    }

    /** The key in a buffer owned by the iterator (valid until the next move), or NULL. */
    private static long step(ModuleDict.Iterator it, boolean forward, long lenp, long datap) {
        byte[] k = forward ? it.next() : it.prev();
        if (k == null) {
            return 0;
        }
        if (it.keyBufferCap < k.length + 1L) {
            if (it.keyBuffer != 0) {
                Native.free(it.keyBuffer);
            }
            it.keyBufferCap = Math.max(32, k.length + 1L);
            it.keyBuffer = Native.malloc(it.keyBufferCap);
        }
        Native.copy(k, 0, it.keyBuffer, k.length);
        Native.putByte(it.keyBuffer + k.length, (byte) 0);
        if (lenp != 0) {
            Native.putLong(lenp, k.length);
        }
        if (datap != 0) {
            Native.putLong(datap, it.value());
        }
        return it.keyBuffer;
    }

    @Api
    static long DictNext(long ctxp, long ip, long datap) {
        return stepString(ctxp, iter(ip), true, datap);
    }

    @Api
    static long DictPrev(long ctxp, long ip, long datap) {
        return stepString(ctxp, iter(ip), false, datap);
    }

    private static long stepString(long ctxp, ModuleDict.Iterator it, boolean forward, long datap) {
        byte[] k = forward ? it.next() : it.prev();
        if (k == null) {
            return 0;
        }
        if (datap != 0) {
            Native.putLong(datap, it.value());
        }
        return ctxp == 0 ? NativeStrings.create(k) : StringApi.create(ctxp, k);
    }

    @Api(onError = ERR)
    static int DictCompareC(long ip, long opp, long keyp, long len) {
        return iter(ip).compare(Native.readCString(opp), key(keyp, len)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int DictCompare(long ip, long opp, long str) {
        return iter(ip).compare(Native.readCString(opp), NativeStrings.bytes(str)) ? OK : ERR;
    }
}
