package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleHost.ModuleException;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Loading and unloading C modules: dlopen, {@code RedisModule_OnLoad} with a context whose
 * first word is GetApi, {@code RedisModule_OnUnload}, dlclose. Every failure is logged with
 * Redis's wording and leaves nothing of the module behind.
 */
public final class NativeModules {
    static final FunctionDescriptor ONLOAD = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    static final FunctionDescriptor ONUNLOAD = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
    private static final MethodHandle CALL_ONLOAD = Native.downcall(ONLOAD);
    private static final MethodHandle CALL_ONUNLOAD = Native.downcall(ONUNLOAD);

    /** What the native face keeps per loaded module. */
    static final class Library {
        final long handle;
        Library(long handle) {
            this.handle = handle;
        }
    }

    private NativeModules() {
    }

    /** Loads {@code path}; see {@link ModuleHost#load}. */
    public static Module load(ModuleHost host, String path, List<byte[]> args) throws ModuleException {
        NativeRuntime rt = NativeRuntime.get();
        loaded = true;
        Path p = Path.of(path);
        if (Files.exists(p)) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OWNER_EXECUTE) && !perms.contains(PosixFilePermission.GROUP_EXECUTE)
                        && !perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return fail("Module " + path + " failed to load: It does not have execute permissions.");
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                // best effort, as in Redis
            }
        }
        long handle = Native.dlopen(path, Native.RTLD_NOW | Native.RTLD_LOCAL | Native.RTLD_DEEPBIND);
        if (handle == 0) {
            return fail("Module " + path + " failed to load: " + Native.dlerror());
        }
        long onload = Native.dlsym(handle, "RedisModule_OnLoad");
        if (onload == 0) {
            onload = Native.dlsym(handle, "ValkeyModule_OnLoad");
        }
        if (onload == 0) {
            Native.dlclose(handle);
            return fail("Module " + path + " does not export RedisModule_OnLoad() symbol. Module not loaded.");
        }
        Client temp = host.tempClient();
        ModuleContext ctx = rt.openContext(host, null, temp, ModuleContext.TEMP_CLIENT);
        long argv = 0;
        long[] strings = new long[args.size()];
        int rc;
        ModuleContext outer = rt.loading;
        rt.loading = ctx;
        try {
            argv = Native.malloc(8L * Math.max(1, args.size()));
            for (int i = 0; i < strings.length; i++) {
                strings[i] = NativeStrings.create(args.get(i));
                Native.putLong(argv + 8L * i, strings[i]);
            }
            try {
                rc = (int) CALL_ONLOAD.invokeExact(MemorySegment.ofAddress(onload), ctx.address, argv, args.size());
            } catch (Throwable t) {
                ServerLog.get().warning("Module " + path + " OnLoad failed: " + t);
                rc = 1;
            }
        } finally {
            rt.loading = outer;
        }
        Module m = ctx.module();
        if (rc == 0 && m == null) {
            ServerLog.get().warning("Module " + path + " did not call RedisModule_Init() (no module name was set).");
            rc = 1;
        }
        if (rc == 0) {
            for (String missing : ctx.missingDuringLoad()) {
                m.missingApis().add(missing);
            }
            m.face(new Library(handle));
        }
        Contexts.finish(rt, ctx);
        host.releaseTempClient(temp);
        for (long s : strings) {
            if (s != 0) {
                NativeStrings.release(s);
            }
        }
        Native.free(argv);
        if (rc != 0) {
            if (m != null) {
                host.unregisterAll(m);
            }
            Native.dlclose(handle);
            return fail("Module " + path + " initialization failed. Module not loaded");
        }
        return m;
    }

    private static Module fail(String message) throws ModuleException {
        ServerLog.get().warning(message);
        throw new ModuleException(message);
    }

    /** Runs RedisModule_OnUnload if the module has one; false if it refused. */
    public static boolean callOnUnload(ModuleHost host, Module m) {
        if (!(m.face() instanceof Library lib)) {
            return true;
        }
        long f = Native.dlsym(lib.handle, "RedisModule_OnUnload");
        if (f == 0) {
            f = Native.dlsym(lib.handle, "ValkeyModule_OnUnload");
        }
        if (f == 0) {
            return true;
        }
        NativeRuntime rt = NativeRuntime.get();
        Client temp = host.tempClient();
        ModuleContext ctx = rt.openContext(host, m, temp, ModuleContext.TEMP_CLIENT);
        int rc;
        try {
            rc = (int) CALL_ONUNLOAD.invokeExact(MemorySegment.ofAddress(f), ctx.address);
        } catch (Throwable t) {
            ServerLog.get().warning("Module " + m.name() + " OnUnload failed: " + t);
            rc = 1;
        }
        Contexts.finish(rt, ctx);
        host.releaseTempClient(temp);
        return rc == 0;
    }

    /** Bytes modules hold through RedisModule_Alloc and friends (0 before any module loaded). */
    /** Whether {@code m} is a shared object loaded through this face. */
    public static boolean isNative(Module m) {
        return m.face() instanceof Library;
    }

    public static long moduleUsedMemory() {
        return loaded ? NativeRuntime.get().moduleUsedMemory() : 0;
    }

    private static volatile boolean loaded;

    /** dlclose after unloading. */
    public static void close(Module m) {
        if (m.face() instanceof Library lib) {
            if (Native.dlclose(lib.handle) != 0) {
                String err = Native.dlerror();
                ServerLog.get().warning("Error when trying to close the " + m.name() + " module: "
                        + (err == null ? "Unknown error" : err));
            }
            CommandApi.forget(m);
        }
    }
}
