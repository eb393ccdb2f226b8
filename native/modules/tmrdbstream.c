/*
 * Trellis test module for RDB streams (RedisModule_RdbSave / RdbLoad).
 *
 *   TMR.SAVE file [flags]   saves the dataset to file: +OK, or -ERR errno <n>
 *   TMR.LOAD file [flags]   replaces the dataset with file: +OK, or -ERR errno <n>
 */
#include "redismodule.h"
#include <errno.h>

static int run(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int load) {
    if (argc != 2 && argc != 3) return RedisModule_WrongArity(ctx);
    long long flags = 0;
    if (argc == 3 && RedisModule_StringToLongLong(argv[2], &flags) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR flags");
    RedisModuleRdbStream *s = RedisModule_RdbStreamCreateFromFile(RedisModule_StringPtrLen(argv[1], NULL));
    errno = -1;
    int rc = load ? RedisModule_RdbLoad(ctx, s, (int)flags) : RedisModule_RdbSave(ctx, s, (int)flags);
    int e = errno;
    RedisModule_RdbStreamFree(s);
    if (rc == REDISMODULE_OK && e == 0) return RedisModule_ReplyWithSimpleString(ctx, "OK");
    return RedisModule_ReplyWithErrorFormat(ctx, "ERR errno %d", e);
}

static int Save(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return run(ctx, argv, argc, 0);
}

static int Load(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return run(ctx, argv, argc, 1);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "tmrdbstream", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmr.save", Save, "admin", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmr.load", Load, "admin write", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
