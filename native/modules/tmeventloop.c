/*
 * Trellis test module for the event loop API and the (inert) defrag API.
 *
 *   TME.TRANSFER n        a pipe carries n bytes from a writable callback to a readable one
 *                         (both non-blocking, so large n takes many rounds); the blocked
 *                         client gets +done when the reader has them all
 *   TME.ONESHOT           a thread schedules a one-shot callback, which unblocks with +oneshot
 *   TME.ERRORS            errno of bad calls: [bad mask, negative fd, huge fd, null callback,
 *                         del of an unregistered fd (0: accepted), null one-shot callback]
 *   TME.TURNS             [before-sleep count, after-sleep count] of EVENTLOOP events
 *   TME.DEFRAG            what the defrag functions answer outside a defrag cycle
 */
#include "redismodule.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int fds[2];
    long long total, sent, received;
    char chunk[4096];
    RedisModuleBlockedClient *bc;
} Transfer;

static long long before_sleep, after_sleep;

static int done_reply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    long long *n = RedisModule_GetBlockedClientPrivateData(ctx);
    return RedisModule_ReplyWithSimpleString(ctx, n ? "done" : "oneshot");
}

static void free_privdata(RedisModuleCtx *ctx, void *p) {
    (void)ctx;
    RedisModule_Free(p);
}

static void on_writable(int fd, void *user_data, int mask) {
    (void)mask;
    Transfer *t = user_data;
    while (t->sent < t->total) {
        long long left = t->total - t->sent;
        ssize_t w = write(fd, t->chunk, left < (long long)sizeof(t->chunk) ? (size_t)left : sizeof(t->chunk));
        if (w <= 0) return; /* pipe full: called again when it drains */
        t->sent += w;
    }
    RedisModule_EventLoopDel(fd, REDISMODULE_EVENTLOOP_WRITABLE);
}

static void on_readable(int fd, void *user_data, int mask) {
    (void)mask;
    Transfer *t = user_data;
    char buf[8192];
    ssize_t r;
    while ((r = read(fd, buf, sizeof(buf))) > 0) t->received += r;
    if (t->received < t->total) return;
    RedisModule_EventLoopDel(fd, REDISMODULE_EVENTLOOP_READABLE);
    close(t->fds[0]);
    close(t->fds[1]);
    long long *n = RedisModule_Alloc(sizeof(*n));
    *n = t->received;
    RedisModule_UnblockClient(t->bc, n);
    RedisModule_Free(t);
}

static int Transfer_cmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long n;
    if (RedisModule_StringToLongLong(argv[1], &n) != REDISMODULE_OK || n <= 0)
        return RedisModule_ReplyWithError(ctx, "ERR bad length");
    Transfer *t = RedisModule_Calloc(1, sizeof(*t));
    t->total = n;
    if (pipe(t->fds) != 0) {
        RedisModule_Free(t);
        return RedisModule_ReplyWithError(ctx, "ERR pipe");
    }
    fcntl(t->fds[0], F_SETFL, O_NONBLOCK);
    fcntl(t->fds[1], F_SETFL, O_NONBLOCK);
    t->bc = RedisModule_BlockClient(ctx, done_reply, NULL, free_privdata, 0);
    RedisModule_EventLoopAdd(t->fds[0], REDISMODULE_EVENTLOOP_READABLE, on_readable, t);
    RedisModule_EventLoopAdd(t->fds[1], REDISMODULE_EVENTLOOP_WRITABLE, on_writable, t);
    return REDISMODULE_OK;
}

static void oneshot_fired(void *user_data) {
    RedisModule_UnblockClient(user_data, NULL);
}

static void *oneshot_thread(void *arg) {
    usleep(20000);
    RedisModule_EventLoopAddOneShot(oneshot_fired, arg);
    return NULL;
}

static int Oneshot_cmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, done_reply, NULL, NULL, 0);
    pthread_t tid;
    if (pthread_create(&tid, NULL, oneshot_thread, bc) != 0) {
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    pthread_detach(tid);
    return REDISMODULE_OK;
}

static void never(int fd, void *user_data, int mask) {
    (void)fd;
    (void)user_data;
    (void)mask;
}

static int errno_of(int rc) {
    return rc == REDISMODULE_OK ? -1 : errno;
}

static int Errors_cmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    int fds[2];
    if (pipe(fds) != 0) return RedisModule_ReplyWithError(ctx, "ERR pipe");
    RedisModule_ReplyWithArray(ctx, 6);
    RedisModule_ReplyWithLongLong(ctx, errno_of(RedisModule_EventLoopAdd(fds[0], 1 << 5, never, NULL)));
    RedisModule_ReplyWithLongLong(ctx, errno_of(RedisModule_EventLoopAdd(-1, REDISMODULE_EVENTLOOP_READABLE, never, NULL)));
    RedisModule_ReplyWithLongLong(ctx, errno_of(RedisModule_EventLoopAdd(1 << 28, REDISMODULE_EVENTLOOP_READABLE, never, NULL)));
    RedisModule_ReplyWithLongLong(ctx, errno_of(RedisModule_EventLoopAdd(fds[0], REDISMODULE_EVENTLOOP_READABLE, NULL, NULL)));
    int rc = RedisModule_EventLoopDel(fds[0], REDISMODULE_EVENTLOOP_READABLE);
    RedisModule_ReplyWithLongLong(ctx, rc == REDISMODULE_OK ? errno : -1);
    RedisModule_ReplyWithLongLong(ctx, errno_of(RedisModule_EventLoopAddOneShot(NULL, NULL)));
    close(fds[0]);
    close(fds[1]);
    return REDISMODULE_OK;
}

static void on_loop(RedisModuleCtx *ctx, RedisModuleEvent e, uint64_t sub, void *data) {
    (void)ctx;
    (void)e;
    (void)data;
    if (sub == REDISMODULE_SUBEVENT_EVENTLOOP_BEFORE_SLEEP) before_sleep++;
    else if (sub == REDISMODULE_SUBEVENT_EVENTLOOP_AFTER_SLEEP) after_sleep++;
}

static int Turns_cmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, before_sleep);
    return RedisModule_ReplyWithLongLong(ctx, after_sleep);
}

static void defrag_global(RedisModuleDefragCtx *ctx) {
    (void)ctx;
}

static int Defrag_cmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    if (argc != 1) return RedisModule_WrongArity(ctx);
    void *p = RedisModule_DefragAllocRaw(NULL, 64);
    memset(p, 7, 64);
    RedisModule_DefragFreeRaw(NULL, p);
    unsigned long cursor = 0;
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DefragAlloc(NULL, p) == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DefragShouldStop(NULL));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DefragCursorSet(NULL, 5) == REDISMODULE_ERR);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DefragCursorGet(NULL, &cursor) == REDISMODULE_ERR);
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_GetDbIdFromDefragCtx(NULL));
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    (void)argv;
    (void)argc;
    if (RedisModule_Init(ctx, "tmeventloop", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_RegisterDefragFunc(ctx, defrag_global) != REDISMODULE_OK) return REDISMODULE_ERR;
    if (RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_EventLoop, on_loop) != REDISMODULE_OK)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tme.transfer", Transfer_cmd, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tme.oneshot", Oneshot_cmd, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tme.errors", Errors_cmd, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tme.turns", Turns_cmd, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tme.defrag", Defrag_cmd, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
