package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleTimers;

/** Module timers: CreateTimer, StopTimer, GetTimerInfo; callbacks run on the server thread. */
final class TimerApi {
    private static final int OK = 0;
    private static final int ERR = 1;

    private TimerApi() {
    }

    @Api
    static long CreateTimer(long ctxp, long periodMs, long callback, long data) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        int db = c == null ? 0 : c.db().id();
        ModuleHost host = ctx.host();
        return ModuleTimers.of(host).create(ctx.module(), periodMs, db, t -> fire(host, t, callback), data);
    }

    @Api(onError = ERR)
    static int StopTimer(long ctxp, long id, long datap) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleTimers.Timer t = ModuleTimers.of(ctx.host()).stop(ctx.module(), id);
        if (t == null) {
            return ERR;
        }
        if (datap != 0) {
            Native.putLong(datap, t.data);
        }
        return OK;
    }

    @Api(onError = ERR)
    static int GetTimerInfo(long ctxp, long id, long remainingp, long datap) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleTimers.Timer t = ModuleTimers.of(ctx.host()).find(ctx.module(), id);
        if (t == null) {
            return ERR;
        }
        if (remainingp != 0) {
            Native.putLong(remainingp, t.remainingMs());
        }
        if (datap != 0) {
            Native.putLong(datap, t.data);
        }
        return OK;
    }

    /** Runs a timer's callback with a temporary-client context in the timer's database. */
    private static void fire(ModuleHost host, ModuleTimers.Timer t, long callback) {
        Callbacks.run(host, t.module(), t.dbId(), ctx -> NativeCalls.v_jj(callback, ctx.address, t.data));
    }

    /** Running module callbacks that get a context of their own (timers, events, jobs). */
    static final class Callbacks {
        private Callbacks() {
        }

        interface Body {
            void run(ModuleContext ctx);
        }

        /**
         * Opens a context with a temporary client selecting {@code db}, runs {@code body} as one
         * execution unit (what it propagates goes out together, wrapped in MULTI/EXEC when it
         * is several commands), then ends the context as Redis does.
         */
        static void run(ModuleHost host, dev.trellis.server.module.Module m, int db, Body body) {
            NativeRuntime rt = NativeRuntime.get();
            Client temp = host.tempClient();
            try {
                temp.select(db);
            } catch (RuntimeException ignored) {
                // a database that no longer exists: stay in 0
            }
            ModuleContext ctx = rt.openContext(host, m, temp, ModuleContext.TEMP_CLIENT);
            host.server().propagation().beginUnit();
            try {
                body.run(ctx);
            } finally {
                Contexts.finish(rt, ctx);
                host.server().propagation().endUnit();
                host.releaseTempClient(temp);
            }
        }
    }
}
