package dev.trellis.server.module.nativeabi;

import dev.trellis.server.Server;
import dev.trellis.server.module.ModuleHost;

/**
 * The key strings handed to modules' keyspace-event callbacks, kept alive until the work that
 * raised the events is over. In Redis the key a callback gets is the command's own argument
 * (or the expiring key's object), so it stays valid until the command returns, and modules
 * count on it: RediSearch remembers the "rename_from" key without retaining it and uses it in
 * the "rename_to" callback that follows. Releasing each string right after its callback let
 * the next notification's string reuse the block, so such a module saw the destination name
 * twice (RENAME left its index pointing at the old key).
 *
 * <p>Released by one task on the server's loop, queued when the first string is held: a
 * command (or a pipelined batch, a cron expiry pass) runs to its end before that task runs.
 * Callbacks run under the GIL, on the server thread or on a module thread holding it. One
 * holder per server (test servers share a JVM).
 */
final class NotificationKeys {
    /** At most this many strings are held at once. */
    private static final int LIMIT = 1 << 16;
    private final Server server;
    private long[] held = new long[16];
    private int count;
    private boolean releaseQueued;

    private NotificationKeys(Server server) {
        this.server = server;
    }

    /** The holder of one server's notification keys. */
    static NotificationKeys of(ModuleHost host) {
        return host.service(NotificationKeys.class, h -> new NotificationKeys(h.server()));
    }

    /** Holds {@code str} (one reference, which this takes over) until the current work ends. */
    synchronized void hold(long str) {
        if (count == LIMIT) {
            // One command that raises a huge number of events (DEBUG RELOAD's "loaded" per
            // key, FLUSHALL's deletions) must not hold them all: the oldest half goes early,
            // the recent ones (what a module may still be pointing at) stay.
            int half = LIMIT / 2;
            for (int i = 0; i < half; i++) {
                NativeStrings.release(held[i]);
            }
            System.arraycopy(held, half, held, 0, count - half);
            count -= half;
        }
        if (count == held.length) {
            held = java.util.Arrays.copyOf(held, count * 2);
        }
        held[count++] = str;
        if (!releaseQueued) {
            releaseQueued = true;
            try {
                server.execute(this::releaseAll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                releaseQueued = false; // the loop is shutting down; the next hold tries again
            }
        }
    }

    /** Drops this holder's reference to every held string (modules may have retained some). */
    synchronized void releaseAll() {
        releaseQueued = false;
        for (int i = 0; i < count; i++) {
            NativeStrings.release(held[i]);
        }
        count = 0;
        if (held.length > 1024) {
            held = new long[16]; // a burst does not keep a big array for good
        }
    }
}
