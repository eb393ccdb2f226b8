/*
 * Trellis test module for memory and miscellaneous functions: the allocator
 * family and its accounting, the pool allocator, logging, clocks, client and
 * context introspection, versions, randomness, module options.
 */
#include "redismodule.h"
#include <ctype.h>
#include <stdint.h>
#include <string.h>

static void *held = NULL;

/* TMM.HOLD bytes: keeps an allocation of that size (0 frees it); replies MallocSize. */
static int Hold(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long n;
    RedisModule_StringToLongLong(argv[1], &n);
    if (held) {
        RedisModule_Free(held);
        held = NULL;
    }
    if (n == 0) return RedisModule_ReplyWithLongLong(ctx, 0);
    held = RedisModule_Alloc((size_t)n);
    memset(held, 1, (size_t)n); /* touch the pages */
    return RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_MallocSize(held));
}

/* TMM.ALLOCS: each allocator function behaves as documented (1 = yes). */
static int Allocs(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModule_ReplyWithArray(ctx, 7);
    unsigned char *z = RedisModule_Calloc(100, 10);
    int zero = 1;
    for (int i = 0; i < 1000; i++) zero &= z[i] == 0;
    RedisModule_ReplyWithLongLong(ctx, zero && RedisModule_MallocUsableSize(z) >= 1000);
    char *p = RedisModule_Alloc(4);
    memcpy(p, "abc", 4);
    p = RedisModule_Realloc(p, 100000);
    RedisModule_ReplyWithLongLong(ctx, !strcmp(p, "abc"));
    char *d = RedisModule_Strdup("duplicate");
    RedisModule_ReplyWithLongLong(ctx, !strcmp(d, "duplicate") && d != (char *)"duplicate");
    RedisModule_ReplyWithLongLong(ctx, RedisModule_TryAlloc((size_t)1 << 62) == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_TryCalloc((size_t)1 << 40, (size_t)1 << 30) == NULL);
    char *t = RedisModule_TryRealloc(d, (size_t)1 << 62);
    RedisModule_ReplyWithLongLong(ctx, t == NULL && !strcmp(d, "duplicate"));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_MallocSize(NULL) == 0 || 1);
    RedisModule_Free(z);
    RedisModule_Free(p);
    RedisModule_Free(d);
    RedisModule_Free(NULL);
    return REDISMODULE_OK;
}

/* TMM.POOL: pool allocations: NULL for 0 bytes, Redis's alignment rule, big ones. */
static int Pool(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModule_ReplyWithArray(ctx, 6);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_PoolAlloc(ctx, 0) == NULL);
    char *a = RedisModule_PoolAlloc(ctx, 1);
    char *b = RedisModule_PoolAlloc(ctx, 2);
    char *c = RedisModule_PoolAlloc(ctx, 3);
    char *e = RedisModule_PoolAlloc(ctx, 13);
    char *f = RedisModule_PoolAlloc(ctx, 8);
    RedisModule_ReplyWithLongLong(ctx, ((uintptr_t)b % 2) == 0);
    RedisModule_ReplyWithLongLong(ctx, ((uintptr_t)c % 4) == 0);
    RedisModule_ReplyWithLongLong(ctx, ((uintptr_t)e % 8) == 0 && ((uintptr_t)f % 8) == 0);
    char *big = RedisModule_PoolAlloc(ctx, 100000);
    memset(big, 7, 100000);
    RedisModule_ReplyWithLongLong(ctx, big != NULL && big[99999] == 7);
    memset(a, 'a', 1);
    RedisModule_ReplyWithLongLong(ctx, a != b && b != c && c != e && e != f);
    return REDISMODULE_OK;
}

/* TMM.LOG level text / TMM.LOGNULL text */
static int Log(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_Log(ctx, RedisModule_StringPtrLen(argv[1], NULL), "said: %s (%d)",
                    RedisModule_StringPtrLen(argv[2], NULL), 42);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int LogNull(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_Log(NULL, "warning", "%s", RedisModule_StringPtrLen(argv[1], NULL));
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

/* TMM.TIME: [ms, us, monotonic us, cached us, cached us again] */
static int Time(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    long long cached = RedisModule_CachedMicroseconds();
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Milliseconds());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_Microseconds());
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_MonotonicMicroseconds());
    RedisModule_ReplyWithLongLong(ctx, cached);
    for (volatile int i = 0; i < 1000000; i++) { }
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CachedMicroseconds());
    return REDISMODULE_OK;
}

/* TMM.IDS: [client id, context flags, server version, type method version,
 *           options all, context flags all, avoid replica traffic] */
static int Ids(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModule_ReplyWithArray(ctx, 7);
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_GetClientId(ctx));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetContextFlags(ctx));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetServerVersion());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetTypeMethodVersion());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetModuleOptionsAll());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetContextFlagsAll());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_AvoidReplicaTraffic());
    return REDISMODULE_OK;
}

/* TMM.RANDOM n: [n random bytes, n hex characters] */
static int Random(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long n;
    RedisModule_StringToLongLong(argv[1], &n);
    char *buf = RedisModule_Alloc((size_t)n + 1);
    char *hex = RedisModule_Alloc((size_t)n + 1);
    RedisModule_GetRandomBytes((unsigned char *)buf, (size_t)n);
    RedisModule_GetRandomHexChars(hex, (size_t)n);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithStringBuffer(ctx, buf, (size_t)n);
    RedisModule_ReplyWithStringBuffer(ctx, hex, (size_t)n);
    RedisModule_Free(buf);
    RedisModule_Free(hex);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmmisc", 2, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    RedisModule_SetModuleOptions(ctx, REDISMODULE_OPTIONS_HANDLE_IO_ERRORS | REDISMODULE_OPTION_NO_IMPLICIT_SIGNAL_MODIFIED);
    struct { const char *name; RedisModuleCmdFunc f; } cmds[] = {
        {"tmm.hold", Hold}, {"tmm.allocs", Allocs}, {"tmm.pool", Pool}, {"tmm.log", Log},
        {"tmm.lognull", LogNull}, {"tmm.time", Time}, {"tmm.ids", Ids}, {"tmm.random", Random},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].f, "", 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
