/*
 * Trellis test module for loading and unloading. Its arguments choose a
 * behaviour, so one library covers every failure mode:
 *   (none)              load as "testload" with command TESTLOAD.PING
 *   name <n>            load under module name <n> (command <n>.ping)
 *   fail-after-command  register TESTLOAD.PING, then fail OnLoad
 *   no-init             return OK from OnLoad without calling Init
 *   busy-command        also try to register SET (taken): OnLoad fails
 *   refuse-unload       OnUnload returns ERR
 *   export <api>        export a shared API named <api>
 *   use <api>           fetch the shared API <api>; OnLoad fails if absent
 *   ask <function>      ask GetApi for RedisModule_<function> (as a module built against a
 *                       newer header would), carrying on without it
 */
#include "redismodule.h"
#include <stdio.h>
#include <string.h>

static int refuse_unload = 0;

static int Ping(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    return RedisModule_ReplyWithSimpleString(ctx, "PONG");
}

static int shared_fn(void) { return 42; }

static int arg_is(RedisModuleString *s, const char *what) {
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    return len == strlen(what) && memcmp(p, what, len) == 0;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    /* Arguments must be read before Init chooses the name: fetch StringPtrLen
     * through GetApi, which is the first word of the context. */
    int (*getapi)(const char *, void *) = ((void **)ctx)[0];
    getapi("RedisModule_StringPtrLen", (void *)&RedisModule_StringPtrLen);

    char name[64] = "testload";
    for (int i = 0; i < argc; i++) {
        if (arg_is(argv[i], "no-init")) return REDISMODULE_OK;
        if (arg_is(argv[i], "name") && i + 1 < argc) {
            size_t len;
            const char *p = RedisModule_StringPtrLen(argv[i + 1], &len);
            snprintf(name, sizeof(name), "%.*s", (int)len, p);
        }
    }
    if (RedisModule_Init(ctx, name, 3, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;

    char cmd[80];
    snprintf(cmd, sizeof(cmd), "%s.ping", name);
    if (RedisModule_CreateCommand(ctx, cmd, Ping, "fast", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;

    for (int i = 0; i < argc; i++) {
        if (arg_is(argv[i], "fail-after-command")) return REDISMODULE_ERR;
        if (arg_is(argv[i], "busy-command") &&
            RedisModule_CreateCommand(ctx, "set", Ping, "write", 1, 1, 1) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
        if (arg_is(argv[i], "refuse-unload")) refuse_unload = 1;
        if (arg_is(argv[i], "export") && i + 1 < argc) {
            if (RedisModule_ExportSharedAPI(ctx, RedisModule_StringPtrLen(argv[i + 1], NULL),
                                            (void *)shared_fn) == REDISMODULE_ERR)
                return REDISMODULE_ERR;
        }
        if (arg_is(argv[i], "ask") && i + 1 < argc) {
            char full[128];
            void *fn = NULL;
            snprintf(full, sizeof(full), "RedisModule_%s", RedisModule_StringPtrLen(argv[i + 1], NULL));
            RedisModule_GetApi(full, &fn);
        }
        if (arg_is(argv[i], "use") && i + 1 < argc) {
            int (*fn)(void) = RedisModule_GetSharedAPI(ctx, RedisModule_StringPtrLen(argv[i + 1], NULL));
            if (fn == NULL || fn() != 42) return REDISMODULE_ERR;
        }
    }
    return REDISMODULE_OK;
}

int RedisModule_OnUnload(RedisModuleCtx *ctx) {
    REDISMODULE_NOT_USED(ctx);
    return refuse_unload ? REDISMODULE_ERR : REDISMODULE_OK;
}
