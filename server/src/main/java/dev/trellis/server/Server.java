package dev.trellis.server;

import dev.trellis.server.blocking.Blocking;
import dev.trellis.server.acl.Acl;
import dev.trellis.server.client.Client;
import dev.trellis.server.eviction.Eviction;
import dev.trellis.server.eviction.MemoryMeter;
import dev.trellis.server.client.ClientTransport;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.commands.CommandGroups;
import dev.trellis.server.config.Config;
import dev.trellis.server.info.InfoRegistry;
import dev.trellis.server.info.ServerStats;
import dev.trellis.server.info.StandardInfoSections;
import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.net.NetServer;
import dev.trellis.server.pubsub.KeyspaceNotifier;
import dev.trellis.server.pubsub.Outbox;
import dev.trellis.server.pubsub.PubSub;
import dev.trellis.server.pubsub.PubSubContextGate;
import dev.trellis.server.replication.Propagation;
import dev.trellis.server.tracking.Tracking;
import dev.trellis.server.tx.Transactions;
import dev.trellis.server.resp.Reply;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server: configuration, keyspace, command table and dispatcher, clients, the network and
 * the periodic cron. Everything here is used from the one server thread (the network event
 * loop) unless a method says otherwise.
 */
public final class Server {
    public static final String REDIS_VERSION = "7.2.4";
    public static final String TRELLIS_VERSION = "0.1.0";

    private final Config config;
    private final ServerStats stats = new ServerStats();
    private final Keyspace keyspace;
    private final CommandTable commands;
    private final Dispatcher dispatcher;
    private final InfoRegistry info = new InfoRegistry();
    private ClientUnblocker clientUnblocker = (c, error) -> false;
    private final Map<String, dev.trellis.server.command.CommandHandler> debugSubcommands = new java.util.TreeMap<>();
    private final Propagation propagation;
    private final Outbox outbox;
    private final Transactions transactions;
    private final PubSub pubsub;
    private final Blocking blocking;
    private final Tracking tracking;
    private final Eviction eviction;
    private final dev.trellis.server.replication.MinReplicas minReplicas;
    private final Acl acl;
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private final List<Runnable> cronTasks = new ArrayList<>();
    private final List<ShutdownHook> shutdownHooks = new ArrayList<>();
    private final List<Runnable> startupTasks = new ArrayList<>();
    private volatile int exitCode;
    private final String runId = randomHex(40);
    private long nextClientId = 1;
    private NetServer net;
    private ScheduledFuture<?> cron;
    private long cronLoops;
    private volatile boolean shuttingDown;

    public Server(Config config) {
        this.config = config;
        this.keyspace = new Keyspace(config.databases);
        this.commands = CommandTable.load();
        this.dispatcher = new Dispatcher(this, commands, stats);
        this.acl = new Acl(this);
        StandardInfoSections.register(this);
        this.propagation = new Propagation(dispatcher, keyspace, stats);
        this.outbox = new Outbox(this);
        this.transactions = new Transactions(this);
        this.pubsub = new PubSub(this, outbox);
        new KeyspaceNotifier(pubsub, config, keyspace);
        this.blocking = new Blocking(this);
        this.tracking = new Tracking(this, outbox);
        this.eviction = new Eviction(this, new MemoryMeter(this));
        stats.memory.accountedSource(eviction.meter()::usedMemory);
        this.minReplicas = new dev.trellis.server.replication.MinReplicas(config, dispatcher, transactions, propagation);
        // Gate order follows Redis's processCommand: no_multi, OOM, NOREPLICAS, pub/sub context,
        // then MULTI queueing.
        // Scoped gates are called only for clients in MULTI or subscribed (RESP2 pub/sub context).
        dispatcher.addGate(transactions.noMultiGate()).forClientsWith(Client.FLAG_MULTI);
        // Called only while maxmemory is set.
        Dispatcher.Hook oom = dispatcher.addGate(eviction.oomGate());
        oom.enabled(config.maxmemory != 0);
        config.onChange("maxmemory", v -> oom.enabled(config.maxmemory != 0));
        minReplicas.hook(dispatcher.addGate(minReplicas));
        dispatcher.addGate(new PubSubContextGate(dispatcher)).forClientsWith(Client.FLAG_PUBSUB);
        dispatcher.addGate(transactions.queueGate()).forClientsWith(Client.FLAG_MULTI);
        CommandGroups.registerAll(this, commands);
        commands.seal();
        acl.commandsChanged();
        applyConfig();
        // After the configured modules (their commands may appear in user rules), as Redis.
        addStartupTask(() -> {
            try {
                acl.loadAtStartup(config.aclUsers);
            } catch (IllegalStateException e) {
                ServerLog.get().warning(e.getMessage());
                throw e;
            }
        });
    }

    private void applyConfig() {
        ServerLog.get().level(ServerLog.parseLevel(config.logLevel));
        config.onChange("loglevel", v -> ServerLog.get().level(ServerLog.parseLevel(v)));
        config.onChange("logfile", v -> {
            try {
                ServerLog.get().file(v);
            } catch (java.io.IOException e) {
                ServerLog.get().warning("Can't open the log file: " + e.getMessage());
            }
        });
        keyspace.accessClock(config.maxmemoryPolicy.contains("lfu") ? AccessClock.LFU : AccessClock.LRU);
        config.onChange("maxmemory-policy", v -> keyspace.accessClock(v.contains("lfu") ? AccessClock.LFU : AccessClock.LRU));
        AccessClock.Lfu.logFactor = config.lfuLogFactor;
        AccessClock.Lfu.decayTime = config.lfuDecayTime;
        config.onChange("lfu-log-factor", v -> AccessClock.Lfu.logFactor = Integer.parseInt(v));
        config.onChange("lfu-decay-time", v -> AccessClock.Lfu.decayTime = Integer.parseInt(v));
        config.onChange("hz", v -> rescheduleCron());
    }

    public Config config() {
        return config;
    }

    public ServerStats stats() {
        return stats;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public CommandTable commands() {
        return commands;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The INFO sections and gauges; other packages add their own. */
    public InfoRegistry info() {
        return info;
    }

    /** Unblocks a client blocked by a blocking command (CLIENT UNBLOCK); set by the blocking layer. */
    public interface ClientUnblocker {
        /**
         * @param withError reply with the UNBLOCKED error instead of the command's timeout reply
         * @return false when the client is not blocked, or is blocked in a way that cannot time out
         */
        boolean unblock(Client c, boolean withError);
    }

    public ClientUnblocker clientUnblocker() {
        return clientUnblocker;
    }

    public void clientUnblocker(ClientUnblocker u) {
        clientUnblocker = u;
    }

    /**
     * Adds a DEBUG subcommand (lowercase name); the body sees the whole DEBUG argv. Features add
     * their own (RELOAD, LISTPACK, QUICKLIST-PACKED-THRESHOLD...).
     */
    public void debugSubcommand(String name, dev.trellis.server.command.CommandHandler body) {
        debugSubcommands.put(name.toLowerCase(java.util.Locale.ROOT), body);
    }

    public dev.trellis.server.command.CommandHandler debugSubcommand(String name) {
        return debugSubcommands.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public java.util.Set<String> debugSubcommandNames() {
        return debugSubcommands.keySet();
    }

    /** The stream of dataset changes for the AOF and replicas. */
    public Propagation propagation() {
        return propagation;
    }

    /** Flushes data written to other clients (messages, invalidations, unblocked replies). */
    public Outbox outbox() {
        return outbox;
    }

    /** min-replicas-to-write: whether writes are refused for lack of good replicas. */
    public dev.trellis.server.replication.MinReplicas minReplicas() {
        return minReplicas;
    }

    public Transactions transactions() {
        return transactions;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    /** Clients blocked on keys or by modules; {@code blocking().unblock(client, error)} for CLIENT UNBLOCK. */
    public Blocking blocking() {
        return blocking;
    }

    /** Client-side caching: tracked keys and invalidations. */
    public Tracking tracking() {
        return tracking;
    }

    /** maxmemory: the memory meter behind used_memory, and eviction. */
    public Eviction eviction() {
        return eviction;
    }

    public String runId() {
        return runId;
    }

    public NetServer net() {
        return net;
    }

    private long cachedTimeMs = System.currentTimeMillis();

    /** Wall-clock ms refreshed by the cron; for bookkeeping that needs no precision. */
    public long cachedTimeMs() {
        return cachedTimeMs;
    }

    /** Whether new connections must authenticate (the default user has a password or is off). */
    public boolean authRequired() {
        return acl.authRequired();
    }

    public Acl acl() {
        return acl;
    }

    // --- clients -----------------------------------------------------------------------

    /** Creates a client for a network connection or, with a null transport, an internal one. */
    public Client newClient(ClientTransport transport, Reply reply) {
        Client c = new Client(this, nextClientId++, transport, reply);
        acl.setDefaultAuth(c);
        if (transport != null) {
            clients.put(c.id(), c);
            for (java.util.function.Consumer<Client> l : clientCreateListeners) {
                try {
                    l.accept(c);
                } catch (Throwable t) {
                    ServerLog.get().warning("client create listener: " + t);
                }
            }
        }
        return c;
    }

    private final List<java.util.function.Consumer<Client>> clientCreateListeners = new ArrayList<>();

    /** Registers a callback run when a network client connects (module client-change events). */
    public void onClientCreate(java.util.function.Consumer<Client> l) {
        clientCreateListeners.add(l);
    }

    /** An internal client (module calls, AOF loading) that writes replies into a heap buffer. */
    public Client newInternalClient() {
        Client c = new Client(this, nextClientId++, null, new Reply(Unpooled.buffer(256)));
        c.aclUser(Acl.SUPERUSER);
        c.authenticated(true);
        return c;
    }

    public void removeClient(Client c) {
        clients.remove(c.id());
    }

    private final List<java.util.function.Consumer<Client>> clientCloseListeners = new ArrayList<>();

    /** Registers cleanup run when a client disconnects (pub/sub, blocking, tracking state). */
    public void onClientClose(java.util.function.Consumer<Client> l) {
        clientCloseListeners.add(l);
    }

    public void clientClosed(Client c) {
        for (java.util.function.Consumer<Client> l : clientCloseListeners) {
            try {
                l.accept(c);
            } catch (Throwable t) {
                ServerLog.get().warning("client close listener: " + t);
            }
        }
    }

    private final List<java.util.function.Consumer<Client>> clientResetListeners = new ArrayList<>();

    /** Registers state cleanup for RESET (transactions, subscriptions, tracking). */
    public void onClientReset(java.util.function.Consumer<Client> l) {
        clientResetListeners.add(l);
    }

    public void resetClient(Client c) {
        for (java.util.function.Consumer<Client> l : clientResetListeners) {
            l.accept(c);
        }
    }

    private java.util.function.Consumer<Client> moduleDescriber = c -> c.reply().emptyArray();

    /** Writes the "modules" array of HELLO; the module host replaces it. */
    public void describeModules(Client c) {
        moduleDescriber.accept(c);
    }

    public void moduleDescriber(java.util.function.Consumer<Client> d) {
        moduleDescriber = d;
    }

    public Map<Long, Client> clients() {
        return clients;
    }

    // --- threads and timers ------------------------------------------------------------

    /** Runs {@code task} on the server thread (safe from any thread). */
    public void execute(Runnable task) {
        net.executor().execute(task);
    }

    public Executor executor() {
        return net.executor();
    }

    public ScheduledExecutorService scheduler() {
        return net.executor();
    }

    public boolean inServerThread() {
        return net != null && net.executor().inEventLoop();
    }

    /** Adds work to the periodic cron (runs hz times per second on the server thread). */
    public void addCronTask(Runnable r) {
        cronTasks.add(r);
    }

    /** Work done before shutting down (saving data); may refuse, which aborts a non-forced shutdown. */
    public interface ShutdownHook {
        /**
         * @param save   SAVE was requested, or the configuration asks for it and NOSAVE was not given
         * @param nosave NOSAVE was requested
         * @return null on success, or an error message
         */
        String run(boolean save, boolean nosave);
    }

    public void addShutdownHook(ShutdownHook h) {
        shutdownHooks.add(h);
    }

    /** Work run once on the server thread after binding, before "Ready to accept connections". */
    public void addStartupTask(Runnable r) {
        startupTasks.add(r);
    }

    /**
     * Holds replies back until what they acknowledge is durable (the AOF writes, and with
     * appendfsync always syncs, the commands first). Connections ask before flushing to the socket.
     */
    public interface ReplyBarrier {
        /** True when the flush must wait; {@code resume} runs (on the server thread) once it may go. */
        boolean hold(Runnable resume);

        /** Makes everything acknowledged so far durable now (a connection is about to close). */
        void syncNow();
    }

    private ReplyBarrier replyBarrier;

    /** The barrier replies must pass, or null (no AOF: replies go straight out). */
    public ReplyBarrier replyBarrier() {
        return replyBarrier;
    }

    public void replyBarrier(ReplyBarrier b) {
        replyBarrier = b;
    }

    /** Serves other clients while a long command runs on the server thread (RedisModule_Yield). */
    public interface BusyLoop {
        /**
         * Reads and runs what the connections other than {@code running}'s sent, without
         * waiting; the dispatcher's {@link dev.trellis.server.command.Dispatcher#busyReply}
         * decides what they get.
         */
        void serveClients(Client running);
    }

    private BusyLoop busyLoop;

    /** The loop that serves clients during a long command, or null (no network, NIO transport). */
    public BusyLoop busyLoop() {
        return busyLoop;
    }

    public void busyLoop(BusyLoop loop) {
        busyLoop = loop;
    }

    private final List<java.util.concurrent.Future<?>> startupBarriers = new ArrayList<>();

    /**
     * Work started by a startup task that must finish before the server is ready, while the
     * server thread keeps serving meanwhile (loading a dataset answers -LOADING until done).
     */
    public void addStartupBarrier(java.util.concurrent.Future<?> f) {
        startupBarriers.add(f);
    }

    /** Waits until the startup tasks ran and what they started (loading) has finished. */
    public void runStartupTasks() throws Exception {
        startupRun.get();
        for (java.util.concurrent.Future<?> f : startupBarriers) {
            f.get();
        }
    }

    public int exitCode() {
        return exitCode;
    }

    public long cronLoops() {
        return cronLoops;
    }

    private void rescheduleCron() {
        if (cron != null) {
            cron.cancel(false);
        }
        long periodMicros = 1_000_000L / Math.max(1, Math.min(500, config.hz));
        cron = net.executor().scheduleAtFixedRate(this::cron, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void cron() {
        try {
            cronLoops++;
            cachedTimeMs = System.currentTimeMillis();
            keyspace.syncClock();
            // Active expiry gets about 25% of a cron period, as Redis's slow cycle.
            keyspace.activeExpireCycle(250_000L / Math.max(1, config.hz));
            if (config.activeRehashing) {
                keyspace.rehashCycle();
            }
            for (Runnable r : cronTasks) {
                r.run();
            }
        } catch (Throwable t) {
            ServerLog.get().warning("cron: " + t);
        }
    }

    // --- lifecycle ---------------------------------------------------------------------

    /**
     * Starts the startup tasks, binds the listeners and starts the cron. Throws when a port
     * cannot be bound.
     *
     * <p>The startup tasks are queued on the server thread before the listeners are, so no
     * client command runs before them: as Redis loads its modules and data before its event
     * loop serves anyone, a client that connects at once gets -LOADING, never a write executed
     * before the AOF is open (acknowledged, then lost) or before the dataset is loaded.
     */
    public void start() throws Exception {
        net = new NetServer(this);
        net.configure();
        startupRun = net.executor().submit(() -> {
            ServerLog.get().notice("Server initialized");
            for (Runnable r : startupTasks) {
                r.run();
            }
            stats.memory.markStartup();
        });
        net.start();
        rescheduleCron();
    }

    private java.util.concurrent.Future<?> startupRun;

    public boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * SHUTDOWN: runs the hooks (saving), then closes listeners and ends the server loop.
     * Returns null when shutting down, or the error that stopped it (unless forced).
     */
    public String shutdown(boolean save, boolean nosave, boolean force) {
        if (shuttingDown) {
            return null;
        }
        ServerLog.get().warning("User requested shutdown...");
        for (ShutdownHook h : shutdownHooks) {
            String err;
            try {
                err = h.run(save, nosave);
            } catch (Throwable t) {
                err = t.toString();
            }
            if (err != null && !force) {
                ServerLog.get().warning("Errors trying to shut down the server. Check the logs for more information.");
                return err;
            }
        }
        shuttingDown = true;
        if (net != null) {
            net.stop();
        }
        return null;
    }

    /** SIGTERM/SIGINT: shutdown-on-sigterm/sigint decide about saving and forcing. */
    public void shutdownFromSignal(String sig) {
        String mode = config.find(sig.equals("TERM") ? "shutdown-on-sigterm" : "shutdown-on-sigint").get();
        boolean save = mode.contains("save") && !mode.contains("nosave");
        boolean nosave = mode.contains("nosave");
        String err = shutdown(save, nosave, mode.contains("force"));
        if (err != null) {
            ServerLog.get().warning("SIG" + sig + " received but errors trying to shut down the server, check the logs for more information");
        }
    }

    public void awaitTermination() throws InterruptedException {
        net.awaitTermination();
    }

    private static String randomHex(int n) {
        StringBuilder sb = new StringBuilder();
        java.security.SecureRandom r = new java.security.SecureRandom();
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }
}
