/* Second half of the two-file module (see multi_tu_a.c). With B_EXTERN it
 * uses the `extern` declaration style some multi-file modules choose. */
#ifdef B_EXTERN
#define REDISMODULE_API extern
#endif
#include "redismodule.h"

#ifdef __cplusplus
extern "C"
#endif
int multi_tu_helper(RedisModuleCtx *ctx) {
    RedisModule_Log(ctx, REDISMODULE_LOGLEVEL_NOTICE, "loaded %d", 1);
    return RedisModule_GetApi ? REDISMODULE_OK : REDISMODULE_ERR;
}
