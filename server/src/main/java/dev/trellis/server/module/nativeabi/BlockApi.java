package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.module.ModuleBlockedClient;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocking clients: BlockClient, BlockClientOnKeys(WithFlags), UnblockClient, AbortBlock,
 * the callbacks' context accessors, private data, background time measurement and
 * SignalKeyAsReady. The semantics live in {@link ModuleBlockedClient}; this class calls the
 * module's C callbacks.
 */
final class BlockApi {
    static final long TAG_BC = 0x5452454c4c424c4bL; // "TRELLBLK"
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int UNBLOCK_DELETED = 1;

    private BlockApi() {
    }

    static ModuleBlockedClient blocked(long p) {
        ModuleBlockedClient bc = (ModuleBlockedClient) NativeRuntime.get().handles.get(p, TAG_BC);
        if (bc == null) {
            throw new IllegalArgumentException("not a RedisModuleBlockedClient: 0x" + Long.toHexString(p));
        }
        return bc;
    }

    /** The module's C callbacks of one blocked client. */
    private static final class NativeCallbacks implements ModuleBlockedClient.Callbacks {
        private final long reply;
        private final long timeout;
        private final long freePrivdata;
        /** Blocked by BlockClientOnAuth, whose reply callback (a RedisModuleAuthCallback, maybe 0) this is. */
        private final boolean onAuth;
        private final long authReply;
        volatile long disconnect;

        NativeCallbacks(long reply, long timeout, long freePrivdata) {
            this(reply, timeout, freePrivdata, false, 0);
        }

        NativeCallbacks(long reply, long timeout, long freePrivdata, boolean onAuth, long authReply) {
            this.reply = reply;
            this.timeout = timeout;
            this.freePrivdata = freePrivdata;
            this.onAuth = onAuth;
            this.authReply = authReply;
        }

        @Override
        public boolean auth() {
            return onAuth;
        }

        @Override
        public int authReply(ModuleBlockedClient bc, Client c, byte[] username, byte[] password, String[] err) {
            int[] rc = {dev.trellis.server.module.ModuleAuth.NOT_HANDLED};
            if (authReply != 0) {
                callback(bc, c, ModuleContext.BLOCKED_REPLY, null,
                        ctx -> rc[0] = UserApi.invokeAuth(authReply, ctx, username, password, err));
            }
            return rc[0];
        }

        @Override
        public boolean reply(ModuleBlockedClient bc, byte[] readyKey) {
            return command(bc, reply, ModuleContext.BLOCKED_REPLY, readyKey) == OK;
        }

        @Override
        public boolean hasReply() {
            return reply != 0;
        }

        @Override
        public void timeout(ModuleBlockedClient bc) {
            command(bc, timeout, ModuleContext.BLOCKED_TIMEOUT, null);
        }

        @Override
        public boolean hasTimeout() {
            return timeout != 0;
        }

        @Override
        public void freePrivdata(ModuleBlockedClient bc, boolean disconnected) {
            if (freePrivdata == 0) {
                return;
            }
            long data = bc.privdata();
            callback(bc, disconnected ? ModuleContext.BLOCKED_DISCONNECTED : 0, null,
                    ctx -> NativeCalls.v_jj(freePrivdata, ctx.address, data));
        }

        @Override
        public void disconnected(ModuleBlockedClient bc) {
            long f = disconnect;
            if (f != 0) {
                callback(bc, 0, null, ctx -> NativeCalls.v_jj(f, ctx.address, bc.address));
            }
        }

        @Override
        public boolean hasDisconnect() {
            return disconnect != 0;
        }

        @Override
        public void released(ModuleBlockedClient bc) {
            if (bc.address != 0) {
                NativeRuntime.get().handles.release(bc.address);
                bc.address = 0;
            }
        }

        /** A reply or timeout callback: a command function called with the blocked command's arguments. */
        private static int command(ModuleBlockedClient bc, long f, int flags, byte[] readyKey) {
            int[] rc = {ERR};
            callback(bc, flags, readyKey, ctx -> {
                byte[][] argv = bc.argv();
                long v = Argv.create(argv, argv.length);
                try {
                    rc[0] = NativeCalls.i_jji(f, ctx.address, v, argv.length);
                } finally {
                    Argv.release(v, argv.length);
                }
            });
            return rc[0];
        }

        /** Runs a callback with a context on the blocked client (or none, once it left). */
        private static void callback(ModuleBlockedClient bc, int flags, byte[] readyKey, TimerApi.Callbacks.Body body) {
            callback(bc, bc.client(), flags, readyKey, body);
        }

        private static void callback(ModuleBlockedClient bc, Client c, int flags, byte[] readyKey, TimerApi.Callbacks.Body body) {
            NativeRuntime rt = NativeRuntime.get();
            ModuleHost host = bc.host();
            ModuleContext ctx = rt.openContext(host, bc.module(), c, flags);
            ctx.blockedClient = bc;
            ctx.blockedPrivdata = bc.privdata();
            long key = readyKey == null ? 0 : NativeStrings.create(readyKey);
            ctx.blockedReadyKey = key;
            host.server().propagation().beginUnit();
            try {
                body.run(ctx);
            } finally {
                Contexts.finish(rt, ctx);
                host.server().propagation().endUnit();
                if (key != 0) {
                    NativeStrings.release(key);
                }
            }
        }
    }

    private static long block(long ctxp, long reply, long timeout, long free, long ms, long keysp, int numkeys,
                              long privdata, int flags) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        List<byte[]> keys = null;
        if (keysp != 0) {
            keys = new ArrayList<>(numkeys);
            for (int i = 0; i < numkeys; i++) {
                keys.add(NativeStrings.bytes(Native.getLong(keysp + 8L * i)));
            }
        }
        NativeCallbacks cb = new NativeCallbacks(reply, timeout, free);
        ModuleBlockedClient bc = ModuleBlockedClient.block(ctx, cb, ms, keys, (flags & UNBLOCK_DELETED) != 0, privdata);
        bc.address = NativeRuntime.get().handles.create(bc, TAG_BC);
        return bc.address;
    }

    @Api
    static long BlockClient(long ctxp, long reply, long timeout, long free, long ms) {
        return block(ctxp, reply, timeout, free, ms, 0, 0, 0, 0);
    }

    @Api
    static long BlockClientOnAuth(long ctxp, long reply, long free) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleBlockedClient bc = ModuleBlockedClient.blockOnAuth(ctx, new NativeCallbacks(0, 0, free, true, reply));
        if (bc == null) {
            return 0;
        }
        bc.address = NativeRuntime.get().handles.create(bc, TAG_BC);
        return bc.address;
    }

    @Api
    static long BlockClientOnKeys(long ctxp, long reply, long timeout, long free, long ms, long keys, int numkeys,
                                  long privdata) {
        return block(ctxp, reply, timeout, free, ms, keys, numkeys, privdata, 0);
    }

    @Api
    static long BlockClientOnKeysWithFlags(long ctxp, long reply, long timeout, long free, long ms, long keys,
                                           int numkeys, long privdata, int flags) {
        return block(ctxp, reply, timeout, free, ms, keys, numkeys, privdata, flags);
    }

    /** Callable from any thread: the work happens on the server thread. */
    @Api(onError = ERR)
    static int UnblockClient(long bcp, long privdata) {
        return blocked(bcp).unblock(privdata) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int AbortBlock(long bcp) {
        return blocked(bcp).abort() ? OK : ERR;
    }

    @Api
    static void SetDisconnectCallback(long bcp, long callback) {
        if (blocked(bcp).callbacks() instanceof NativeCallbacks n) {
            n.disconnect = callback;
        }
    }

    @Api
    static int IsBlockedReplyRequest(long ctxp) {
        return CoreApi.ctx(ctxp).has(ModuleContext.BLOCKED_REPLY) ? 1 : 0;
    }

    @Api
    static int IsBlockedTimeoutRequest(long ctxp) {
        return CoreApi.ctx(ctxp).has(ModuleContext.BLOCKED_TIMEOUT) ? 1 : 0;
    }

    @Api
    static int BlockedClientDisconnected(long ctxp) {
        return CoreApi.ctx(ctxp).has(ModuleContext.BLOCKED_DISCONNECTED) ? 1 : 0;
    }

    @Api
    static long GetBlockedClientPrivateData(long ctxp) {
        return CoreApi.ctx(ctxp).blockedPrivdata;
    }

    @Api
    static long GetBlockedClientHandle(long ctxp) {
        Object bc = CoreApi.ctx(ctxp).blockedClient;
        return bc instanceof ModuleBlockedClient b ? b.address : 0;
    }

    @Api
    static long GetBlockedClientReadyKey(long ctxp) {
        return CoreApi.ctx(ctxp).blockedReadyKey;
    }

    @Api
    static long BlockClientGetPrivateData(long bcp) {
        return blocked(bcp).privdata();
    }

    @Api
    static void BlockClientSetPrivateData(long bcp, long data) {
        blocked(bcp).privdata(data);
    }

    @Api(onError = ERR)
    static int BlockedClientMeasureTimeStart(long bcp) {
        return blocked(bcp).measureStart() ? OK : ERR;
    }

    @Api(onError = ERR)
    static int BlockedClientMeasureTimeEnd(long bcp) {
        return blocked(bcp).measureEnd() ? OK : ERR;
    }

    @Api
    static void SignalKeyAsReady(long ctxp, long keyp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        Database db = c == null ? ctx.host().server().keyspace().db(0) : c.db();
        ctx.host().server().blocking().signalReady(db, NativeStrings.bytes(keyp));
    }
}
