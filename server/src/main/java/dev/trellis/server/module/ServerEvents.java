package dev.trellis.server.module;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyspaceObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the server's moments become module server events: the cron (CronLoop), shutdown,
 * saves (Persistence), loading (Loading), modules loading and unloading (ModuleChange),
 * clients connecting and leaving
 * (ClientChange), FLUSHDB/FLUSHALL (FlushDB, before and after), SWAPDB, CONFIG SET (Config,
 * one event naming every parameter the command changed), with {@link ServerEventData} details.
 */
final class ServerEvents implements KeyspaceObserver, Dispatcher.Observer, Dispatcher.Gate {
    private final ModuleHost host;
    private final ModuleEvents events;
    private ServerEventData.FlushInfo flushing;
    private int swapFirst = -1;
    private int swapSecond = -1;
    private final List<String> configChanged = new ArrayList<>();

    private ServerEvents(ModuleHost host, ModuleEvents events) {
        this.host = host;
        this.events = events;
    }

    static void install(ModuleHost host, ModuleEvents events) {
        ServerEvents se = new ServerEvents(host, events);
        Server s = host.server();
        s.addCronTask(() -> {
            if (events.hasListeners(ModuleEvents.CRON_LOOP)) {
                events.fire(ModuleEvents.CRON_LOOP, 0, new ServerEventData.CronLoop(s.config().hz));
            }
        });
        s.addShutdownHook((save, nosave) -> {
            events.fire(ModuleEvents.SHUTDOWN, 0, null);
            return null;
        });
        s.onClientCreate(c -> events.fire(ModuleEvents.CLIENT_CHANGE, 0, c));
        s.onClientClose(c -> {
            if (c.transport() != null) {
                events.fire(ModuleEvents.CLIENT_CHANGE, 1, c);
            }
        });
        host.addListener(new ModuleHost.Listener() {
            @Override
            public void loaded(Module m) {
                events.fire(ModuleEvents.MODULE_CHANGE, 0, m);
            }

            @Override
            public void unloaded(Module m) {
                events.fire(ModuleEvents.MODULE_CHANGE, 1, m);
            }
        });
        dev.trellis.server.persist.Persistence p = dev.trellis.server.persist.Persistence.of(s);
        if (p != null) {
            p.onSave(sub -> events.fire(ModuleEvents.PERSISTENCE, sub, null));
            p.loading().listen(sub -> events.fire(ModuleEvents.LOADING, sub, null));
            p.loading().listenProgress(se::loadingProgress);
        }
        s.propagation().replicationEvents().add(new dev.trellis.server.replication.ReplicationEvents.Listener() {
            @Override
            public void roleChanged(String host, int port) {
                var st = s.stats();
                events.fire(ModuleEvents.REPLICATION_ROLE_CHANGED, host == null ? 0 : 1,
                        new ServerEventData.ReplicationInfo(host == null, host == null ? "" : host, port, st.replId,
                                st.replId2, st.masterReplOffset, -1));
            }

            @Override
            public void masterLink(boolean up) {
                events.fire(ModuleEvents.MASTER_LINK_CHANGE, up ? 0 : 1, null);
            }

            @Override
            public void replica(boolean online) {
                events.fire(ModuleEvents.REPLICA_CHANGE, online ? 0 : 1, null);
            }
        });
        s.keyspace().addObserver(se);
        // Called only while some module is subscribed to a server event.
        var observer = s.dispatcher().addObserver(se);
        var gate = s.dispatcher().addGate(se);
        events.onServerSubscriptionsChanged(() -> {
            observer.enabled(events.hasServerListeners());
            gate.enabled(events.hasServerListeners());
            s.keyspace().observerActive(se, events.hasServerListeners());
            eventLoopListener(s, events);
        });
        s.config().onAnyChange(name -> {
            if (events.hasListeners(ModuleEvents.CONFIG)) {
                se.configChanged.add(name);
            }
        });
    }

    // --- LoadingProgress: at the loaders' progress points, at most hz times a second ------

    private long nextProgressNanos = System.nanoTime();

    private void loadingProgress(boolean aof, int progress) {
        if (!events.hasListeners(ModuleEvents.LOADING_PROGRESS)) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextProgressNanos < 0) {
            return;
        }
        int hz = Math.max(1, host.server().config().hz);
        nextProgressNanos = now + 1_000_000_000L / hz;
        events.fire(ModuleEvents.LOADING_PROGRESS, aof ? 1 : 0, new ServerEventData.LoadingProgress(hz, progress));
    }

    // --- FLUSHDB / FLUSHALL: announced before the command runs, and after -----------------

    @Override
    public boolean intercept(Client c, Command cmd) {
        if (!events.hasListeners(ModuleEvents.FLUSHDB)) {
            return false; // the common case: no module listens, nothing to compare
        }
        String name = cmd.fullName();
        if (name.equals("flushdb") || name.equals("flushall")) {
            boolean async = c.argc > 1 && c.argIs(1, "async")
                    || c.argc == 1 && "yes".equals(host.server().config().find("lazyfree-lazy-user-flush").get());
            flushing = new ServerEventData.FlushInfo(!async, name.equals("flushall") ? -1 : c.db().id());
            events.fire(ModuleEvents.FLUSHDB, 0, flushing);
        }
        return false;
    }

    @Override
    public void executed(Client c, Command cmd, boolean dirty, long startMs, long micros) {
        if (flushing != null && (cmd.fullName().equals("flushdb") || cmd.fullName().equals("flushall"))) {
            ServerEventData.FlushInfo f = flushing;
            flushing = null;
            events.fire(ModuleEvents.FLUSHDB, 1, f);
        }
        if (!configChanged.isEmpty() && host.server().dispatcher().depth() == 0) {
            List<String> names = List.copyOf(configChanged);
            configChanged.clear();
            events.fire(ModuleEvents.CONFIG, 0, new ServerEventData.ConfigChange(names));
        }
    }

    // --- EVENTLOOP: the server thread goes to wait for I/O, and wakes up -----------------

    /** Listens to the server thread's waits only while a module is subscribed to EVENTLOOP. */
    private static void eventLoopListener(Server s, ModuleEvents events) {
        if (s.net() == null) {
            return;
        }
        s.net().gil().sleepListener(!events.hasListeners(ModuleEvents.EVENTLOOP) ? null
                : new dev.trellis.server.net.ServerLock.SleepListener() {
                    @Override
                    public void beforeSleep() {
                        events.fire(ModuleEvents.EVENTLOOP, 0, null);
                    }

                    @Override
                    public void afterSleep() {
                        events.fire(ModuleEvents.EVENTLOOP, 1, null);
                    }
                });
    }

    // --- KEY: a key about to be deleted, expired, evicted or overwritten -----------------

    @Override
    public void entryRemoving(Database db, dev.trellis.server.keyspace.KeyEntry e, int reason) {
        if (!events.hasListeners(ModuleEvents.KEY)) {
            return;
        }
        // While modules look at it, the key reads as present even when it expired (Redis's
        // allow_access_expired), so their lookups neither miss nor delete it again.
        var ks = host.server().keyspace();
        boolean paused = ks.expiryPaused();
        ks.expiryPaused(true);
        try {
            events.fire(ModuleEvents.KEY, reason, new ServerEventData.KeyInfo(db, e.key()));
        } finally {
            ks.expiryPaused(paused);
        }
    }

    // --- SWAPDB: told after the exchange ------------------------------------------------

    @Override
    public void databaseReplacing(Database db, Database with) {
        if (with != null && swapFirst < 0) {
            swapFirst = db.id();
            swapSecond = with.id();
        }
    }

    @Override
    public void databaseChanged(Database db) {
        if (swapFirst >= 0 && db.id() == swapSecond) {
            ServerEventData.SwapDbInfo info = new ServerEventData.SwapDbInfo(swapFirst, swapSecond);
            swapFirst = swapSecond = -1;
            events.fire(ModuleEvents.SWAPDB, 0, info);
        }
    }
}
