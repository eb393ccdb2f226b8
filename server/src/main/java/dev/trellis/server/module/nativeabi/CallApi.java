package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.CallPromise;
import dev.trellis.server.module.CallReply;
import dev.trellis.server.module.ModuleCalls;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleContext.AutoKind;
import dev.trellis.server.module.ModuleHost;
import java.nio.charset.StandardCharsets;

/**
 * RedisModule_Call (entered through the shim, which turns the format string into an argument
 * vector) and the RedisModuleCallReply accessors. A reply's protocol text is copied once to
 * native memory, so string pointers handed out stay valid until the reply is freed.
 */
final class CallApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int UNKNOWN = -1;

    private CallApi() {
    }

    /** What the root of a reply tree remembers: the context whose auto memory owns it. */
    record Owner(long ctx) {
    }

    /** Shim upcall: the arguments are already split; {@code errp} receives errno. */
    static long call(long ctxp, long cmdp, long flagsp, long argvp, long lensp, int argc, long errp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        byte[][] argv = new byte[argc + 1][];
        argv[0] = commandName(cmdp);
        for (int i = 0; i < argc; i++) {
            argv[i + 1] = Argv.javaBytes(ctx, Native.getLong(argvp + 8L * i), Native.getLong(lensp + 8L * i));
        }
        int bits = 0;
        for (long q = flagsp; ; q++) {
            byte ch = Native.getByte(q);
            if (ch == 0) {
                break;
            }
            bits |= ModuleCalls.Flags.bit(ch);
        }
        ModuleCalls.Flags f = ModuleCalls.Flags.of(bits);
        KeyApi.syncAll(ctx);
        ModuleCalls.Result r = ctx.host().calls().call(ctx, argv, f);
        if (r.reply() == null) {
            Native.putInt(errp, r.errno());
            return 0;
        }
        return register(ctx, r.reply());
    }

    /** The last command name Call was given (a module usually passes the same literal). */
    private static long lastNamePtr;
    private static byte[] lastName;

    /**
     * The bytes of Call's command name. When the module passes the same pointer with the same
     * text as last time, the same array (nobody modifies argument arrays) instead of a copy.
     */
    private static byte[] commandName(long p) {
        long n = Native.strlen(p);
        byte[] last = lastName;
        if (p == lastNamePtr && last != null && last.length == n && Argv.pooling()) {
            int i = 0;
            while (i < n && Native.getByte(p + i) == last[i]) {
                i++;
            }
            if (i == n) {
                return last;
            }
        }
        byte[] b = Native.bytes(p, n);
        if (Argv.pooling()) {
            lastNamePtr = p;
            lastName = b;
        }
        return b;
    }

    /** Gives a new reply tree its handle (tracked by auto memory when enabled). */
    static long register(ModuleContext ctx, CallReply reply) {
        long h = handle(reply);
        if (ctx != null && ctx.has(ModuleContext.AUTO_MEMORY)) {
            ctx.autoMemoryAdd(AutoKind.REPLY, h);
            reply.ownerCtx = ctx.address;
        }
        return h;
    }

    static long handle(CallReply r) {
        if (r.address == 0) {
            r.address = NativeRuntime.get().handles.create(r, Handles.TAG_CALL_REPLY);
        }
        return r.address;
    }

    static CallReply reply(long p) {
        return p == 0 ? null : (CallReply) NativeRuntime.get().handles.get(p, Handles.TAG_CALL_REPLY);
    }

    /** Frees a root reply and everything below it; nested replies are freed with their root. */
    static void free(long p) {
        CallReply r = reply(p);
        if (r == null || !r.isRoot()) {
            return;
        }
        Handles h = NativeRuntime.get().handles;
        if (r.leaf()) {
            h.release(r.address); // the usual case: no lambda for a single node
            r.address = 0;
        } else {
            r.forEach(n -> {
                if (n.address != 0) {
                    h.release(n.address);
                    n.address = 0;
                }
            });
        }
        if (r.nativeProto != 0) {
            Native.free(r.nativeProto);
            r.nativeProto = 0;
        }
        r.ownerCtx = 0;
    }

    @Api
    static void FreeCallReply(long p) {
        CallReply r = reply(p);
        if (r == null || !r.isRoot()) {
            return;
        }
        long owner = r.ownerCtx;
        free(p);
        if (owner != 0) {
            ModuleContext ctx = NativeRuntime.get().context(owner);
            if (ctx != null) {
                ctx.autoMemoryFreed(AutoKind.REPLY, p);
            }
        }
    }

    /** A module's C unblock handler: called with a context of its own, in the command's database. */
    private record NativeUnblockHandler(ModuleHost host, dev.trellis.server.module.Module module, long fn)
            implements CallPromise.Handler {
        @Override
        public void unblocked(CallReply reply, long privdata, int dbId) {
            // The reply is the handler's to free (no auto memory owns it), as in Redis.
            TimerApi.Callbacks.run(host, module, dbId, ctx -> NativeCalls.v_jjj(fn, ctx.address, handle(reply), privdata));
        }
    }

    /** The promise of a PROMISE reply handle, or null (with a log line: the module misused the API). */
    private static CallPromise promise(long p, String api) {
        CallReply r = reply(p);
        CallPromise promise = r == null ? null : r.promise();
        if (promise == null) {
            dev.trellis.server.log.ServerLog.get().warning("RedisModule_" + api + " called with a reply that is not a promise");
        }
        return promise;
    }

    @Api
    static void CallReplyPromiseSetUnblockHandler(long p, long fn, long privdata) {
        CallPromise promise = promise(p, "CallReplyPromiseSetUnblockHandler");
        if (promise != null) {
            dev.trellis.server.module.Module m = promise.module();
            promise.handler(fn == 0 || m == null ? null : new NativeUnblockHandler(m.host(), m, fn), privdata);
        }
    }

    @Api(onError = ERR)
    static int CallReplyPromiseAbort(long p, long privdatap) {
        CallPromise promise = promise(p, "CallReplyPromiseAbort");
        if (promise == null || !promise.pending()) {
            return ERR;
        }
        long privdata = promise.privdata();
        if (!promise.module().host().promises().abort(promise)) {
            return ERR;
        }
        if (privdatap != 0) {
            Native.putLong(privdatap, privdata);
        }
        return OK;
    }

    /** Native address of a byte offset in the reply's protocol text. */
    private static long at(CallReply r, int offset) {
        CallReply root = r.root();
        if (root.nativeProto == 0) {
            byte[] p = root.proto();
            root.nativeProto = Native.malloc(p.length + 1L);
            Native.copy(p, 0, root.nativeProto, p.length);
            Native.putByte(root.nativeProto + p.length, (byte) 0);
        }
        return root.nativeProto + offset;
    }

    @Api
    static long CallReplyProto(long p, long lenp) {
        CallReply r = reply(p);
        if (r == null) {
            return 0;
        }
        if (lenp != 0) {
            Native.putLong(lenp, r.end() - r.start());
        }
        return at(r, r.start());
    }

    @Api(onError = UNKNOWN)
    static int CallReplyType(long p) {
        CallReply r = reply(p);
        return r == null ? UNKNOWN : r.type();
    }

    @Api
    static long CallReplyLength(long p) {
        CallReply r = reply(p);
        return r == null ? 0 : r.length();
    }

    @Api(onError = Long.MIN_VALUE)
    static long CallReplyInteger(long p) {
        CallReply r = reply(p);
        return r == null ? Long.MIN_VALUE : r.integer();
    }

    @Api
    static double CallReplyDouble(long p) {
        CallReply r = reply(p);
        return r == null ? 0.0 : r.doubleValue();
    }

    @Api
    static int CallReplyBool(long p) {
        CallReply r = reply(p);
        return r != null && r.bool() ? 1 : 0;
    }

    @Api
    static long CallReplyStringPtr(long p, long lenp) {
        CallReply r = reply(p);
        if (r == null || (r.type() != CallReply.STRING && r.type() != CallReply.ERROR)) {
            return 0;
        }
        if (lenp != 0) {
            Native.putLong(lenp, r.stringLength());
        }
        return at(r, r.stringOffset());
    }

    @Api
    static long CallReplyBigNumber(long p, long lenp) {
        CallReply r = reply(p);
        if (r == null || r.type() != CallReply.BIG_NUMBER) {
            return 0;
        }
        if (lenp != 0) {
            Native.putLong(lenp, r.stringLength());
        }
        return at(r, r.stringOffset());
    }

    @Api
    static long CallReplyVerbatim(long p, long lenp, long formatp) {
        CallReply r = reply(p);
        if (r == null || r.type() != CallReply.VERBATIM) {
            return 0;
        }
        if (lenp != 0) {
            Native.putLong(lenp, r.stringLength());
        }
        if (formatp != 0) {
            Native.putLong(formatp, at(r, r.stringOffset() - 4));
        }
        return at(r, r.stringOffset());
    }

    @Api
    static long CallReplyArrayElement(long p, long idx) {
        CallReply r = reply(p);
        if (r == null || r.type() != CallReply.ARRAY || idx < 0 || idx >= r.elementCount()) {
            return 0;
        }
        return handle(r.element((int) idx));
    }

    @Api
    static long CallReplySetElement(long p, long idx) {
        CallReply r = reply(p);
        if (r == null || r.type() != CallReply.SET || idx < 0 || idx >= r.elementCount()) {
            return 0;
        }
        return handle(r.element((int) idx));
    }

    @Api(onError = ERR)
    static int CallReplyMapElement(long p, long idx, long keyp, long valp) {
        return pair(reply(p), CallReply.MAP, idx, keyp, valp);
    }

    @Api(onError = ERR)
    static int CallReplyAttributeElement(long p, long idx, long keyp, long valp) {
        return pair(reply(p), CallReply.ATTRIBUTE, idx, keyp, valp);
    }

    private static int pair(CallReply r, int type, long idx, long keyp, long valp) {
        if (r == null || r.type() != type || idx < 0 || idx * 2 >= r.elementCount()) {
            return ERR;
        }
        if (keyp != 0) {
            Native.putLong(keyp, handle(r.element((int) idx * 2)));
        }
        if (valp != 0) {
            Native.putLong(valp, handle(r.element((int) idx * 2 + 1)));
        }
        return OK;
    }

    @Api
    static long CallReplyAttribute(long p) {
        CallReply r = reply(p);
        return r == null || r.attribute() == null ? 0 : handle(r.attribute());
    }

    @Api
    static long CreateStringFromCallReply(long p) {
        CallReply r = reply(p);
        if (r == null) {
            return 0;
        }
        long ctxp = r.root().ownerCtx;
        return switch (r.type()) {
            case CallReply.STRING, CallReply.ERROR -> StringApi.create(ctxp, r.stringBytes());
            case CallReply.INTEGER -> StringApi.create(ctxp, Long.toString(r.integer()).getBytes(StandardCharsets.US_ASCII));
            default -> 0;
        };
    }
}
