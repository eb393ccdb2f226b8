package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleFilters;

/**
 * Command filters: RegisterCommandFilter, UnregisterCommandFilter and the
 * CommandFilterArg* accessors. Arguments handed to the module (ArgGet) are strings the filter
 * context owns until the filter returns; strings the module passes to Insert/Replace become
 * the filter's (as in Redis, the module must not free them).
 */
final class FilterApi {
    static final long TAG_FILTER = 0x5452454c4c464c54L;     // "TRELLFLT"
    static final long TAG_FILTER_CTX = 0x5452454c4c464358L; // "TRELLFCX"
    private static final int OK = 0;
    private static final int ERR = 1;

    private FilterApi() {
    }

    @Api
    static long RegisterCommandFilter(long ctxp, long callback, int flags) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleFilters.Filter f = ModuleFilters.of(ctx.host()).register(ctx.module(), flags, fctx -> run(fctx, callback));
        f.address = NativeRuntime.get().handles.create(f, TAG_FILTER);
        return f.address;
    }

    @Api(onError = ERR)
    static int UnregisterCommandFilter(long ctxp, long filterp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleFilters.Filter f = (ModuleFilters.Filter) NativeRuntime.get().handles.get(filterp, TAG_FILTER);
        if (f == null || !ModuleFilters.of(ctx.host()).unregister(ctx.module(), f)) {
            return ERR;
        }
        NativeRuntime.get().handles.release(filterp);
        return OK;
    }

    /** Strings created for one filter run, released when it returns. */
    private static final class Owned {
        final java.util.Set<Long> strings = new java.util.LinkedHashSet<>();
    }

    private static void run(ModuleFilters.FilterContext fctx, long callback) {
        NativeRuntime rt = NativeRuntime.get();
        Owned owned = new Owned();
        fctx.faceState = owned;
        fctx.address = rt.handles.create(fctx, TAG_FILTER_CTX);
        try {
            NativeCalls.v_j(callback, fctx.address);
        } finally {
            rt.handles.release(fctx.address);
            fctx.address = 0;
            for (long s : owned.strings) {
                NativeStrings.release(s);
            }
        }
    }

    static ModuleFilters.FilterContext fctx(long p) {
        ModuleFilters.FilterContext f = (ModuleFilters.FilterContext) NativeRuntime.get().handles.get(p, TAG_FILTER_CTX);
        if (f == null) {
            throw new IllegalArgumentException("not a RedisModuleCommandFilterCtx: 0x" + Long.toHexString(p));
        }
        return f;
    }

    @Api
    static int CommandFilterArgsCount(long p) {
        return fctx(p).count();
    }

    @Api
    static long CommandFilterArgGet(long p, int pos) {
        ModuleFilters.FilterContext f = fctx(p);
        byte[] b = f.get(pos);
        if (b == null) {
            return 0;
        }
        long s = NativeStrings.create(b);
        ((Owned) f.faceState).strings.add(s);
        return s;
    }

    /** The filter takes the module's string: its bytes now, the string itself at the end. */
    private static byte[] take(ModuleFilters.FilterContext f, long str) {
        ((Owned) f.faceState).strings.add(str);
        return NativeStrings.bytes(str);
    }

    @Api(onError = ERR)
    static int CommandFilterArgInsert(long p, int pos, long str) {
        ModuleFilters.FilterContext f = fctx(p);
        if (pos < 0 || pos > f.count()) {
            return ERR;
        }
        return f.insert(pos, take(f, str)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int CommandFilterArgReplace(long p, int pos, long str) {
        ModuleFilters.FilterContext f = fctx(p);
        if (pos < 0 || pos >= f.count()) {
            return ERR;
        }
        return f.replace(pos, take(f, str)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int CommandFilterArgDelete(long p, int pos) {
        return fctx(p).delete(pos) ? OK : ERR;
    }

    @Api
    static long CommandFilterGetClientId(long p) {
        return fctx(p).clientId();
    }
}
