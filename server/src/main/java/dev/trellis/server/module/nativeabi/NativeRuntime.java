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
            KeyApi.class, MemoryApi.class, MiscApi.class, AggregateApi.class,
            TypeApi.class, RdbIoApi.class, TimerApi.class, DictApi.class, ThreadSafeApi.class, BlockApi.class, EventApi.class, InfoApi.class, ConfigApi.class,
            FilterApi.class, ScanApi.class, ClientApi.class, KeyAccessApi.class, ClusterApi.class, ServerApi.class,
            StreamApi.class, UserApi.class, EventLoopApi.class, DefragApi.class, RdbStreamApi.class);

    final Handles handles = new Handles();
    final ApiRegistry api;
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
        MethodHandle size = Native.downcall(shimSymbol("trellis_api_size"), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        MethodHandle enable = Native.downcall(shimSymbol("trellis_api_enable"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MethodHandle sig = Native.downcall(shimSymbol("trellis_api_sig"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        MethodHandle bind = Native.downcall(shimSymbol("trellis_bind_dispatcher"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        try {
            api = new ApiRegistry((int) size.invokeExact());
            ApiRegistry.Table table = new ApiRegistry.Table() {
                @Override
                public int enable(String name) {
                    long p = Native.cString(name);
                    try {
                        return (int) enable.invokeExact(p);
                    } catch (Throwable t) {
                        throw Native.rethrow(t);
                    } finally {
                        Native.free(p);
                    }
                }

                @Override
                public String signature(int index) {
                    try {
                        return Native.readCString((long) sig.invokeExact(index));
                    } catch (Throwable t) {
                        throw Native.rethrow(t);
                    }
                }
            };
            for (Class<?> c : API_CLASSES) {
                api.addClass(c, table);
            }
            api.bindDispatchers((s, stub) -> {
                long p = Native.cString(s);
                try {
                    if ((int) bind.invokeExact(p, (long) stub) != 0) {
                        throw new IllegalStateException("shim has no dispatcher for " + s);
                    }
                } catch (Throwable t) {
                    throw Native.rethrow(t);
                } finally {
                    Native.free(p);
                }
            });
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        getApi = shimSymbol("trellis_GetApi");
        shimUsedMemory = Native.downcall(shimSymbol("trellis_module_used_memory"), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        shimAlloc = Native.downcall(shimSymbol("trellis_Alloc"), FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        shimFree = Native.downcall(shimSymbol("trellis_Free"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
        shimSetErrno = Native.downcall(shimSymbol("trellis_set_errno"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        ShimUpcalls.bind(this);
        RdbIoApi.bindShim(this);
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

    /** The shim's GetApi calls this for names it cannot serve (recorded for the loading module). */
    static void apiMissing(long namePtr) {
        NativeRuntime r = instance;
        if (r != null && r.loading != null) {
            r.loading.missingApi(Native.readCString(namePtr));
        }
    }

    /** Handles currently alive (contexts, keys, call replies, commands): for leak checks. */
    public int liveHandles() {
        return handles.live();
    }

    /** Names served by GetApi (without prefix). */
    public java.util.Set<String> apiNames() {
        return api.names();
    }

    // --- contexts -----------------------------------------------------------------------

    /**
     * A context with a live RedisModuleCtx* handle. Pooled contexts keep their handle block
     * (and its reply buffer) while pooled, with the tag cleared so stale pointers fail;
     * reopening one only sets the tag again.
     */
    ModuleContext openContext(ModuleHost host, Module module, Client client, int flags) {
        ModuleContext ctx = contextPool.poll();
        if (ctx == null) {
            ctx = new ModuleContext();
            ctx.handleBlock = handles.create(ctx, getApi);
            NativeContexts.init(ctx.handleBlock);
        } else {
            handles.resume(ctx.handleBlock, getApi);
            NativeContexts.reopen(ctx.handleBlock);
        }
        ctx.init(host, module, client, flags);
        HostTracker.entered(host);
        ctx.address = ctx.handleBlock;
        return ctx;
    }

    void recycle(ModuleContext ctx) {
        ctx.address = 0;
        ctx.reset();
        if (contextPool.size() < 64) {
            handles.suspend(ctx.handleBlock);
            contextPool.push(ctx);
        } else {
            NativeContexts.dispose(ctx.handleBlock);
            handles.release(ctx.handleBlock);
            ctx.handleBlock = 0;
        }
    }

    /** The context behind a RedisModuleCtx*, or null for a bad pointer. */
    ModuleContext context(long addr) {
        ModuleContext ctx = (ModuleContext) handles.get(addr, getApi);
        if (ctx != null) {
            NativeContexts.syncFlags(ctx, addr);
        }
        return ctx;
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
