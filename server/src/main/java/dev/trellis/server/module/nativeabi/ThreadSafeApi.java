package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleBlockedClient;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.net.ServerLock;

/**
 * Thread-safe contexts and the module GIL: GetThreadSafeContext, GetDetachedThreadSafeContext,
 * FreeThreadSafeContext, ThreadSafeContextLock/TryLock/Unlock, and Yield.
 *
 * <p>Module threads call these without holding the GIL; creating and freeing a context takes
 * it for the moment it touches the server's tables. A thread-safe context has a client of its
 * own, so Call works from it while the thread holds the lock.
 */
final class ThreadSafeApi {
    private static final int OK = 0;
    private static final int ERR = 1;

    private ThreadSafeApi() {
    }

    static ServerLock gil(ModuleHost host) {
        return host.server().net().gil();
    }

    /** Runs {@code body} holding {@code host}'s GIL (taking it only if this thread lacks it). */
    static <T> T withGil(ModuleHost host, java.util.function.Supplier<T> body) {
        ServerLock gil = gil(host);
        boolean take = !gil.heldByCurrentThread();
        if (take) {
            gil.lock();
        }
        try {
            return body.get();
        } finally {
            if (take) {
                gil.unlock();
            }
        }
    }

    @Api
    static long GetThreadSafeContext(long bcp) {
        ModuleBlockedClient bc = bcp == 0 ? null : BlockApi.blocked(bcp);
        ModuleHost host = bc != null ? bc.host() : HostTracker.any();
        if (host == null) {
            return 0;
        }
        Module m = bc == null ? null : bc.module();
        return withGil(host, () -> {
            // With a blocked client, replies gather in its reply client and reach the client at unblock.
            Client c = bc != null ? bc.replyClient() : host.server().newInternalClient();
            ModuleContext ctx = NativeRuntime.get().openContext(host, m, c, ModuleContext.THREAD_SAFE | ModuleContext.NEW_CLIENT);
            ctx.blockedClient = bc;
            return ctx.address;
        });
    }

    @Api
    static long GetDetachedThreadSafeContext(long ctxp) {
        ModuleContext parent = CoreApi.ctx(ctxp);
        ModuleHost host = parent.host();
        Module m = parent.module();
        return withGil(host, () -> {
            Client c = host.server().newInternalClient();
            return NativeRuntime.get().openContext(host, m, c, ModuleContext.THREAD_SAFE | ModuleContext.NEW_CLIENT).address;
        });
    }

    @Api
    static void FreeThreadSafeContext(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleHost host = ctx.host();
        withGil(host, () -> {
            Contexts.finish(NativeRuntime.get(), ctx);
            return null;
        });
    }

    @Api
    static void ThreadSafeContextLock(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        gil(ctx.host()).lock();
        // As Redis, what the thread propagates while it holds the lock is one execution unit.
        ctx.host().server().propagation().beginUnit();
    }

    @Api(onError = ERR)
    static int ThreadSafeContextTryLock(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        if (gil(ctx.host()).tryLock()) {
            ctx.host().server().propagation().beginUnit();
            return OK;
        }
        NativeRuntime.get().errno(16); // EBUSY, as pthread_mutex_trylock
        return ERR;
    }

    @Api
    static void ThreadSafeContextUnlock(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ServerLock gil = gil(ctx.host());
        if (!gil.heldByCurrentThread()) {
            ServerLog.get().warning("Module " + (ctx.module() == null ? "?" : ctx.module().name())
                    + " unlocked the GIL without holding it");
            return;
        }
        ctx.host().server().propagation().endUnit();
        gil.unlock();
    }

    /**
     * Yield: Redis processes events while a long module operation runs. Trellis's server
     * thread cannot re-enter its event loop from inside a command, so this only returns;
     * clients wait until the operation ends (they get no -BUSY reply meanwhile).
     */
    @Api
    static void Yield(long ctxp, int flags, long busyReply) {
        // see above
    }
}
