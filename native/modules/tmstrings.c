/*
 * Trellis test module for RedisModuleString: creation from buffers, numbers,
 * doubles, long doubles, stream ids and printf; parsing; append and trim;
 * compare; retain/hold/free with auto memory; pointer stability.
 */
#include "redismodule.h"
#include <string.h>

static RedisModuleString *kept = NULL;

/* TMS.CREATE: one string made by each constructor. */
static int Create(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModule_AutoMemory(ctx);
    RedisModuleStreamID id = {5, 7};
    RedisModuleString *base = RedisModule_CreateString(ctx, "abc\0def", 7);
    RedisModuleString *all[] = {
        base,
        RedisModule_CreateStringFromLongLong(ctx, -123),
        RedisModule_CreateStringFromULongLong(ctx, 18446744073709551615ULL),
        RedisModule_CreateStringFromDouble(ctx, 3.5),
        RedisModule_CreateStringFromDouble(ctx, 0.1),
        RedisModule_CreateStringFromDouble(ctx, 1e20),
        RedisModule_CreateStringFromDouble(ctx, -0.0),
        RedisModule_CreateStringFromLongDouble(ctx, 3.25L, 1),
        RedisModule_CreateStringFromLongDouble(ctx, 1.0L / 3, 0),
        RedisModule_CreateStringFromLongDouble(ctx, 10.0L, 1),
        RedisModule_CreateStringFromString(ctx, base),
        RedisModule_CreateStringFromStreamID(ctx, &id),
        RedisModule_CreateStringPrintf(ctx, "%s-%d-%.2f", "x", 42, 1.5),
    };
    int n = sizeof(all) / sizeof(all[0]);
    RedisModule_ReplyWithArray(ctx, n);
    for (int i = 0; i < n; i++) RedisModule_ReplyWithString(ctx, all[i]);
    return REDISMODULE_OK;
}

/* TMS.PARSE s: [ll-ok ll] [ull-ok ull] [d-ok d] [ld-ok ld] [id-ok ms seq] */
static int Parse(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long ll = 0;
    unsigned long long ull = 0;
    double d = 0;
    long double ld = 0;
    RedisModuleStreamID id = {0, 0};
    RedisModule_ReplyWithArray(ctx, 5);
    int ok = RedisModule_StringToLongLong(argv[1], &ll) == REDISMODULE_OK;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ok);
    RedisModule_ReplyWithLongLong(ctx, ll);
    ok = RedisModule_StringToULongLong(argv[1], &ull) == REDISMODULE_OK;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ok);
    RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromULongLong(ctx, ull));
    ok = RedisModule_StringToDouble(argv[1], &d) == REDISMODULE_OK;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ok);
    RedisModule_ReplyWithDouble(ctx, d);
    ok = RedisModule_StringToLongDouble(argv[1], &ld) == REDISMODULE_OK;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, ok);
    RedisModule_ReplyWithLongDouble(ctx, ld);
    ok = RedisModule_StringToStreamID(argv[1], &id) == REDISMODULE_OK;
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, ok);
    RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromULongLong(ctx, id.ms));
    RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromULongLong(ctx, id.seq));
    return REDISMODULE_OK;
}

/* TMS.APPEND a b [c ...]: appends to a fresh copy of a, trims, replies the result,
 * whether the earlier pointer still works for a shared string, and the alloc size. */
static int Append(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    RedisModuleString *s = RedisModule_CreateStringFromString(NULL, argv[1]);
    for (int i = 2; i < argc; i++) {
        size_t len;
        const char *p = RedisModule_StringPtrLen(argv[i], &len);
        if (RedisModule_StringAppendBuffer(ctx, s, p, len) != REDISMODULE_OK)
            return RedisModule_ReplyWithError(ctx, "ERR append failed");
    }
    RedisModule_TrimStringAllocation(s);
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_ReplyWithLongLong(ctx, p[len] == '\0');
    RedisModule_ReplyWithLongLong(ctx, RedisModule_MallocSizeString(s) >= len);
    /* A shared (retained) string refuses appends. */
    RedisModule_RetainString(NULL, s);
    int refused = RedisModule_StringAppendBuffer(ctx, s, "x", 1) == REDISMODULE_ERR;
    RedisModule_FreeString(NULL, s);
    RedisModule_FreeString(NULL, s);
    if (!refused) RedisModule_Log(ctx, "warning", "append to a shared string was allowed");
    return REDISMODULE_OK;
}

static int Compare(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    int c = RedisModule_StringCompare(argv[1], argv[2]);
    return RedisModule_ReplyWithLongLong(ctx, c < 0 ? -1 : c > 0 ? 1 : 0);
}

/* TMS.KEEP s: keeps argv[1] beyond the command with RetainString (auto memory on),
 * and a HoldString'd copy too. TMS.KEPT replies with them and frees them. */
static RedisModuleString *held = NULL;
static int Keep(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModule_RetainString(ctx, argv[1]);
    kept = argv[1];
    RedisModuleString *tmp = RedisModule_CreateString(ctx, "held", 4);
    held = RedisModule_HoldString(ctx, tmp); /* same object, one more reference */
    RedisModule_RetainString(ctx, held);     /* out of auto memory: survives */
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Kept(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (!kept) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithString(ctx, kept);
    RedisModule_ReplyWithString(ctx, held);
    RedisModule_FreeString(NULL, kept);
    RedisModule_FreeString(NULL, held);
    kept = held = NULL;
    return REDISMODULE_OK;
}

/* TMS.PTR: the pointer of a string stays put while others are made and freed,
 * is NUL-terminated, and a NULL string reads as Redis's placeholder text. */
static int Ptr(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModuleString *s = RedisModule_CreateString(NULL, "stable", 6);
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    for (int i = 0; i < 1000; i++) {
        RedisModuleString *t = RedisModule_CreateStringFromLongLong(NULL, i);
        RedisModule_FreeString(NULL, t);
    }
    size_t len2;
    const char *p2 = RedisModule_StringPtrLen(s, &len2);
    int stable = p == p2 && len == 6 && !strcmp(p2, "stable");
    RedisModule_FreeString(NULL, s);
    size_t nlen;
    const char *np = RedisModule_StringPtrLen(NULL, &nlen);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, stable);
    RedisModule_ReplyWithStringBuffer(ctx, np, nlen);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmstrings", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tms.create", Create, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.parse", Parse, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.append", Append, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.compare", Compare, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.keep", Keep, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.kept", Kept, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.ptr", Ptr, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
