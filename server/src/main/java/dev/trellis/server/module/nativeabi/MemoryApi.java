package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleContext;

/**
 * Auto memory and the pool allocator. (Alloc, Calloc, Realloc, Free, Strdup and MallocSize
 * are plain C in the shim, with an allocation counter the server reads.)
 */
final class MemoryApi {
    private MemoryApi() {
    }

    @Api
    static void AutoMemory(long ctxp) {
        CoreApi.ctx(ctxp).flags |= ModuleContext.AUTO_MEMORY;
    }

    @Api
    static long PoolAlloc(long ctxp, long bytes) {
        return PoolAllocator.alloc(CoreApi.ctx(ctxp), bytes);
    }

    /** used memory / maxmemory, 0 without a limit. */
    @Api
    static float GetUsedMemoryRatio() {
        ModuleContext loading = NativeRuntime.get().loading;
        dev.trellis.server.module.ModuleHost host = loading != null ? loading.host() : HostTracker.any();
        return host == null ? 0f : host.usedMemoryRatio();
    }
}
