package dev.trellis.server.module;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.log.ServerLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What modules hear: keyspace events (SubscribeToKeyspaceEvents, on the keyspace's one
 * notification path, whatever notify-keyspace-events says), jobs to run once the current
 * unit of work is over (AddPostNotificationJob), and server events (SubscribeToServerEvent).
 *
 * <p>As in Redis a keyspace subscriber is not told about events its own callback causes,
 * and post-notification jobs run after the top-level command (or, for events outside any
 * command, after the current piece of server work), in the order they were added, including
 * jobs added by jobs.
 */
public final class ModuleEvents implements KeyspaceObserver, Dispatcher.Observer {
    /** Server event ids (REDISMODULE_EVENT_*). */
    public static final int REPLICATION_ROLE_CHANGED = 0;
    public static final int PERSISTENCE = 1;
    public static final int FLUSHDB = 2;
    public static final int LOADING = 3;
    public static final int CLIENT_CHANGE = 4;
    public static final int SHUTDOWN = 5;
    public static final int REPLICA_CHANGE = 6;
    public static final int MASTER_LINK_CHANGE = 7;
    public static final int CRON_LOOP = 8;
    public static final int MODULE_CHANGE = 9;
    public static final int LOADING_PROGRESS = 10;
    public static final int SWAPDB = 11;
    public static final int REPL_BACKUP = 12;
    public static final int FORK_CHILD = 13;
    public static final int REPL_ASYNC_LOAD = 14;
    public static final int EVENTLOOP = 15;
    public static final int CONFIG = 16;
    public static final int KEY = 17;
    public static final int EVENT_COUNT = 18;
    /** Number of subevents of each event (for IsSubEventSupported). */
    private static final int[] SUBEVENTS = {2, 6, 2, 5, 2, 0, 2, 2, 0, 2, 2, 0, 0, 2, 3, 2, 1, 4};
    /** Highest data version of each event's structure; -1 (any) where it has none. */
    private static final long[] DATA_VERSIONS = {1, -1, 1, -1, 1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 1};

    /** A module's keyspace-event callback, supplied by its face. */
    public interface KeyspaceListener {
        void notify(Module m, int type, String event, byte[] key, int dbId);
    }

    /** A module's server-event callback, supplied by its face. */
    public interface ServerListener {
        /** @param data the event's details (see {@link ServerEvents}), or null */
        void fire(Module m, int event, long dataver, long subevent, Object data);
    }

    /** A job to run after the current unit of work. */
    public interface Job {
        void run();
    }

    private static final class KeyspaceSub {
        final Module module;
        final int mask;
        final Object identity;
        final KeyspaceListener listener;
        boolean active;

        KeyspaceSub(Module module, int mask, Object identity, KeyspaceListener listener) {
            this.module = module;
            this.mask = mask;
            this.identity = identity;
            this.listener = listener;
        }
    }

    private static final class ServerSub {
        final Module module;
        final int event;
        final long dataver;
        ServerListener listener;

        ServerSub(Module module, int event, long dataver, ServerListener listener) {
            this.module = module;
            this.event = event;
            this.dataver = dataver;
            this.listener = listener;
        }
    }

    private final ModuleHost host;
    private final CopyOnWriteArrayList<KeyspaceSub> keyspace = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ServerSub> server = new CopyOnWriteArrayList<>();
    /** REDISMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS. */
    static final int ALLOW_NESTED_NOTIFICATIONS = 1 << 3;

    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private boolean runningJobs;
    private boolean jobsScheduled;
    /** Our dispatcher observer, switched on only while post-notification jobs are queued. */
    private final dev.trellis.server.command.Dispatcher.Hook jobsHook;
    /** Told whenever server-event subscriptions change (ServerEvents switches its hooks). */
    private Runnable serverSubscriptionsChanged = () -> { };

    public ModuleEvents(ModuleHost host) {
        this.host = host;
        host.server().keyspace().addObserver(this);
        host.server().keyspace().observerActive(this, false); // until a module subscribes
        jobsHook = host.server().dispatcher().addObserver(this);
        jobsHook.enabled(false);
        // Jobs run inside the execution unit that queued them, so what they propagate is
        // wrapped with it in MULTI/EXEC (the dispatcher observer below is the fallback when
        // nothing is propagated).
        host.server().propagation().addUnitEndHook(() -> {
            if (!jobs.isEmpty()) {
                runJobs();
            }
        });
        host.addListener(new ModuleHost.Listener() {
            @Override
            public void unregistering(Module m) {
                keyspace.removeIf(s -> s.module == m);
                keyspaceSubscriptionsChanged();
                server.removeIf(s -> s.module == m);
                serverSubscriptionsChanged.run();
            }
        });
        ServerEvents.install(host, this);
    }

    public static ModuleEvents of(ModuleHost host) {
        return host.service(ModuleEvents.class, ModuleEvents::new);
    }

    public ModuleHost host() {
        return host;
    }

    // --- keyspace events ----------------------------------------------------------------

    /** SubscribeToKeyspaceEvents. {@code identity} tells subscriptions of one module apart. */
    public void subscribe(Module m, int mask, Object identity, KeyspaceListener l) {
        keyspace.add(new KeyspaceSub(m, mask, identity, l));
        keyspaceSubscriptionsChanged();
    }

    /** Writes call us only while some module is subscribed to keyspace events. */
    private void keyspaceSubscriptionsChanged() {
        host.server().keyspace().observerActive(this, !keyspace.isEmpty());
    }

    /** UnsubscribeFromKeyspaceEvents: false when there was no such subscription. */
    public boolean unsubscribe(Module m, int mask, Object identity) {
        for (KeyspaceSub s : keyspace) {
            if (s.module == m && s.mask == mask && s.identity.equals(identity)) {
                keyspace.remove(s);
                keyspaceSubscriptionsChanged();
                return true;
            }
        }
        return false;
    }

    @Override
    public void event(int type, String event, byte[] key, int dbId) {
        if (keyspace.isEmpty()) {
            return;
        }
        int t = type & ~(EventType.KEYSPACE | EventType.KEYEVENT);
        for (KeyspaceSub s : keyspace) {
            // A subscriber is not told of events its own callback causes, unless its module
            // set REDISMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS.
            if ((s.mask & t) == 0 || s.active && (s.module.options() & ALLOW_NESTED_NOTIFICATIONS) == 0) {
                continue;
            }
            s.active = true;
            try {
                s.listener.notify(s.module, t, event, key, dbId);
            } catch (Throwable e) {
                ServerLog.get().warning("Module " + s.module.name() + " keyspace notification failed: " + e);
            } finally {
                s.active = false;
            }
        }
    }

    /** The notify-keyspace-events flags (GetNotifyKeyspaceEvents). */
    public int notifyFlags() {
        String v = host.server().config().find("notify-keyspace-events").get();
        int f = EventType.parse(v);
        return Math.max(f, 0);
    }

    // --- post-notification jobs ---------------------------------------------------------

    /** AddPostNotificationJob: false while loading (Redis refuses then). */
    public boolean addJob(Job j) {
        if (host.server().info().gauge("loading") != 0) {
            return false;
        }
        jobs.add(j);
        jobsHook.enabled(true);
        if (host.server().dispatcher().depth() == 0 && !runningJobs && !jobsScheduled) {
            jobsScheduled = true;
            host.server().execute(() -> {
                jobsScheduled = false;
                runJobs();
            });
        }
        return true;
    }

    @Override
    public void executed(Client c, Command cmd, boolean dirty, long startMs, long micros) {
        if (!jobs.isEmpty() && host.server().dispatcher().depth() == 0 && !host.server().propagation().inUnit()) {
            runJobs(); // inside a unit (a module callback, a served blocked Call) they run at its end
        }
    }

    /** Runs queued jobs, including those they add, in order. */
    public void runJobs() {
        if (runningJobs) {
            return;
        }
        runningJobs = true;
        try {
            for (Job j; (j = jobs.poll()) != null; ) {
                try {
                    j.run();
                } catch (Throwable e) {
                    ServerLog.get().warning("Module post-notification job failed: " + e);
                }
            }
        } finally {
            runningJobs = false;
            if (jobs.isEmpty()) {
                jobsHook.enabled(false);
            }
        }
    }

    // --- server events ------------------------------------------------------------------

    /**
     * SubscribeToServerEvent: subscribes, replaces the callback, or (with a null listener)
     * unsubscribes. False for events this server does not know or data versions beyond ours.
     */
    public boolean subscribeServer(Module m, int event, long dataver, ServerListener l) {
        if (m == null || event < 0 || event >= EVENT_COUNT) {
            return false;
        }
        if (DATA_VERSIONS[event] != -1 && Long.compareUnsigned(dataver, DATA_VERSIONS[event]) > 0) {
            return false;
        }
        for (ServerSub s : server) {
            if (s.module == m && s.event == event) {
                if (l == null) {
                    server.remove(s);
                    serverSubscriptionsChanged.run();
                } else {
                    s.listener = l;
                }
                return true;
            }
        }
        if (l != null) {
            server.add(new ServerSub(m, event, dataver, l));
            serverSubscriptionsChanged.run();
        }
        return true;
    }

    public static boolean subEventSupported(long event, long subevent) {
        if (event < 0 || event >= EVENT_COUNT || event == REPL_BACKUP) {
            return false;
        }
        return Long.compareUnsigned(subevent, SUBEVENTS[(int) event]) < 0;
    }

    /** Whether any module is subscribed to any server event. */
    public boolean hasServerListeners() {
        return !server.isEmpty();
    }

    void onServerSubscriptionsChanged(Runnable r) {
        serverSubscriptionsChanged = r;
        r.run();
    }

    public boolean hasListeners(int event) {
        for (ServerSub s : server) {
            if (s.event == event) {
                return true;
            }
        }
        return false;
    }

    /** Tells every module subscribed to {@code event}, in subscription order. */
    public void fire(int event, long subevent, Object data) {
        if (server.isEmpty()) {
            return;
        }
        List<ServerSub> subs = new ArrayList<>();
        for (ServerSub s : server) {
            if (s.event == event) {
                subs.add(s);
            }
        }
        for (ServerSub s : subs) {
            if (event == MODULE_CHANGE && data == s.module) {
                continue; // a module does not hear about itself
            }
            try {
                s.listener.fire(s.module, event, s.dataver, subevent, data);
            } catch (Throwable e) {
                ServerLog.get().warning("Module " + s.module.name() + " server event " + event + " failed: " + e);
            }
        }
    }
}
