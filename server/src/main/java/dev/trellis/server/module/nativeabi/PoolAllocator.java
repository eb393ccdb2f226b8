package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleContext;

/**
 * RedisModule_PoolAlloc: bump allocation from blocks chained on the context, all freed when
 * the invocation ends. Alignment follows Redis: the word size for requests of at least a
 * word, else the next power of two of the request.
 * <pre>
 * block: 0 next | 8 size | 16 used | 24 unused | 32 memory...
 * </pre>
 */
final class PoolAllocator {
    static final long MIN_BLOCK = 8 * 1024;
    static final long ALIGN = 8;
    private static final long HEADER = 32;

    private PoolAllocator() {
    }

    static long alloc(ModuleContext ctx, long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        long b = ctx.poolHead;
        long left = b == 0 ? 0 : Native.getLong(b + 8) - Native.getLong(b + 16);
        if (left >= bytes) {
            long alignment = ALIGN;
            while (bytes < alignment && alignment / 2 >= bytes) {
                alignment /= 2;
            }
            long used = Native.getLong(b + 16);
            if (used % alignment != 0) {
                used += alignment - used % alignment;
                Native.putLong(b + 16, used);
            }
            long size = Native.getLong(b + 8);
            left = used > size ? 0 : size - used;
        }
        if (left < bytes) {
            long size = Math.max(MIN_BLOCK, bytes);
            b = NativeRuntime.get().moduleAlloc(HEADER + size);
            Native.putLong(b, ctx.poolHead);
            Native.putLong(b + 8, size);
            Native.putLong(b + 16, 0);
            ctx.poolHead = b;
        }
        long used = Native.getLong(b + 16);
        Native.putLong(b + 16, used + bytes);
        return b + HEADER + used;
    }

    static void release(ModuleContext ctx) {
        NativeRuntime rt = NativeRuntime.get();
        long b = ctx.poolHead;
        while (b != 0) {
            long next = Native.getLong(b);
            rt.moduleFree(b);
            b = next;
        }
        ctx.poolHead = 0;
    }
}
