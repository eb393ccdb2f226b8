/*
 * Trellis test module for RedisModule_Yield: long operations that let other clients in.
 *
 *   TMY.SPIN [message]        runs on the server thread, yielding (with REDISMODULE_YIELD_FLAG_CLIENTS
 *                             and the message as busy reply) until TMY.STOP: replies :1
 *   TMY.THREADSPIN [message]  the same from a thread holding the GIL; the client is blocked meanwhile
 *   TMY.STOP                  allow-busy: ends the spin, replies +OK
 *   TMY.SPINNING              allow-busy: :1 while a spin runs
 */
#include "redismodule.h"
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static volatile int stop_flag = 0;
static volatile int spinning = 0;
static char message[128];

static const char *message_arg(RedisModuleString **argv, int argc) {
    if (argc < 2) return NULL;
    size_t len;
    const char *s = RedisModule_StringPtrLen(argv[1], &len);
    if (len >= sizeof(message)) len = sizeof(message) - 1;
    memcpy(message, s, len);
    message[len] = '\0';
    return message;
}

static void spin(RedisModuleCtx *ctx, const char *msg) {
    spinning = 1;
    /* at most 20 s, so a failing test cannot hang the server */
    for (int i = 0; i < 20000 && !stop_flag; i++) {
        RedisModule_Yield(ctx, REDISMODULE_YIELD_FLAG_CLIENTS, msg);
        usleep(1000);
    }
    stop_flag = 0;
    spinning = 0;
}

static int Spin(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc > 2) return RedisModule_WrongArity(ctx);
    spin(ctx, message_arg(argv, argc));
    return RedisModule_ReplyWithLongLong(ctx, 1);
}

static void *spin_thread(void *arg) {
    RedisModuleBlockedClient *bc = arg;
    RedisModuleCtx *ctx = RedisModule_GetThreadSafeContext(bc);
    RedisModule_ThreadSafeContextLock(ctx);
    spin(ctx, message[0] ? message : NULL);
    RedisModule_ThreadSafeContextUnlock(ctx);
    RedisModule_ReplyWithLongLong(ctx, 1);
    RedisModule_FreeThreadSafeContext(ctx);
    RedisModule_UnblockClient(bc, NULL);
    return NULL;
}

static int ThreadSpin(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc > 2) return RedisModule_WrongArity(ctx);
    message[0] = '\0';
    message_arg(argv, argc);
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, NULL, NULL, NULL, 0);
    pthread_t tid;
    if (pthread_create(&tid, NULL, spin_thread, bc) != 0) {
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "ERR cannot start thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

static int Stop(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    stop_flag = 1;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Spinning(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    return RedisModule_ReplyWithLongLong(ctx, spinning);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "tmyield", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmy.spin", Spin, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmy.threadspin", ThreadSpin, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmy.stop", Stop, "allow-busy", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmy.spinning", Spinning, "allow-busy fast", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
