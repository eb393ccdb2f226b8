package dev.trellis.server.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Wraps the event loop's I/O handler so that the server thread holds the {@link ServerLock}
 * whenever it works and lets go of it while it waits for I/O.
 *
 * <p>Every handler (epoll, io_uring, NIO) asks its context for the deadline right before it may
 * block: that is where the lock is let go. The epoll handler also asks whether to report I/O
 * time right after events arrived, before handling any of them, and the lock is taken back
 * there; the io_uring handler has no such call, so {@link Connection} takes the lock itself on
 * every event it receives (a field comparison when already held). Whatever the handler does,
 * the lock is held again when it returns, before the loop runs its tasks.
 */
final class GilIoHandler implements IoHandler {
    private final IoHandler delegate;
    private final ServerLock lock;

    private GilIoHandler(IoHandler delegate, ServerLock lock) {
        this.delegate = delegate;
        this.lock = lock;
    }

    static IoHandlerFactory factory(IoHandlerFactory inner, ServerLock lock) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                lock.serverThread(executor::execute);
                return new GilIoHandler(inner.newHandler(executor), lock);
            }

            @Override
            public boolean isChangingThreadSupported() {
                return inner.isChangingThreadSupported();
            }
        };
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        lock.acquireForWork();
        lock.beforePoll();
        wrapper.inner = context;
        try {
            return delegate.run(wrapper);
        } finally {
            wrapper.inner = null;
            lock.acquireForWork();
            lock.afterPoll();
        }
    }

    /** The loop's context, seen through the lock (one instance, reused by every run). */
    private final Wrapper wrapper = new Wrapper();

    private final class Wrapper implements IoHandlerContext {
        IoHandlerContext inner;

        @Override
        public boolean canBlock() {
            return inner.canBlock();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return inner.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            lock.releaseForWait();
            return inner.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            inner.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            lock.acquireForWork();
            lock.afterPoll();
            return inner.shouldReportActiveIoTime();
        }
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        try {
            delegate.destroy();
        } finally {
            lock.releaseForWait();
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}
