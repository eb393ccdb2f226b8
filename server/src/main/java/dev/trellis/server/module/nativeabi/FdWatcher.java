package dev.trellis.server.module.nativeabi;

import dev.trellis.server.Server;
import dev.trellis.server.log.ServerLog;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The module event loop's file events ({@code RedisModule_EventLoopAdd}): module file
 * descriptors watched with {@code poll(2)} by a thread of their own, whose readiness runs the
 * modules' callbacks on the server thread, as Redis's ae runs them from its loop.
 *
 * <p>Netty owns the server thread's own poller, so module descriptors cannot join it. The
 * watcher hands each round of ready descriptors to the server thread and waits until their
 * callbacks have run before it polls again: the events are level-triggered, as ae's are (a
 * callback that leaves data unread is called again), and never run twice for one readiness.
 * Registrations change only on the server thread; the watcher reads an immutable copy and is
 * woken through an eventfd when it changes.
 */
final class FdWatcher {
    static final int READABLE = 1;
    static final int WRITABLE = 2;
    private static final short POLLIN = 0x1;
    private static final short POLLOUT = 0x4;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;

    private static final MethodHandle POLL = libc("poll", FunctionDescriptor.of(Native.I, Native.J, Native.J, Native.I));
    private static final MethodHandle EVENTFD = libc("eventfd", FunctionDescriptor.of(Native.I, Native.I, Native.I));
    private static final MethodHandle READ = libc("read", FunctionDescriptor.of(Native.J, Native.I, Native.J, Native.J));
    private static final MethodHandle WRITE = libc("write", FunctionDescriptor.of(Native.J, Native.I, Native.J, Native.J));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(Native.I, Native.I));

    /** What a descriptor is watched for, with the callbacks and the (shared) user data. */
    record Registration(int mask, long readFn, long writeFn, long userData) {
    }

    private final Server server;
    private final int wakeFd;
    private volatile Map<Integer, Registration> registrations = Map.of();
    /** Descriptors poll reported invalid (closed without EventLoopDel): skipped until registered again. */
    private final Set<Integer> invalid = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private final long wakeBuf = Native.calloc(8);

    FdWatcher(Server server) {
        this.server = server;
        try {
            wakeFd = (int) EVENTFD.invokeExact(0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (wakeFd < 0) {
            throw new IllegalStateException("eventfd failed");
        }
        Thread t = new Thread(this::watch, "trellis-module-fds");
        t.setDaemon(true);
        t.start();
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        MemorySegment sym = Linker.nativeLinker().defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol " + name));
        return Linker.nativeLinker().downcallHandle(sym, fd);
    }

    /** Adds events to {@code fd} (server thread). The user data is per descriptor, as in Redis. */
    void add(int fd, int mask, long fn, long userData) {
        Map<Integer, Registration> m = new HashMap<>(registrations);
        Registration old = m.get(fd);
        long readFn = (mask & READABLE) != 0 ? fn : old == null ? 0 : old.readFn();
        long writeFn = (mask & WRITABLE) != 0 ? fn : old == null ? 0 : old.writeFn();
        m.put(fd, new Registration((old == null ? 0 : old.mask()) | mask, readFn, writeFn, userData));
        invalid.remove(fd);
        publish(m);
    }

    /** Removes events from {@code fd} (server thread); nothing to remove is not an error. */
    void delete(int fd, int mask) {
        Registration old = registrations.get(fd);
        if (old == null) {
            return;
        }
        Map<Integer, Registration> m = new HashMap<>(registrations);
        int left = old.mask() & ~mask;
        if (left == 0) {
            m.remove(fd);
        } else {
            m.put(fd, new Registration(left, (left & READABLE) != 0 ? old.readFn() : 0,
                    (left & WRITABLE) != 0 ? old.writeFn() : 0, old.userData()));
        }
        publish(m);
    }

    void stop() {
        stopped = true;
        wake();
    }

    private void publish(Map<Integer, Registration> m) {
        registrations = Map.copyOf(m);
        wake();
    }

    /** The eventfd is closed once the watcher ends: its number may then belong to a socket. */
    private boolean wakeFdClosed;

    private synchronized void wake() {
        if (wakeFdClosed) {
            return;
        }
        Native.MEM.set(Native.J, wakeBuf, 1L);
        try {
            long n = (long) WRITE.invokeExact(wakeFd, wakeBuf, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void watch() {
        int cap = 16;
        long fds = Native.calloc(8L * cap);
        long drain = Native.calloc(8);
        try {
            while (!stopped) {
                Map<Integer, Registration> regs = registrations;
                if (regs.size() + 1 > cap) {
                    Native.free(fds);
                    cap = Math.max(cap * 2, regs.size() + 1);
                    fds = Native.calloc(8L * cap);
                }
                List<Integer> order = new ArrayList<>(regs.size());
                pollFd(fds, 0, wakeFd, POLLIN);
                int n = 1;
                for (Map.Entry<Integer, Registration> e : regs.entrySet()) {
                    if (invalid.contains(e.getKey())) {
                        continue;
                    }
                    int mask = e.getValue().mask();
                    pollFd(fds, n++, e.getKey(), (short) (((mask & READABLE) != 0 ? POLLIN : 0) | ((mask & WRITABLE) != 0 ? POLLOUT : 0)));
                    order.add(e.getKey());
                }
                int ready = (int) POLL.invokeExact(fds, (long) n, -1);
                if (stopped) {
                    return;
                }
                if (ready <= 0) {
                    continue; // EINTR
                }
                if (revents(fds, 0) != 0) {
                    long ignored = (long) READ.invokeExact(wakeFd, drain, 8L);
                }
                List<int[]> fired = new ArrayList<>();
                for (int i = 1; i < n; i++) {
                    int re = revents(fds, i);
                    int fd = order.get(i - 1);
                    if ((re & POLLNVAL) != 0) {
                        invalid.add(fd);
                        continue;
                    }
                    int mask = 0;
                    if ((re & (POLLIN | POLLHUP | POLLERR)) != 0) {
                        mask |= READABLE;
                    }
                    if ((re & (POLLOUT | POLLHUP | POLLERR)) != 0) {
                        mask |= WRITABLE;
                    }
                    mask &= regs.get(fd).mask();
                    if (mask != 0) {
                        fired.add(new int[] {fd, mask});
                    }
                }
                if (!fired.isEmpty()) {
                    runOnServer(fired);
                }
            }
        } catch (Throwable t) {
            ServerLog.get().warning("Module event loop watcher stopped: " + t);
        } finally {
            Native.free(fds);
            Native.free(drain);
            closeWakeFd();
        }
    }

    private synchronized void closeWakeFd() {
        wakeFdClosed = true;
        try {
            int ignored = (int) CLOSE.invokeExact(wakeFd);
        } catch (Throwable ignored) {
            // closing at exit
        }
    }

    private static void pollFd(long fds, int i, int fd, short events) {
        long at = fds + 8L * i;
        Native.MEM.set(Native.I, at, fd);
        Native.MEM.set(java.lang.foreign.ValueLayout.JAVA_SHORT, at + 4, events);
        Native.MEM.set(java.lang.foreign.ValueLayout.JAVA_SHORT, at + 6, (short) 0);
    }

    private static int revents(long fds, int i) {
        return Native.MEM.get(java.lang.foreign.ValueLayout.JAVA_SHORT, fds + 8L * i + 6) & 0xffff;
    }

    /** Runs the callbacks of one round on the server thread and waits until they have run. */
    private void runOnServer(List<int[]> fired) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        try {
            server.execute(() -> {
                try {
                    dispatch(fired);
                } finally {
                    done.countDown();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stopped = true; // the server is going away
            return;
        }
        while (!stopped && !done.await(100, TimeUnit.MILLISECONDS)) {
            // waiting for the server thread; a stopping server ends the wait
        }
    }

    /** On the server thread: the read callback, then the write one, each if still registered (as ae). */
    private void dispatch(List<int[]> fired) {
        for (int[] f : fired) {
            int fd = f[0];
            Registration r = registrations.get(fd);
            if (r != null && (f[1] & READABLE) != 0 && r.readFn() != 0) {
                call(r.readFn(), fd, r.userData(), f[1]);
            }
            r = registrations.get(fd);
            if (r != null && (f[1] & WRITABLE) != 0 && r.writeFn() != 0) {
                call(r.writeFn(), fd, r.userData(), f[1]);
            }
        }
    }

    private static void call(long fn, int fd, long userData, int mask) {
        try {
            NativeCalls.v_iji(fn, fd, userData, mask);
        } catch (Throwable t) {
            ServerLog.get().warning("Module event loop callback for fd " + fd + " failed: " + t);
        }
    }
}
