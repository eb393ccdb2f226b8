/* First half of a two-file module: check-api.sh links it with multi_tu_b.c
 * to prove that several translation units can include redismodule.h
 * (optionally with REDISMODULE_MAIN here) and still link into one .so. */
#ifdef USE_MAIN
#define REDISMODULE_MAIN
#endif
#include "redismodule.h"

#ifdef __cplusplus
extern "C" {
#endif
int multi_tu_helper(RedisModuleCtx *ctx);
int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc);
#ifdef __cplusplus
}
#endif

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "multitu", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return multi_tu_helper(ctx);
}
