package dev.trellis.server.module;

import dev.trellis.server.blocking.BlockHandler;
import dev.trellis.server.blocking.BlockedClient;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.log.ServerLog;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code RedisModuleBlockedClient}: a client a module blocked with BlockClient or
 * BlockClientOnKeys, on the server's blocking mechanism. Redis's life cycle:
 * <ul>
 *   <li>UnblockClient (from any thread) queues the handle; on the server thread the reply
 *       callback writes the reply, replies that thread-safe contexts gathered follow, the
 *       private data is freed and the client resumes its pipeline;</li>
 *   <li>on timeout (or CLIENT UNBLOCK) the timeout callback replies; the handle stays until
 *       the module unblocks it (which then only frees the private data);</li>
 *   <li>a client blocked on keys is offered each ready key through the reply callback until it
 *       returns OK;</li>
 *   <li>a client that disconnects gets the disconnect callback; the handle stays until the
 *       module unblocks it.</li>
 * </ul>
 * The module counts a blocked client until its handle is released, and cannot be unloaded
 * meanwhile.
 */
public final class ModuleBlockedClient implements BlockHandler {
    /** Context flags the callbacks run with (REDISMODULE_CTX_*). */
    public static final int CTX_NONE = 0;

    /** The module's callbacks, called by the face that blocked the client. */
    public interface Callbacks {
        /** reply_callback with a BLOCKED_REPLY context; returns true on REDISMODULE_OK. */
        boolean reply(ModuleBlockedClient bc, byte[] readyKey);

        boolean hasReply();

        /** timeout_callback with a BLOCKED_TIMEOUT context. */
        void timeout(ModuleBlockedClient bc);

        boolean hasTimeout();

        /** free_privdata (only called when there is private data). */
        void freePrivdata(ModuleBlockedClient bc, boolean disconnected);

        /** The disconnect callback SetDisconnectCallback installed, if any. */
        void disconnected(ModuleBlockedClient bc);

        boolean hasDisconnect();

        /** The handle is gone: release what the face holds for it. */
        void released(ModuleBlockedClient bc);

        /** Blocked with BlockClientOnAuth: the command runs again when unblocked. */
        default boolean auth() {
            return false;
        }

        /** The auth reply callback of BlockClientOnAuth: ModuleAuth.HANDLED or NOT_HANDLED. */
        default int authReply(ModuleBlockedClient bc, Client c, byte[] username, byte[] password, String[] err) {
            return ModuleAuth.NOT_HANDLED;
        }
    }

    private final ModuleHost host;
    private final Module module;
    private final Callbacks callbacks;
    private final boolean onKeys;
    private final int dbId;
    /** The blocked command's arguments, as the callbacks get them. */
    private final byte[][] argv;
    private final Command command;
    /** Collects what thread-safe contexts of this handle reply, sent on at unblock. */
    private final Client replyClient;
    private final List<String> deferredErrors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** The client, until it is unblocked, times out or disconnects. */
    private volatile Client client;
    private BlockedClient block;
    private volatile boolean unblocked;
    private volatile boolean keysUnblockedExplicitly;
    private volatile long privdata;
    private volatile boolean disconnectCallbackOff;
    private long backgroundNanos;
    private long measureStart;
    /** Native face: the RedisModuleBlockedClient* handle. */
    public long address;

    private ModuleBlockedClient(ModuleHost host, Module module, Client client, boolean onKeys, long privdata,
                                Callbacks callbacks) {
        this.host = host;
        this.module = module;
        this.client = client;
        this.onKeys = onKeys;
        this.privdata = privdata;
        this.callbacks = callbacks;
        this.dbId = client.db().id();
        this.argv = client.argv == null ? new byte[0][] : Arrays.copyOf(client.argv, client.argc);
        this.command = client.cmd;
        this.replyClient = host.server().newInternalClient();
        replyClient.reply().protocol(client.protocol());
        // Errors replied through thread-safe contexts count when they reach the client (unblock).
        replyClient.reply().errorListener(deferredErrors::add);
        try {
            replyClient.select(dbId);
        } catch (RuntimeException ignored) {
            // keeps db 0
        }
    }

    /**
     * BlockClient / BlockClientOnKeys for the client of {@code ctx}. Where Redis cannot block
     * (inside MULTI, in a reply callback, a timeout out of range) the client gets Redis's error
     * and the handle is returned already detached from it.
     *
     * @param keys            null for BlockClient
     * @param unblockOnDelete REDISMODULE_BLOCK_UNBLOCK_DELETED
     */
    public static ModuleBlockedClient block(ModuleContext ctx, Callbacks callbacks, long timeoutMs, List<byte[]> keys,
                                            boolean unblockOnDelete, long privdata) {
        Client c = ctx.client();
        ModuleBlockedClient bc = new ModuleBlockedClient(ctx.host(), ctx.module(), c, keys != null, privdata, callbacks);
        if (ctx.module() != null) {
            ctx.module().blockedClients(1);
        }
        long deadline = 0;
        if (timeoutMs > 0) {
            long now = System.currentTimeMillis();
            if (timeoutMs > Long.MAX_VALUE - now - 1) {
                bc.client = null;
                c.reply().error("ERR timeout is out of range");
                return bc;
            }
            // One millisecond of grace: Redis notices a timeout only when its loop next wakes,
            // which a module timer due at the same millisecond does first (so the timer wins).
            deadline = now + timeoutMs + 1;
        }
        if ((c.flags & Client.FLAG_MULTI) != 0) {
            bc.client = null;
            c.reply().error("ERR Blocking module command called from transaction");
        } else if (ctx.has(ModuleContext.BLOCKED_REPLY)) {
            bc.client = null;
            c.reply().error("ERR Blocking module command called from a Reply callback context");
        } else if (!callbacks.auth() && ctx.host().auth().inProgress(c)) {
            bc.client = null;
            c.reply().error("ERR Clients undergoing module based authentication can only be blocked on auth");
        } else {
            bc.block = ctx.host().server().blocking().block(c, keys == null ? List.of() : keys, null, unblockOnDelete,
                    deadline, bc);
        }
        return bc;
    }

    /**
     * BlockClientOnAuth from an authentication callback: null (and an error reply) when the
     * client is not being authenticated by a module.
     */
    public static ModuleBlockedClient blockOnAuth(ModuleContext ctx, Callbacks callbacks) {
        Client c = ctx.client();
        if (c == null || !ctx.host().auth().inProgress(c)) {
            if (c != null) {
                c.reply().error("ERR Module blocking client on auth when not currently undergoing module authentication");
            }
            return null;
        }
        return block(ctx, callbacks, 0, null, false, 0);
    }

    public ModuleHost host() {
        return host;
    }

    /** The blocked command (for an auth block: AUTH or HELLO, run again when unblocked). */
    public Command command() {
        return command;
    }

    /** AbortBlock was called: no callback of the module runs for this handle. */
    public boolean aborted() {
        return abortCallbacks;
    }

    /**
     * The end of an auth block, after the command ran again: frees the private data, adds the
     * measured background time to the command, and releases the handle.
     */
    void finishAuth(Client c) {
        if (privdata != 0) {
            callbacks.freePrivdata(this, false);
        }
        if (command != null) {
            command.microseconds += backgroundNanos / 1000;
        }
        release();
    }

    public Callbacks callbacks() {
        return callbacks;
    }

    public Module module() {
        return module;
    }

    /**
     * The client the callbacks act for: the blocked client until it is unblocked, times out or
     * disconnects (during the timeout callback it is still the client), else null.
     */
    public Client client() {
        return client;
    }

    public int dbId() {
        return dbId;
    }

    public byte[][] argv() {
        return argv;
    }

    public boolean onKeys() {
        return onKeys;
    }

    public long privdata() {
        return privdata;
    }

    public void privdata(long p) {
        privdata = p;
    }

    /** An error replied for the client through a thread-safe context: counted at unblock. */
    public void deferError(String message) {
        deferredErrors.add(message);
    }

    public Client replyClient() {
        return replyClient;
    }

    /** The protocol of the blocked client (thread-safe contexts reply in it). */
    public int protocol() {
        return replyClient.protocol();
    }

    // --- measuring background time ------------------------------------------------------

    public synchronized boolean measureStart() {
        if (measureStart != 0) {
            return false;
        }
        measureStart = System.nanoTime();
        return true;
    }

    public synchronized boolean measureEnd() {
        if (measureStart == 0) {
            return false;
        }
        backgroundNanos += System.nanoTime() - measureStart;
        measureStart = 0;
        return true;
    }

    // --- unblocking ---------------------------------------------------------------------

    /** The handles UnblockClient queued, handled on the server thread. */
    public static final class Queue {
        private final ConcurrentLinkedQueue<ModuleBlockedClient> queue = new ConcurrentLinkedQueue<>();
        private final ModuleHost host;
        private final java.util.concurrent.atomic.AtomicBoolean scheduled = new java.util.concurrent.atomic.AtomicBoolean();

        Queue(ModuleHost host) {
            this.host = host;
        }

        void add(ModuleBlockedClient bc) {
            queue.add(bc);
            if (scheduled.compareAndSet(false, true)) {
                host.server().execute(this::drain);
            }
        }

        void drain() {
            scheduled.set(false);
            for (ModuleBlockedClient bc; (bc = queue.poll()) != null; ) {
                try {
                    bc.handleUnblock();
                } catch (Throwable t) {
                    ServerLog.get().warning("unblocking a module blocked client: " + t);
                }
            }
        }
    }

    static Queue queue(ModuleHost host) {
        return host.service(Queue.class, Queue::new);
    }

    /**
     * UnblockClient (any thread): false when the client is blocked on keys and the module gave
     * no timeout callback, the one that would reply.
     */
    public boolean unblock(long newPrivdata) {
        if (onKeys) {
            if (!callbacks.hasTimeout()) {
                return false;
            }
            if (unblocked) {
                return true;
            }
            if (client != null) {
                keysUnblockedExplicitly = true;
            }
        } else {
            privdata = newPrivdata;
        }
        unblocked = true;
        queue(host).add(this);
        return true;
    }

    /** AbortBlock: unblock without reply or disconnect callbacks. */
    public boolean abort() {
        abortCallbacks = true;
        disconnectCallbackOff = true;
        return unblock(0);
    }

    private volatile boolean abortCallbacks;

    private void handleUnblock() {
        Client c = client;
        if (c != null && block != null && c.blockState != block) {
            c = null; // it left the blocked state some other way (CLIENT UNBLOCK ... ERROR)
            client = null;
        }
        if (c != null && callbacks.auth()) {
            // Authentication: gathered replies go out, then AUTH/HELLO runs again and asks the
            // auth reply callback (ModuleAuth); the handle lives until then.
            int n = replyClient.reply().buffer().readableBytes();
            if (n > 0) {
                byte[] gathered = new byte[n];
                replyClient.reply().buffer().readBytes(gathered);
                c.reply().raw(gathered);
            }
            disconnectCallbackOff = true;
            client = null;
            host.auth().unblocked(c, this);
            return;
        }
        long errorsBefore = host.server().stats().totalErrorReplies;
        long t0 = System.nanoTime();
        if (c != null && !onKeys && !abortCallbacks && callbacks.hasReply()) {
            callbacks.reply(this, null);
        }
        long replyNanos = System.nanoTime() - t0;
        if (c != null && keysUnblockedExplicitly) {
            callbacks.timeout(this);
        }
        if (privdata != 0) {
            callbacks.freePrivdata(this, c == null);
        }
        if (c != null) {
            int n = replyClient.reply().buffer().readableBytes();
            if (n > 0) {
                byte[] gathered = new byte[n];
                replyClient.reply().buffer().readBytes(gathered);
                c.reply().raw(gathered);
            }
            synchronized (deferredErrors) {
                for (String e : deferredErrors) {
                    host.server().stats().errorReply(e);
                }
                deferredErrors.clear();
            }
            disconnectCallbackOff = true;
            client = null;
            if (command != null) {
                command.calls++;
                command.microseconds += (backgroundNanos + replyNanos) / 1000;
                host.server().dispatcher().unblocked(c, command, (backgroundNanos + replyNanos) / 1000);
                if (host.server().stats().totalErrorReplies != errorsBefore) {
                    command.failedCalls++;
                }
            }
            host.server().blocking().release(c);
            // As Redis, assume the blocked command propagated something: WAIT then waits for it.
            c.woff = host.server().stats().masterReplOffset;
            if (c.transport() != null) {
                c.transport().flushAsync();
            }
        }
        release();
    }

    private void release() {
        if (module != null) {
            module.blockedClients(-1);
        }
        callbacks.released(this);
    }

    // --- the server's blocking mechanism ------------------------------------------------

    @Override
    public boolean keyReady(Client c, Database db, byte[] key) {
        if (unblocked || !callbacks.hasReply()) {
            return false;
        }
        long errorsBefore = host.server().stats().totalErrorReplies;
        long t0 = System.nanoTime();
        if (!callbacks.reply(this, key)) {
            return false;
        }
        if (command != null) {
            command.calls++;
            long micros = (backgroundNanos + System.nanoTime() - t0) / 1000;
            command.microseconds += micros;
            host.server().dispatcher().unblocked(c, command, micros);
            if (host.server().stats().totalErrorReplies != errorsBefore) {
                command.failedCalls++;
            }
        }
        // Served: the client leaves; the handle ends as if the module unblocked it.
        c.woff = host.server().stats().masterReplOffset;
        client = null;
        disconnectCallbackOff = true;
        if (!unblocked) {
            unblocked = true;
            queue(host).add(this);
        }
        return true;
    }

    @Override
    public void timedOut(Client c) {
        long t0 = System.nanoTime();
        if (callbacks.hasTimeout()) {
            callbacks.timeout(this); // may end a background measurement
        }
        if (command != null) {
            // The call itself is counted by the blocking layer; the time is the module's to tell.
            long micros = (backgroundNanos + System.nanoTime() - t0) / 1000;
            command.microseconds += micros;
            host.server().dispatcher().unblocked(c, command, micros);
        }
        detach();
    }

    @Override
    public boolean unblockPending() {
        return unblocked;
    }

    @Override
    public boolean unblockable() {
        return callbacks.hasTimeout();
    }

    @Override
    public void disconnected(Client c) {
        if (!disconnectCallbackOff && callbacks.hasDisconnect()) {
            callbacks.disconnected(this);
        }
        detach();
    }

    /** The client left the blocked state without the module: Redis's unblockClientFromModule. */
    private void detach() {
        disconnectCallbackOff = true;
        client = null;
        if (onKeys && !unblocked) {
            unblocked = true;
            queue(host).add(this);
        }
    }
}
