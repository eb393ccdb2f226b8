package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.module.DataTypes;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleDigest;
import dev.trellis.server.module.ModuleIO;
import dev.trellis.server.module.ModuleType;
import dev.trellis.server.module.ModuleValue;
import dev.trellis.server.persist.rdb.ModuleRdbIO;
import dev.trellis.server.persist.rdb.RdbInput;
import dev.trellis.server.persist.rdb.RdbOutput;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * RDB IO for module types ({@code RedisModuleIO}): the Save and Load field functions, the IO's
 * context, key and database, the error flag, serialising a value to and from a string, and
 * the digest functions ({@code RedisModuleDigest}). Also the shim's long double and EmitAOF
 * upcalls.
 */
final class RdbIoApi {
    static final long TAG_IO = 0x5452454c4c52494fL;     // "TRELLRIO"
    static final long TAG_DIGEST = 0x5452454c4c444947L; // "TRELLDIG"
    private static final int OK = 0;
    private static final int ERR = 1;

    private RdbIoApi() {
    }

    // --- handles --------------------------------------------------------------------------

    static long open(ModuleIO io) {
        io.address = NativeRuntime.get().handles.create(io, TAG_IO);
        return io.address;
    }

    /** Ends a callback's use of the IO: its context (if one was asked for), key string, handle. */
    static void close(ModuleIO io) {
        NativeRuntime rt = NativeRuntime.get();
        if (io.context != null) {
            ModuleContext ctx = io.context;
            io.context = null;
            Client temp = ctx.client();
            Contexts.finish(rt, ctx);
            if (temp != null) {
                io.host().releaseTempClient(temp);
            }
        }
        if (io.keyString != 0) {
            NativeStrings.release(io.keyString);
            io.keyString = 0;
        }
        if (io.address != 0) {
            rt.handles.release(io.address);
            io.address = 0;
        }
    }

    static ModuleIO io(long p) {
        ModuleIO io = (ModuleIO) NativeRuntime.get().handles.get(p, TAG_IO);
        if (io == null) {
            throw new IllegalArgumentException("not a RedisModuleIO: 0x" + Long.toHexString(p));
        }
        return io;
    }

    static long openDigest(ModuleDigest d) {
        d.address = NativeRuntime.get().handles.create(d, TAG_DIGEST);
        return d.address;
    }

    static void closeDigest(ModuleDigest d) {
        if (d.keyString != 0) {
            NativeStrings.release(d.keyString);
            d.keyString = 0;
        }
        NativeRuntime.get().handles.release(d.address);
        d.address = 0;
    }

    static ModuleDigest digest(long p) {
        ModuleDigest d = (ModuleDigest) NativeRuntime.get().handles.get(p, TAG_DIGEST);
        if (d == null) {
            throw new IllegalArgumentException("not a RedisModuleDigest: 0x" + Long.toHexString(p));
        }
        return d;
    }

    // --- saving -------------------------------------------------------------------------

    @Api
    static void SaveUnsigned(long io, long v) {
        io(io).saveUnsigned(v);
    }

    @Api
    static void SaveSigned(long io, long v) {
        io(io).saveSigned(v);
    }

    @Api
    static void SaveString(long io, long s) {
        io(io).saveString(NativeStrings.bytes(s));
    }

    @Api
    static void SaveStringBuffer(long io, long p, long len) {
        io(io).saveString(len == 0 ? new byte[0] : Native.bytes(p, len));
    }

    @Api
    static void SaveDouble(long io, double v) {
        io(io).saveDouble(v);
    }

    @Api
    static void SaveFloat(long io, float v) {
        io(io).saveFloat(v);
    }

    // --- loading ------------------------------------------------------------------------

    @Api
    static long LoadUnsigned(long io) {
        return io(io).loadUnsigned();
    }

    @Api
    static long LoadSigned(long io) {
        return io(io).loadSigned();
    }

    @Api
    static double LoadDouble(long io) {
        return io(io).loadDouble();
    }

    @Api
    static float LoadFloat(long io) {
        return io(io).loadFloat();
    }

    /**
     * A new string the module frees; NULL after an error when the module handles IO errors,
     * else an empty string (Redis would have stopped the server rather than return NULL).
     */
    @Api
    static long LoadString(long iop) {
        ModuleIO io = io(iop);
        byte[] b = io.loadString();
        if (b == null) {
            return io.moduleHandlesErrors() ? 0 : NativeStrings.create(new byte[0]);
        }
        return NativeStrings.create(b);
    }

    @Api
    static long LoadStringBuffer(long iop, long lenp) {
        ModuleIO io = io(iop);
        byte[] b = io.loadString();
        if (b == null) {
            if (io.moduleHandlesErrors()) {
                return 0;
            }
            b = new byte[0];
        }
        return moduleBuffer(b, lenp);
    }

    /** A RedisModule_Alloc'd copy of {@code b} (plus a NUL the module may ignore). */
    private static long moduleBuffer(byte[] b, long lenp) {
        NativeRuntime rt = NativeRuntime.get();
        long p = rt.moduleAlloc(b.length + 1L);
        Native.copy(b, 0, p, b.length);
        Native.putByte(p + b.length, (byte) 0);
        if (lenp != 0) {
            Native.putLong(lenp, b.length);
        }
        return p;
    }

    // --- the IO's surroundings ----------------------------------------------------------

    @Api
    static long GetContextFromIO(long iop) {
        ModuleIO io = io(iop);
        if (io.context == null) {
            NativeRuntime rt = NativeRuntime.get();
            Client temp = io.host().tempClient();
            io.context = rt.openContext(io.host(), io.type().module(), temp, ModuleContext.TEMP_CLIENT);
        }
        return io.context.address;
    }

    @Api
    static long GetKeyNameFromIO(long iop) {
        ModuleIO io = io(iop);
        if (io.key() == null) {
            return 0;
        }
        if (io.keyString == 0) {
            io.keyString = NativeStrings.create(io.key());
        }
        return io.keyString;
    }

    @Api(onError = -1)
    static int GetDbIdFromIO(long iop) {
        return io(iop).dbId();
    }

    /** Shared with MiscApi's registration of the same name. */
    static int isIOError(long iop) {
        return io(iop).error() ? 1 : 0;
    }

    // --- values as strings --------------------------------------------------------------

    @Api
    static long SaveDataTypeToString(long ctxp, long data, long mtp) {
        ModuleType t = TypeApi.type(mtp);
        RdbOutput out = new RdbOutput(true);
        ModuleIO io = new ModuleIO(TypeApi.host(t), t, new ModuleRdbIO(out), null, -1);
        t.callbacks().save(io, data);
        if (io.error()) {
            return 0;
        }
        byte[] b = out.toByteArray();
        return ctxp == 0 ? NativeStrings.create(b) : StringApi.create(ctxp, b);
    }

    @Api
    static long LoadDataTypeFromString(long str, long mtp) {
        return LoadDataTypeFromStringEncver(str, mtp, 0);
    }

    @Api
    static long LoadDataTypeFromStringEncver(long str, long mtp, int encver) {
        ModuleType t = TypeApi.type(mtp);
        ModuleIO io = new ModuleIO(TypeApi.host(t), t, new ModuleRdbIO(RdbInput.of(NativeStrings.bytes(str))), null, -1);
        return t.callbacks().load(io, encver);
    }

    // --- digests ------------------------------------------------------------------------

    @Api
    static void DigestAddStringBuffer(long md, long p, long len) {
        digest(md).add(len == 0 ? new byte[0] : Native.bytes(p, len));
    }

    @Api
    static void DigestAddLongLong(long md, long v) {
        digest(md).add(v);
    }

    @Api
    static void DigestEndSequence(long md) {
        digest(md).endSequence();
    }

    @Api
    static long GetKeyNameFromDigest(long md) {
        ModuleDigest d = digest(md);
        if (d.key() == null) {
            return 0;
        }
        if (d.keyString == 0) {
            d.keyString = NativeStrings.create(d.key());
        }
        return d.keyString;
    }

    @Api(onError = -1)
    static int GetDbIdFromDigest(long md) {
        return digest(md).dbId();
    }

    // --- shim upcalls -------------------------------------------------------------------

    /** SaveLongDouble: the shim formats the value ("%La") and saves the text. */
    static void saveStringBuffer(long io, long p, long len) {
        SaveStringBuffer(io, p, len);
    }

    /** LoadLongDouble: the text, in a RedisModule_Alloc'd buffer the shim parses and frees. */
    static long loadStringBuffer(long iop, long lenp) {
        ModuleIO io = io(iop);
        byte[] b = io.loadString();
        return b == null ? 0 : moduleBuffer(b, lenp);
    }

    /** EmitAOF from an aof_rewrite callback. */
    static void emitAof(long iop, long cmdp, long flagsp, long argvp, long lensp, int argc) {
        ModuleIO io = io(iop);
        byte[][] argv = new byte[argc + 1][];
        argv[0] = Native.cBytes(cmdp);
        for (int i = 0; i < argc; i++) {
            argv[i + 1] = Native.bytes(Native.getLong(argvp + 8L * i), Native.getLong(lensp + 8L * i));
        }
        if (io.host().server().commands().lookup(argv[0]) == null) {
            dev.trellis.server.log.ServerLog.get().warning("Fatal: AOF method for module data type '" + io.type().name()
                    + "' tried to emit unknown command '" + new String(argv[0], java.nio.charset.StandardCharsets.UTF_8) + "'");
            io.error(true);
            NativeRuntime.get().errno(22);
            return;
        }
        io.emit(argv);
    }

    /** Installs the upcalls above in the shim. */
    static void bindShim(NativeRuntime rt) {
        MethodHandle bind = Native.downcall(rt.shimSymbol("trellis_shim_bind"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        install(bind, "save_string_buffer", "saveStringBuffer", void.class, long.class, long.class, long.class);
        install(bind, "load_string_buffer", "loadStringBuffer", long.class, long.class, long.class);
        install(bind, "emit_aof", "emitAof", void.class, long.class, long.class, long.class, long.class, long.class, int.class);
    }

    private static void install(MethodHandle bind, String name, String method, Class<?> ret, Class<?>... params) {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(RdbIoApi.class, method, MethodType.methodType(ret, params));
            long stub = ApiRegistry.stub("shim:" + name, target, 0).address();
            long cname = Native.cString(name);
            try {
                if ((int) bind.invokeExact(cname, stub) != 0) {
                    throw new IllegalStateException("shim does not know upcall " + name);
                }
            } finally {
                Native.free(cname);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("binding shim upcall " + name, t);
        }
    }

    /** The value of a module key, for the type API. */
    static ModuleValue valueOf(Object v) {
        return v instanceof ModuleValue mv ? mv : null;
    }

    static DataTypes types(dev.trellis.server.module.ModuleHost host) {
        return DataTypes.of(host);
    }
}
