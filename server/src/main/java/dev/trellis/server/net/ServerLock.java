package dev.trellis.server.net;

import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The module GIL: the lock the server thread holds while it executes, which module threads
 * take through {@code RedisModule_ThreadSafeContextLock} to use the server's data safely.
 *
 * <p>The server thread lets go only while its event loop waits for I/O (see
 * {@link GilIoHandler}), as Redis releases the GIL around epoll_wait. A module thread that finds
 * the server busy asks it to step aside: a task on the server thread hands the lock over
 * between two pieces of work, and takes it back once the module thread is done. The lock is
 * fair, so waiting module threads get it in order and the server thread after them. The server
 * thread never waits for it while holding any other lock.
 */
public final class ServerLock {
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile Executor serverThread;
    private final Runnable yield = this::yieldToWaiters;

    void serverThread(Executor e) {
        serverThread = e;
    }

    /**
     * Told at each turn of the server thread's event loop, before it polls for I/O and after
     * (module EVENTLOOP events: Redis's beforeSleep and afterSleep, which run every turn whether
     * the poll waits or not).
     */
    public interface SleepListener {
        void beforeSleep();

        void afterSleep();
    }

    private volatile SleepListener sleepListener;
    /** beforeSleep was told for this turn; afterSleep is told next. */
    private boolean sleeping;

    /** Installs (or with null removes) the listener. */
    public void sleepListener(SleepListener l) {
        sleepListener = l;
    }

    /** Turns of the loop so far (server thread only). */
    private long turn;

    long turn() {
        return turn;
    }

    /**
     * A connection got a request in the same turn that sent its previous reply: io_uring's
     * handler drains completions in a loop, so a quick client's round trip can fit in one turn,
     * where Redis's loop always polls again between a reply and the next request. Listeners hear
     * a turn boundary here, as they would in Redis.
     */
    void turnWithinPoll() {
        SleepListener l = sleepListener;
        if (l != null && !sleeping) {
            turn++;
            l.beforeSleep();
            l.afterSleep();
        }
    }

    boolean hasSleepListener() {
        return sleepListener != null;
    }

    /** The loop is about to poll (server thread, lock held). */
    void beforePoll() {
        turn++;
        SleepListener l = sleepListener;
        if (l != null && !sleeping) {
            sleeping = true;
            l.beforeSleep();
        }
    }

    /** The poll returned (server thread, lock held again). */
    void afterPoll() {
        if (sleeping) {
            sleeping = false;
            SleepListener l = sleepListener;
            if (l != null) {
                l.afterSleep();
            }
        }
    }

    /** The server thread takes the lock if it is free (or held already); false otherwise. */
    boolean tryAcquireForWork() {
        return lock.isHeldByCurrentThread() || lock.tryLock();
    }

    /** The server thread resumes work: takes the lock unless it holds it already. */
    void acquireForWork() {
        if (lock.isHeldByCurrentThread() || lock.tryLock()) {
            return;
        }
        awaitLock();
    }

    /** The server thread waits for the lock, doing meanwhile what the holder lends it. */
    private void awaitLock() {
        // While a module thread holds the lock, it may lend the server thread work to do on its
        // behalf (Yield from a thread: serving clients is the server thread's job).
        serverWaiting = true;
        try {
            while (!lock.tryLock(1, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                runLentWork();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.lock();
        } finally {
            serverWaiting = false;
        }
    }

    private volatile boolean serverWaiting;
    private volatile Runnable lent;
    private volatile Thread lentRunner;

    private void runLentWork() {
        Runnable r = lent;
        if (r == null) {
            return;
        }
        lentRunner = Thread.currentThread();
        try {
            r.run();
        } catch (RuntimeException e) {
            dev.trellis.server.log.ServerLog.get().warning("Work lent to the server thread failed: " + e);
        } finally {
            lentRunner = null;
            synchronized (this) {
                lent = null;
                notifyAll();
            }
        }
    }

    /**
     * Called by a module thread that holds the lock: runs {@code work} on the server thread if
     * it is waiting for the lock, and returns when it is done (the caller keeps the lock, so
     * nothing else runs meanwhile). False when the server thread is not waiting.
     */
    public boolean lendToServerThread(Runnable work) {
        if (!lock.isHeldByCurrentThread() || !serverWaiting) {
            return false;
        }
        synchronized (this) {
            lent = work;
            while (lent != null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true; // the server thread finishes the work on its own
                }
            }
        }
        return true;
    }

    /** The server thread is about to wait for I/O: module threads may run meanwhile. */
    void releaseForWait() {
        while (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    /** On the server thread: if module threads wait, let them go first. */
    private void yieldToWaiters() {
        if (lock.isHeldByCurrentThread() && lock.getHoldCount() == 1 && lock.hasQueuedThreads()) {
            lock.unlock();
            awaitLock();
        }
    }

    /** ThreadSafeContextLock: blocks until this (module) thread holds the lock. Reentrant. */
    public void lock() {
        if (lock.tryLock()) {
            return;
        }
        Executor e = serverThread;
        if (e != null) {
            e.execute(yield);
        }
        lock.lock();
    }

    /** ThreadSafeContextTryLock: true when the lock was free (or already held by this thread). */
    public boolean tryLock() {
        return lock.tryLock();
    }

    /** ThreadSafeContextUnlock. False when this thread did not hold it. */
    public boolean unlock() {
        if (!lock.isHeldByCurrentThread()) {
            return false;
        }
        lock.unlock();
        return true;
    }

    /** True for the holder, and for the server thread while it works for the holder. */
    public boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread() || lentRunner == Thread.currentThread();
    }
}
