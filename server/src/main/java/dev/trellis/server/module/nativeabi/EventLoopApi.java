package dev.trellis.server.module.nativeabi;

import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.ModuleHost;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The module event loop: EventLoopAdd/Del (file events, see {@link FdWatcher}) and
 * EventLoopAddOneShot (a callback run on the server thread, callable from any thread).
 */
final class EventLoopApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int EINVAL = 22;
    private static final int ERANGE = 34;
    /** Redis sizes its event loop at maxclients plus this many reserved descriptors. */
    private static final int FDSET_INCR = 128;
    private static final Map<ModuleHost, FdWatcher> WATCHERS = new WeakHashMap<>();

    private EventLoopApi() {
    }

    @Api(onError = ERR)
    static int EventLoopAdd(int fd, int mask, long func, long userData) {
        ModuleHost host = HostTracker.any();
        if (!checkFd(host, fd)) {
            return ERR;
        }
        if (func == 0 || (mask & ~(FdWatcher.READABLE | FdWatcher.WRITABLE)) != 0) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        watcher(host).add(fd, mask, func, userData);
        NativeRuntime.get().errno(0);
        return OK;
    }

    @Api(onError = ERR)
    static int EventLoopDel(int fd, int mask) {
        ModuleHost host = HostTracker.any();
        if (!checkFd(host, fd)) {
            return ERR;
        }
        if ((mask & ~(FdWatcher.READABLE | FdWatcher.WRITABLE)) != 0) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        FdWatcher w;
        synchronized (WATCHERS) {
            w = WATCHERS.get(host);
        }
        if (w != null) {
            w.delete(fd, mask);
        }
        NativeRuntime.get().errno(0);
        return OK;
    }

    @Api(onError = ERR)
    static int EventLoopAddOneShot(long func, long userData) {
        if (func == 0) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        ModuleHost host = HostTracker.any();
        if (host == null) {
            return ERR;
        }
        host.server().execute(() -> {
            try {
                NativeCalls.v_j(func, userData);
            } catch (Throwable t) {
                ServerLog.get().warning("Module event loop one-shot callback failed: " + t);
            }
        });
        return OK;
    }

    /** ERANGE for a descriptor outside the event loop's size (negative, or past maxclients). */
    private static boolean checkFd(ModuleHost host, int fd) {
        if (host == null || fd < 0 || fd >= host.server().config().maxClients + FDSET_INCR) {
            NativeRuntime.get().errno(ERANGE);
            return false;
        }
        return true;
    }

    private static FdWatcher watcher(ModuleHost host) {
        synchronized (WATCHERS) {
            FdWatcher w = WATCHERS.get(host);
            if (w == null) {
                FdWatcher created = new FdWatcher(host.server());
                WATCHERS.put(host, created);
                host.server().addShutdownHook((save, nosave) -> {
                    created.stop();
                    return null;
                });
                w = created;
            }
            return w;
        }
    }
}
