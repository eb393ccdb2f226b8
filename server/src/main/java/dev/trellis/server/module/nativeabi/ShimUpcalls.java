package dev.trellis.server.module.nativeabi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The fixed-signature Java functions the shim calls after unpacking a variadic or long double
 * entry point. Installed once with {@code trellis_shim_bind}.
 */
final class ShimUpcalls {
    private ShimUpcalls() {
    }

    static void bind(NativeRuntime rt) {
        MethodHandle bind = Native.downcall(rt.shimSymbol("trellis_shim_bind"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        install(bind, "flush_replies", NativeContexts.class, "flushUpcall", 0, void.class, long.class);
        install(bind, "call", CallApi.class, "call", 0, long.class, long.class, long.class, long.class, long.class, long.class, int.class, long.class);
        install(bind, "replicate", ShimUpcalls.class, "replicate", 1, int.class, long.class, long.class, long.class, long.class, long.class, int.class);
        install(bind, "log", MiscApi.class, "log", 0, void.class, long.class, long.class, long.class, long.class);
        install(bind, "log_io_error", ShimUpcalls.class, "logIoError", 0, void.class, long.class, long.class, long.class, long.class);
        install(bind, "create_string", StringApi.class, "CreateString", 0, long.class, long.class, long.class, long.class);
        install(bind, "reply_error", ReplyApi.class, "replyErrorText", 0, int.class, long.class, long.class, long.class);
        install(bind, "hash_set", AggregateApi.class, "hashSet", 0, int.class, long.class, int.class, long.class, long.class, long.class, int.class);
        install(bind, "hash_get", AggregateApi.class, "hashGet", 1, int.class, long.class, int.class, long.class, long.class, long.class, int.class);
        install(bind, "api_missing", NativeRuntime.class, "apiMissing", 0, void.class, long.class);
        install(bind, "reply_human_double", ReplyApi.class, "replyHumanDouble", 0, int.class, long.class, long.class, long.class);
    }

    private static void install(MethodHandle bind, String name, Class<?> owner, String method, long onError,
                                Class<?> ret, Class<?>... params) {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(owner, method, MethodType.methodType(ret, params));
            long stub = ApiRegistry.stub("shim:" + name, target, onError).address();
            long cname = Native.cString(name);
            try {
                int rc = (int) bind.invokeExact(cname, stub);
                if (rc != 0) {
                    throw new IllegalStateException("shim does not know upcall " + name);
                }
            } finally {
                Native.free(cname);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("binding shim upcall " + name, t);
        }
    }

    /** Replicate(ctx, cmd, fmt, ...): the command goes to the propagation of the invocation. */
    static int replicate(long ctxp, long cmdp, long flagsp, long argvp, long lensp, int argc) {
        var ctx = CoreApi.ctx(ctxp);
        byte[][] argv = new byte[argc + 1][];
        argv[0] = Native.cBytes(cmdp);
        for (int i = 0; i < argc; i++) {
            argv[i + 1] = Native.bytes(Native.getLong(argvp + 8L * i), Native.getLong(lensp + 8L * i));
        }
        if (ctx.host().server().commands().lookup(argv[0]) == null) {
            return 1;
        }
        ctx.host().replicate(ctx, argv);
        return 0;
    }

    static void logIoError(long io, long levelp, long msgp, long len) {
        MiscApi.logRaw("module", Native.readCString(levelp), Native.bytes(msgp, len));
    }
}
