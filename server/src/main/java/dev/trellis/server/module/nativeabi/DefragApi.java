package dev.trellis.server.module.nativeabi;

/**
 * The defragmentation API. Active defragmentation needs an allocator that can move live
 * allocations (Redis's patched jemalloc); Trellis has none, so, as a Redis built without
 * jemalloc, it never runs a defrag cycle: modules may register their callbacks, which are never
 * called, and the functions meant for use inside them answer "nothing moved, stop now".
 */
final class DefragApi {
    private static final int OK = 0;
    private static final int ERR = 1;

    private DefragApi() {
    }

    @Api(onError = ERR)
    static int RegisterDefragFunc(long ctxp, long func) {
        CoreApi.ctx(ctxp);
        return OK;
    }

    @Api(onError = ERR)
    static int RegisterDefragCallbacks(long ctxp, long start, long end) {
        CoreApi.ctx(ctxp);
        return OK;
    }

    /** NULL: the allocation was not moved, the module keeps its pointer. */
    @Api
    static long DefragAlloc(long ctxp, long ptr) {
        return 0;
    }

    /** NULL: the string was not moved. */
    @Api
    static long DefragRedisModuleString(long ctxp, long str) {
        return 0;
    }

    /** No cycle is running, so a callback that asks is told to stop. */
    @Api(onError = 1)
    static int DefragShouldStop(long ctxp) {
        return 1;
    }

    /** No defrag context carries a cursor. */
    @Api(onError = ERR)
    static int DefragCursorSet(long ctxp, long cursor) {
        return ERR;
    }

    @Api(onError = ERR)
    static int DefragCursorGet(long ctxp, long cursorp) {
        return ERR;
    }

    @Api(onError = -1)
    static int GetDbIdFromDefragCtx(long ctxp) {
        return -1;
    }

    @Api
    static long GetKeyNameFromDefragCtx(long ctxp) {
        return 0;
    }
}
