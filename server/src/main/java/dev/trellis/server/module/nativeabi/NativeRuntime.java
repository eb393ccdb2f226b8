package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The process-wide native side of the module host, created on first use: the shim library,
 * the API table GetApi serves, the handle table, and recycled contexts.
 */
public final class NativeRuntime {
    private static volatile NativeRuntime instance;

    /** API classes whose {@link Api} methods GetApi serves. */
    private static final List<Class<?>> API_CLASSES = List.of(
            CoreApi.class, CommandApi.class, StringApi.class, ReplyApi.class, CallApi.class,
            KeyApi.class, MemoryApi.class, MiscApi.class);

    /** Shim entry points served under their API names. */
    private static final List<String> SHIM_APIS = List.of(
            "Alloc", "TryAlloc", "Calloc", "TryCalloc", "Realloc", "TryRealloc", "Free", "Strdup",
            "MallocSize", "MallocUsableSize", "Call", "Replicate", "EmitAOF", "Log", "LogIOError",
            "CreateStringPrintf", "ReplyWithErrorFormat", "HashSet", "HashGet",
            "CreateStringFromLongDouble", "ReplyWithLongDouble", "StringToLongDouble",
            "SaveLongDouble", "LoadLongDouble");

    final Handles handles = new Handles();
    final ApiRegistry api = new ApiRegistry();
    final long getApi;
    private final SymbolLookup shim;
    private final MethodHandle shimUsedMemory;
    private final MethodHandle shimAlloc;
    private final MethodHandle shimFree;
    private final MethodHandle shimSetErrno;
    private final ArrayDeque<ModuleContext> contextPool = new ArrayDeque<>();
    /** The context running a module's OnLoad, for GetApi to record names it lacks. */
    ModuleContext loading;

    private NativeRuntime() {
        Path lib = findShim();
        shim = SymbolLookup.libraryLookup(lib, Arena.global());
        for (Class<?> c : API_CLASSES) {
            api.addClass(c);
        }
        for (String n : SHIM_APIS) {
            api.add(n, shimSymbol("trellis_" + n));
        }
        try {
            MethodHandle g = MethodHandles.lookup().findStatic(NativeRuntime.class, "getApiUpcall",
                    MethodType.methodType(int.class, long.class, long.class));
            getApi = ApiRegistry.stub("GetApi", g, 1).address();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        api.add("GetApi", getApi);
        shimUsedMemory = Native.downcall(shimSymbol("trellis_module_used_memory"), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        shimAlloc = Native.downcall(shimSymbol("trellis_Alloc"), FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        shimFree = Native.downcall(shimSymbol("trellis_Free"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
        shimSetErrno = Native.downcall(shimSymbol("trellis_set_errno"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        ShimUpcalls.bind(this);
    }

    /** The runtime, initialised on first call (loads the shim, builds every upcall stub). */
    public static NativeRuntime get() {
        NativeRuntime r = instance;
        if (r == null) {
            synchronized (NativeRuntime.class) {
                r = instance;
                if (r == null) {
                    r = new NativeRuntime();
                    instance = r;
                }
            }
        }
        return r;
    }

    long shimSymbol(String name) {
        return shim.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)).address();
    }

    /** Where libtrellis-shim.so is: -Dtrellis.shim, or under trellis.home / the working directory. */
    private static Path findShim() {
        String explicit = System.getProperty("trellis.shim");
        if (explicit != null) {
            return Path.of(explicit);
        }
        String home = System.getProperty("trellis.home");
        List<Path> candidates = new java.util.ArrayList<>();
        if (home != null) {
            candidates.add(Path.of(home, "server", "target", "native", "libtrellis-shim.so"));
        }
        candidates.add(Path.of("target", "native", "libtrellis-shim.so"));
        candidates.add(Path.of("server", "target", "native", "libtrellis-shim.so"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("libtrellis-shim.so not found (looked at " + candidates
                + "); build with 'make -C native' or set -Dtrellis.shim");
    }

    // --- GetApi -------------------------------------------------------------------------

    private static int getApiUpcall(long namePtr, long target) {
        NativeRuntime r = instance;
        String name = Native.readCString(namePtr);
        String bare = name;
        if (name.startsWith("RedisModule_")) {
            bare = name.substring("RedisModule_".length());
        } else if (name.startsWith("ValkeyModule_")) {
            bare = name.substring("ValkeyModule_".length());
        }
        long addr = r.api.find(bare);
        if (addr == 0) {
            if (r.loading != null) {
                r.loading.missingApi(bare);
            }
            return 1;
        }
        Native.putLong(target, addr);
        return 0;
    }

    /** Names served by GetApi (without prefix). */
    public java.util.Set<String> apiNames() {
        return api.names();
    }

    // --- contexts -----------------------------------------------------------------------

    /** A context with a fresh RedisModuleCtx* handle. */
    ModuleContext openContext(ModuleHost host, Module module, Client client, int flags) {
        ModuleContext ctx = contextPool.poll();
        if (ctx == null) {
            ctx = new ModuleContext();
        }
        ctx.init(host, module, client, flags);
        HostTracker.entered(host);
        ctx.address = handles.create(ctx, getApi);
        return ctx;
    }

    void recycle(ModuleContext ctx) {
        handles.release(ctx.address);
        ctx.address = 0;
        ctx.reset();
        if (contextPool.size() < 64) {
            contextPool.push(ctx);
        }
    }

    /** The context behind a RedisModuleCtx*, or null for a bad pointer. */
    ModuleContext context(long addr) {
        return (ModuleContext) handles.get(addr, getApi);
    }

    // --- module allocator ---------------------------------------------------------------

    /** Memory modules hold through RedisModule_Alloc and friends, in bytes. */
    public long moduleUsedMemory() {
        try {
            return (long) shimUsedMemory.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Allocates module-owned memory (freed by the module with RedisModule_Free). */
    long moduleAlloc(long n) {
        try {
            return (long) shimAlloc.invokeExact(n);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    void moduleFree(long p) {
        try {
            shimFree.invokeExact(p);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Sets errno for the module code running on this thread. */
    void errno(int e) {
        try {
            shimSetErrno.invokeExact(e);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A module-owned NUL-terminated copy of {@code s}. */
    long moduleCString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long p = moduleAlloc(b.length + 1L);
        Native.copy(b, 0, p, b.length);
        Native.putByte(p + b.length, (byte) 0);
        return p;
    }

    static MemorySegment address(long a) {
        return MemorySegment.ofAddress(a);
    }
}
