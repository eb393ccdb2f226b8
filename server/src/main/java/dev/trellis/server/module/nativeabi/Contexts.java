package dev.trellis.server.module.nativeabi;

import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleKey;

/**
 * The end of a module invocation, as Redis's moduleFreeContext: release what auto memory
 * tracked, free pool allocations, flush replies left with postponed lengths (logging the
 * misuse), write back DMA buffers, and recycle the context.
 */
final class Contexts {
    private Contexts() {
    }

    static void finish(NativeRuntime rt, ModuleContext ctx) {
        NativeContexts.finish(ctx);
        autoMemoryCollect(ctx);
        java.util.List<ModuleKey> keys = ctx.openKeys();
        for (int i = 0, n = keys.size(); i < n; i++) {
            ModuleKey k = keys.get(i);
            KeyApi.sync(k);
            KeyCache.disable(k); // a key kept past its command is looked up afresh
        }
        PoolAllocator.release(ctx);
        if (ctx.hasPostponed()) {
            ctx.postponed().abandon(ctx.client().reply());
            ServerLog.get().warning("API misuse detected in module " + (ctx.module() == null ? "?" : ctx.module().name())
                    + ": RedisModule_ReplyWith*(REDISMODULE_POSTPONED_LEN) not matched by the same number of "
                    + "RedisModule_SetReply*Len() calls.");
        }
        rt.recycle(ctx);
    }

    /** Releases auto-memory entries in the order they were added. */
    static void autoMemoryCollect(ModuleContext ctx) {
        int n = ctx.autoCount();
        if (n == 0) {
            return;
        }
        int saved = ctx.flags;
        ctx.flags &= ~ModuleContext.AUTO_MEMORY; // frees below must not touch the list
        try {
            for (int i = 0; i < n; i++) {
                long h = ctx.autoHandle(i);
                switch (ctx.autoKind(i)) {
                    case STRING -> NativeStrings.release(h);
                    case KEY -> KeyApi.close(h);
                    case REPLY -> CallApi.free(h);
                    case DICT -> DictApi.free(h);
                    case INFO -> InfoApi.free(h);
                    default -> {
                    }
                }
            }
        } finally {
            ctx.autoMemoryClear();
            ctx.flags = saved;
        }
    }
}
