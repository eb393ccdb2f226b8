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

    /** REDISMODULE_YIELD_FLAG_CLIENTS: clients may be served, not only timers and other events. */
    private static final int YIELD_FLAG_CLIENTS = 1 << 1;
    private static boolean yielding;

    /**
     * Yield: a long operation on the server thread lets other clients in, once it has run for
     * busy-reply-threshold ms and then at most hz times a second (Redis's RM_Yield): with
     * REDISMODULE_YIELD_FLAG_CLIENTS their requests are read and answered {@code -BUSY} (with
     * the module's message, if it gave one), except {@code allow-busy} commands, which run.
     * The client running the operation is left alone. Only the server thread yields, once at a
     * time; timers and other events wait for the operation to end.
     */
    @Api
    static void Yield(long ctxp, int flags, long busyReply) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        var server = ctx.host().server();
        if (yielding || (flags & YIELD_FLAG_CLIENTS) == 0 || server.busyLoop() == null) {
            return;
        }
        boolean onServerThread = server.inServerThread();
        ServerLock gil = gil(ctx.host());
        if (!onServerThread && !gil.heldByCurrentThread()) {
            return; // only the lock holder may have clients served
        }
        long now = System.currentTimeMillis();
        var persistence = dev.trellis.server.persist.Persistence.of(server);
        boolean loading = persistence != null && persistence.loading().active();
        if (ctx.nextYieldMs == 0 && !loading) {
            // Counted from the start of the command (the frozen clock), or from the first Yield.
            ctx.nextYieldMs = server.keyspace().now() + server.config().busyReplyThresholdMs;
        }
        if (now < ctx.nextYieldMs) {
            return;
        }
        // While loading (a module type's rdb_load), clients get -LOADING as from any load, and
        // from the first Yield on.
        String reply = loading ? null
                : busyReply != 0 ? "BUSY " + Native.readCString(busyReply)
                : "BUSY Redis is busy running a module command.";
        yielding = true;
        try {
            if (onServerThread) {
                serveWhileBusy(server, reply);
            } else {
                // A thread holding the lock: the server thread, waiting for it, serves for it.
                gil.lendToServerThread(() -> serveWhileBusy(server, reply));
            }
        } finally {
            yielding = false;
        }
        ctx.nextYieldMs = now + 1000 / Math.max(1, server.config().hz);
    }

    private static void serveWhileBusy(dev.trellis.server.Server server, String reply) {
        var dispatcher = server.dispatcher();
        String previous = dispatcher.busyReply();
        dispatcher.busyReply(reply);
        try {
            server.busyLoop().serveClients(dispatcher.topLevel());
        } finally {
            dispatcher.busyReply(previous);
        }
    }
}
