package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleEvents;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleKey;
import dev.trellis.server.module.ServerEventData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events: SubscribeToKeyspaceEvents, NotifyKeyspaceEvent, GetNotifyKeyspaceEvents,
 * GetKeyspaceNotificationFlagsAll, AddPostNotificationJob, SubscribeToServerEvent,
 * IsSubEventSupported, and the structures server events pass (built per call, valid during
 * the callback, as in Redis).
 */
final class EventApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    /** Event names as C strings, made once (callbacks get a const char*). */
    private static final ConcurrentHashMap<String, Long> NAMES = new ConcurrentHashMap<>();

    private EventApi() {
    }

    static long cName(String s) {
        return NAMES.computeIfAbsent(s, Native::cString);
    }

    // --- keyspace events ----------------------------------------------------------------

    @Api(onError = ERR)
    static int SubscribeToKeyspaceEvents(long ctxp, int types, long callback) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleHost host = ctx.host();
        ModuleEvents.of(host).subscribe(ctx.module(), types, callback,
                (m, type, event, key, db) -> notifyModule(host, m, callback, type, event, key, db));
        return OK;
    }

    private static void notifyModule(ModuleHost host, Module m, long callback, int type, String event, byte[] key, int db) {
        long name = cName(event);
        NotificationKeys held = NotificationKeys.of(host);
        TimerApi.Callbacks.run(host, m, db, ctx -> {
            long k = NativeStrings.create(key);
            held.hold(k); // valid until the command is over, as in Redis
            NativeCalls.i_jijj(callback, ctx.address, type, name, k);
        });
    }

    @Api(onError = ERR)
    static int NotifyKeyspaceEvent(long ctxp, int type, long eventp, long keyp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        if (c == null) {
            return ERR;
        }
        ctx.host().server().keyspace().notify(type, Native.readCString(eventp), NativeStrings.bytes(keyp), c.db().id());
        return OK;
    }

    @Api
    static int GetNotifyKeyspaceEvents() {
        ModuleHost h = HostTracker.any();
        return h == null ? 0 : ModuleEvents.of(h).notifyFlags();
    }

    @Api
    static int GetKeyspaceNotificationFlagsAll() {
        return (1 << 15) - 1;
    }

    @Api(onError = ERR)
    static int AddPostNotificationJob(long ctxp, long callback, long privdata, long freePrivdata) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleHost host = ctx.host();
        Module m = ctx.module();
        int db = ctx.client() == null ? 0 : ctx.client().db().id();
        boolean ok = ModuleEvents.of(host).addJob(() -> TimerApi.Callbacks.run(host, m, db, jc -> {
            NativeCalls.v_jj(callback, jc.address, privdata);
            if (freePrivdata != 0) {
                NativeCalls.v_j(freePrivdata, privdata);
            }
        }));
        return ok ? OK : ERR;
    }

    // --- server events ------------------------------------------------------------------

    @Api(onError = ERR)
    static int SubscribeToServerEvent(long ctxp, long eventId, long dataver, long callback) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        ModuleHost host = ctx.host();
        if (eventId < 0 || eventId >= ModuleEvents.EVENT_COUNT) {
            return ERR;
        }
        ModuleEvents.ServerListener l = callback == 0 ? null
                : (m, event, ver, sub, data) -> fireNative(host, m, callback, event, ver, sub, data);
        return ModuleEvents.of(host).subscribeServer(ctx.module(), (int) eventId, dataver, l) ? OK : ERR;
    }

    @Api
    static int IsSubEventSupported(long eventId, long dataver, long subevent) {
        return ModuleEvents.subEventSupported(eventId, subevent) ? 1 : 0;
    }

    /** Calls a module's event callback with the event's structure. */
    private static void fireNative(ModuleHost host, Module m, long callback, int event, long dataver, long sub, Object data) {
        if (event == ModuleEvents.CLIENT_CHANGE && data instanceof Client c) {
            // The real client is the context's client, as in Redis.
            NativeRuntime rt = NativeRuntime.get();
            ModuleContext ctx = rt.openContext(host, m, c, 0);
            long ci = Native.calloc(ClientInfo.SIZE);
            try {
                ClientInfo.fill(ci, c);
                NativeCalls.v_jjjjj(callback, ctx.address, event, dataver, sub, ci);
            } finally {
                Native.free(ci);
                Contexts.finish(rt, ctx);
            }
            return;
        }
        if (data instanceof ServerEventData.KeyInfo ki) {
            // RedisModuleKeyInfoV1 {version, key}: the key opened for reading, without side effects.
            TimerApi.Callbacks.run(host, m, ki.db().id(), ctx -> {
                long name = NativeStrings.create(ki.key());
                long key = KeyApi.OpenKey(ctx.address, name, ModuleKey.READ | ModuleKey.NOTOUCH
                        | ModuleKey.NOSTATS | ModuleKey.NONOTIFY);
                long p = Native.calloc(16);
                try {
                    Native.putLong(p, 1);
                    Native.putLong(p + 8, key);
                    NativeCalls.v_jjjjj(callback, ctx.address, event, dataver, sub, p);
                } finally {
                    Native.free(p);
                    if (key != 0) {
                        KeyApi.CloseKey(key);
                    }
                    NativeStrings.release(name);
                }
            });
            return;
        }
        int db = data instanceof ServerEventData.FlushInfo f && f.dbnum() >= 0 ? f.dbnum() : 0;
        TimerApi.Callbacks.run(host, m, db, ctx -> {
            long p = EventData.build(data);
            try {
                NativeCalls.v_jjjjj(callback, ctx.address, event, dataver, sub, p);
            } finally {
                EventData.free(data, p);
            }
        });
    }

    /** The structures of server events, in native memory for the duration of a callback. */
    static final class EventData {
        private EventData() {
        }

        static long build(Object data) {
            if (data instanceof ServerEventData.FlushInfo f) {
                long p = Native.calloc(16);
                Native.putLong(p, 1);
                Native.putInt(p + 8, f.sync() ? 1 : 0);
                Native.putInt(p + 12, f.dbnum());
                return p;
            }
            if (data instanceof ServerEventData.CronLoop c) {
                long p = Native.calloc(16);
                Native.putLong(p, 1);
                Native.putInt(p + 8, c.hz());
                return p;
            }
            if (data instanceof ServerEventData.ReplicationInfo ri) {
                long p = Native.calloc(64);
                Native.putLong(p, 1);
                Native.putInt(p + 8, ri.master() ? 1 : 0);
                Native.putLong(p + 16, Native.cString(ri.host()));
                Native.putInt(p + 24, ri.port());
                Native.putLong(p + 32, Native.cString(ri.replId1()));
                Native.putLong(p + 40, Native.cString(ri.replId2()));
                Native.putLong(p + 48, ri.offset1());
                Native.putLong(p + 56, ri.offset2());
                return p;
            }
            if (data instanceof ServerEventData.LoadingProgress lp) {
                return versionOneIntPair(lp.hz(), lp.progress());
            }
            if (data instanceof ServerEventData.SwapDbInfo s) {
                return versionOneIntPair(s.first(), s.second());
            }
            if (data instanceof ServerEventData.ConfigChange cc) {
                List<String> names = cc.names();
                long arr = Native.calloc(8L * Math.max(1, names.size()));
                for (int i = 0; i < names.size(); i++) {
                    Native.putLong(arr + 8L * i, cName(names.get(i)));
                }
                long p = Native.calloc(24);
                Native.putLong(p, 1);
                Native.putInt(p + 8, names.size());
                Native.putLong(p + 16, arr);
                return p;
            }
            if (data instanceof Module mod) {
                long p = Native.calloc(24);
                Native.putLong(p, 1);
                Native.putLong(p + 8, cName(mod.name()));
                Native.putInt(p + 16, mod.version());
                return p;
            }
            return 0;
        }

        static void free(Object data, long p) {
            if (p == 0) {
                return;
            }
            if (data instanceof ServerEventData.ConfigChange) {
                Native.free(Native.getLong(p + 16));
            }
            if (data instanceof ServerEventData.ReplicationInfo) {
                Native.free(Native.getLong(p + 16));
                Native.free(Native.getLong(p + 32));
                Native.free(Native.getLong(p + 40));
            }
            Native.free(p);
        }
    }

    /** RedisModuleClientInfoV1: version, flags, id, addr[46], port, db (80 bytes). */
    static final class ClientInfo {
        static final int SIZE = 80;

        private ClientInfo() {
        }

        static void fill(long p, Client c) {
            Native.fill(p, SIZE, (byte) 0);
            Native.putLong(p, 1);
            long flags = 0;
            if ((c.flags & Client.FLAG_MULTI) != 0) {
                flags |= 1 << 5;
            }
            if ((c.flags & Client.FLAG_PUBSUB) != 0) {
                flags |= 1 << 1;
            }
            if ((c.flags & Client.FLAG_TRACKING) != 0) {
                flags |= 1 << 3;
            }
            if ((c.flags & Client.FLAG_BLOCKED) != 0) {
                flags |= 1 << 2;
            }
            String addr = "";
            int port = 0;
            if (c.transport() != null) {
                if (c.transport().isUnixSocket()) {
                    flags |= 1 << 4;
                    addr = c.transport().localAddress();
                } else {
                    String a = c.transport().remoteAddress();
                    int colon = a == null ? -1 : a.lastIndexOf(':');
                    if (colon > 0) {
                        addr = a.substring(0, colon);
                        try {
                            port = Integer.parseInt(a.substring(colon + 1));
                        } catch (NumberFormatException ignored) {
                            // leave 0
                        }
                    } else if (a != null) {
                        addr = a;
                    }
                }
            }
            Native.putLong(p + 8, flags);
            Native.putLong(p + 16, c.id());
            byte[] ab = addr.getBytes(StandardCharsets.US_ASCII);
            Native.copy(ab, 0, p + 24, Math.min(ab.length, 45));
            Native.MEM.set(java.lang.foreign.ValueLayout.JAVA_SHORT, p + 70, (short) port);
            Database db = c.db();
            Native.MEM.set(java.lang.foreign.ValueLayout.JAVA_SHORT, p + 72, (short) db.id());
        }
    }

    // --- pub/sub ------------------------------------------------------------------------

    /** PublishMessage: the number of clients that received the message. */
    @Api
    static int PublishMessage(long ctxp, long channel, long message) {
        return CoreApi.ctx(ctxp).host().server().pubsub().publish(dev.trellis.server.pubsub.PubSub.Kind.CHANNEL,
                NativeStrings.bytes(channel), NativeStrings.bytes(message));
    }

    @Api
    static int PublishMessageShard(long ctxp, long channel, long message) {
        return CoreApi.ctx(ctxp).host().server().pubsub().publish(dev.trellis.server.pubsub.PubSub.Kind.SHARD,
                NativeStrings.bytes(channel), NativeStrings.bytes(message));
    }

    /** A version-1 event struct of two ints after its uint64 version (LoadingProgress, SwapDbInfo). */
    private static long versionOneIntPair(int first, int second) {
        long p = Native.calloc(16);
        Native.putLong(p, 1);
        Native.putInt(p + 8, first);
        Native.putInt(p + 12, second);
        return p;
    }
}
