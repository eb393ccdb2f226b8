package dev.trellis.server.module;

import dev.trellis.server.log.ServerLog;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Module timers (CreateTimer, StopTimer, GetTimerInfo) of one server. Timers are ordered by
 * the microsecond at which they fire; as in Redis that time, stored big-endian, is the timer's
 * id, and two timers never share it (a later one is pushed by a microsecond). One scheduled
 * task on the server thread fires every due timer, then waits for the next.
 *
 * <p>A timer stays registered while its callback runs (so the module can still ask about it)
 * and counts against unloading its module until it fired or was stopped.
 */
public final class ModuleTimers {
    /** What a timer does when it fires; supplied by the face that created it. */
    public interface Action {
        void fire(Timer t);
    }

    /** One pending timer. */
    public static final class Timer {
        private final Module module;
        private final long expireMicros;
        private final int dbId;
        private final Action action;
        /** The module's private data pointer. */
        public final long data;

        Timer(Module module, long expireMicros, int dbId, Action action, long data) {
            this.module = module;
            this.expireMicros = expireMicros;
            this.dbId = dbId;
            this.action = action;
            this.data = data;
        }

        public Module module() {
            return module;
        }

        /** The database the creating context had selected; the callback runs in it. */
        public int dbId() {
            return dbId;
        }

        /** The id modules see: the expiry time in microseconds, big-endian. */
        public long id() {
            return Long.reverseBytes(expireMicros);
        }

        /** Milliseconds left before it fires (0 when due). */
        public long remainingMs() {
            return Math.max(0, expireMicros - nowMicros()) / 1000;
        }
    }

    private final ModuleHost host;
    private final TreeMap<Long, Timer> timers = new TreeMap<>();
    private ScheduledFuture<?> scheduled;
    private long scheduledFor = Long.MAX_VALUE;

    public ModuleTimers(ModuleHost host) {
        this.host = host;
    }

    public static ModuleTimers of(ModuleHost host) {
        return host.service(ModuleTimers.class, ModuleTimers::new);
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** CreateTimer: returns the new timer's id. */
    public long create(Module m, long periodMs, int dbId, Action action, long data) {
        long expire = nowMicros() + periodMs * 1000;
        while (timers.containsKey(expire)) {
            expire++;
        }
        Timer t = new Timer(m, expire, dbId, action, data);
        timers.put(expire, t);
        if (m != null) {
            m.timers(1);
        }
        reschedule();
        return t.id();
    }

    /** The timer with this id if it belongs to {@code m}, else null. */
    public Timer find(Module m, long id) {
        Timer t = timers.get(Long.reverseBytes(id));
        return t != null && t.module == m ? t : null;
    }

    /** StopTimer: the stopped timer, or null when there is none of {@code m} with this id. */
    public Timer stop(Module m, long id) {
        Timer t = find(m, id);
        if (t == null) {
            return null;
        }
        timers.remove(t.expireMicros);
        if (m != null) {
            m.timers(-1);
        }
        return t;
    }

    public int size() {
        return timers.size();
    }

    private void reschedule() {
        if (timers.isEmpty()) {
            return;
        }
        long first = timers.firstKey();
        if (scheduled != null && scheduledFor <= first) {
            return;
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduledFor = first;
        long delay = Math.max(0, first - nowMicros());
        scheduled = host.server().scheduler().schedule(this::fireDue, delay, TimeUnit.MICROSECONDS);
    }

    /** Fires every due timer in order, then schedules the next. */
    private void fireDue() {
        scheduled = null;
        scheduledFor = Long.MAX_VALUE;
        long now = nowMicros();
        while (!timers.isEmpty()) {
            Map.Entry<Long, Timer> e = timers.firstEntry();
            if (e.getKey() > now) {
                break;
            }
            Timer t = e.getValue();
            try {
                t.action.fire(t);
            } catch (Throwable ex) {
                ServerLog.get().warning("Module timer of " + t.module + " failed: " + ex);
            }
            if (timers.remove(e.getKey(), t) && t.module != null) {
                t.module.timers(-1);
            }
        }
        reschedule();
    }
}
