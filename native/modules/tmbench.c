/*
 * Trellis benchmark module (bench/modules.py): the same two commands are loaded into
 * redis-server and into Trellis, so the cost of the module command path can be compared.
 *
 *   TMBENCH.DMAGET key    opens the key, reads it with StringDMA, replies with the bytes
 *                         (null reply when the key is missing, WRONGTYPE when not a string)
 *   TMBENCH.CALLGET key   GET through RedisModule_Call, replied with ReplyWithCallReply
 *   TMBENCH.NOOP          replies +OK without touching the keyspace (fixed per-call cost);
 *                         declared in upper case, which COMMAND and errors show as declared
 *
 * DMAGET and CALLGET use automatic memory, as most real modules do.
 */
#include "redismodule.h"

static int DmaGet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    int type = RedisModule_KeyType(key);
    if (type == REDISMODULE_KEYTYPE_EMPTY) return RedisModule_ReplyWithNull(ctx);
    if (type != REDISMODULE_KEYTYPE_STRING) return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    size_t len;
    char *p = RedisModule_StringDMA(key, &len, REDISMODULE_READ);
    return RedisModule_ReplyWithStringBuffer(ctx, p, len);
}

static int CallGet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "GET", "s", argv[1]);
    if (r == NULL) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    return RedisModule_ReplyWithCallReply(ctx, r);
}

static int Noop(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmbench", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmbench.dmaget", DmaGet, "readonly fast", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmbench.callget", CallGet, "readonly fast", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "TMBENCH.NOOP", Noop, "readonly fast", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
