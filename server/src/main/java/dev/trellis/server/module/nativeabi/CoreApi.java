package dev.trellis.server.module.nativeabi;

import dev.trellis.server.Server;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleContext;

/** Module registration and identity: Init's SetModuleAttribs, name checks, options, shared APIs. */
final class CoreApi {
    static final int OK = 0;
    static final int ERR = 1;
    /** Options a module may set (REDISMODULE_OPTIONS_* bits this server knows). */
    static final int OPTIONS_ALL = (1 << 4) - 1;
    /** RedisModuleTypeMethods version this server reads. */
    static final int TYPE_METHOD_VERSION = 5;

    private CoreApi() {
    }

    static NativeRuntime rt() {
        return NativeRuntime.get();
    }

    static ModuleContext ctx(long addr) {
        ModuleContext c = rt().context(addr);
        if (c == null) {
            throw new IllegalArgumentException("not a RedisModuleCtx: 0x" + Long.toHexString(addr));
        }
        return c;
    }

    @Api
    static void SetModuleAttribs(long ctxp, long namep, int ver, int apiver) {
        ModuleContext ctx = ctx(ctxp);
        if (ctx.module() != null) {
            return;
        }
        Module m = new Module(ctx.host(), Native.readCString(namep), ver, apiver);
        ctx.module(m);
    }

    @Api
    static int IsModuleNameBusy(long namep) {
        NativeRuntime r = rt();
        ModuleContext loading = r.loading;
        if (loading == null || loading.host() == null) {
            return 0;
        }
        return loading.host().nameBusy(Native.readCString(namep)) ? 1 : 0;
    }

    @Api
    static void SetModuleOptions(long ctxp, int options) {
        ModuleContext ctx = ctx(ctxp);
        if (ctx.module() != null) {
            ctx.module().options(options);
        }
    }

    @Api
    static int GetModuleOptionsAll() {
        return OPTIONS_ALL;
    }

    /** The Redis version we are compatible with, as 0x00MMmmpp. */
    @Api
    static int GetServerVersion() {
        String[] v = Server.REDIS_VERSION.split("\\.");
        return (Integer.parseInt(v[0]) << 16) | (Integer.parseInt(v[1]) << 8) | Integer.parseInt(v[2]);
    }

    @Api
    static int GetTypeMethodVersion() {
        return TYPE_METHOD_VERSION;
    }

    @Api(onError = ERR)
    static int ExportSharedAPI(long ctxp, long namep, long func) {
        ModuleContext ctx = ctx(ctxp);
        if (ctx.module() == null) {
            return ERR;
        }
        return ctx.host().exportApi(ctx.module(), Native.readCString(namep), func) ? OK : ERR;
    }

    @Api
    static long GetSharedAPI(long ctxp, long namep) {
        ModuleContext ctx = ctx(ctxp);
        return ctx.host().sharedApi(ctx.module(), Native.readCString(namep));
    }
}
