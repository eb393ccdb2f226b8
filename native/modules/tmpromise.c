/*
 * Trellis test module for RedisModule_Call with the 'K' flag (call-reply promises).
 *
 *   TMP.CALL cmd args...      Call with "!KEv"; when the command blocks, blocks the caller
 *                             and replies, from the unblock handler, what the command replied
 *                             (a disconnect of the caller aborts the promise)
 *   TMP.FORGET cmd args...    Call with "!KEv"; on a promise replies +promise, and the handler
 *                             later stores the command's reply (its second array element, or
 *                             the string) in key tmp:last with Call from its own context
 *   TMP.ABORT cmd args...     Call with "KEv", set a handler, abort at once: replies
 *                             [abort result, private data given back, second abort result]
 *   TMP.NOK cmd args...       Call with "Ev" (blocking not allowed): replies what it got
 *   TMP.DENYFLAG              1 when the context says blocking is denied (DENY_BLOCKING)
 *   TMP.STATS                 [handler calls, handler calls with a non-promise reply type]
 */
#include "redismodule.h"
#include <string.h>

static long long handler_calls, handler_typed;
static int marker;

/* The caller blocked on our behalf; the promise is its private data until it ends. */
static void call_unblocked(RedisModuleCtx *ctx, RedisModuleCallReply *reply, void *pd) {
    RedisModuleBlockedClient *bc = pd;
    handler_calls++;
    if (RedisModule_CallReplyType(reply) != REDISMODULE_REPLY_PROMISE) handler_typed++;
    RedisModuleCtx *tctx = RedisModule_GetThreadSafeContext(bc);
    RedisModule_ReplyWithCallReply(tctx, reply);
    RedisModule_FreeThreadSafeContext(tctx);
    RedisModule_FreeCallReply(reply);
    RedisModule_UnblockClient(bc, RedisModule_BlockClientGetPrivateData(bc));
}

static void free_promise(RedisModuleCtx *ctx, void *pd) {
    RedisModule_FreeCallReply(pd);
}

static void caller_gone(RedisModuleCtx *ctx, RedisModuleBlockedClient *bc) {
    RedisModuleCallReply *promise = RedisModule_BlockClientGetPrivateData(bc);
    RedisModule_CallReplyPromiseAbort(promise, NULL);
    RedisModule_FreeCallReply(promise);
    RedisModule_AbortBlock(bc);
}

/* Runs argv[1] with the arguments after it and the Call format fmt. Returns the promise when
 * the command blocked; otherwise replies with what it answered (or an error) and returns NULL. */
static RedisModuleCallReply *call_or_reply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, const char *fmt) {
    const char *cmd = RedisModule_StringPtrLen(argv[1], NULL);
    RedisModuleCallReply *rep = RedisModule_Call(ctx, cmd, fmt, argv + 2, argc - 2);
    if (!rep) {
        RedisModule_ReplyWithError(ctx, "ERR Call failed");
        return NULL;
    }
    if (RedisModule_CallReplyType(rep) != REDISMODULE_REPLY_PROMISE) {
        RedisModule_ReplyWithCallReply(ctx, rep);
        RedisModule_FreeCallReply(rep);
        return NULL;
    }
    return rep;
}

static int Call(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *rep = call_or_reply(ctx, argv, argc, "!KEv");
    if (!rep) return REDISMODULE_OK;
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, NULL, NULL, free_promise, 0);
    RedisModule_SetDisconnectCallback(bc, caller_gone);
    RedisModule_BlockClientSetPrivateData(bc, rep);
    RedisModule_CallReplyPromiseSetUnblockHandler(rep, call_unblocked, bc);
    return REDISMODULE_OK;
}

static void forget_unblocked(RedisModuleCtx *ctx, RedisModuleCallReply *reply, void *pd) {
    handler_calls++;
    if (RedisModule_CallReplyType(reply) != REDISMODULE_REPLY_PROMISE) handler_typed++;
    RedisModuleCallReply *value = reply;
    if (RedisModule_CallReplyType(reply) == REDISMODULE_REPLY_ARRAY) value = RedisModule_CallReplyArrayElement(reply, 1);
    size_t len = 0;
    const char *s = value ? RedisModule_CallReplyStringPtr(value, &len) : NULL;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "!cb", "tmp:last", s ? s : "(nil)", s ? len : 5);
    if (r) RedisModule_FreeCallReply(r);
    RedisModule_FreeCallReply(reply);
}

static int Forget(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *rep = call_or_reply(ctx, argv, argc, "!KEv");
    if (!rep) return REDISMODULE_OK;
    RedisModule_CallReplyPromiseSetUnblockHandler(rep, forget_unblocked, NULL);
    RedisModule_ReplyWithSimpleString(ctx, "promise");
    RedisModule_FreeCallReply(rep); /* the promise goes on without its reply object */
    return REDISMODULE_OK;
}

static int Abort(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *rep = call_or_reply(ctx, argv, argc, "KEv");
    if (!rep) return REDISMODULE_OK;
    RedisModule_CallReplyPromiseSetUnblockHandler(rep, forget_unblocked, &marker);
    void *back = NULL;
    int first = RedisModule_CallReplyPromiseAbort(rep, &back);
    int second = RedisModule_CallReplyPromiseAbort(rep, NULL);
    RedisModule_FreeCallReply(rep);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, first == REDISMODULE_OK);
    RedisModule_ReplyWithLongLong(ctx, back == &marker);
    RedisModule_ReplyWithLongLong(ctx, second == REDISMODULE_OK);
    return REDISMODULE_OK;
}

static int NoK(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    /* Without K a blocking command answers at once: there is never a promise to keep. */
    RedisModuleCallReply *rep = call_or_reply(ctx, argv, argc, "Ev");
    if (rep) {
        RedisModule_ReplyWithCallReply(ctx, rep);
        RedisModule_FreeCallReply(rep);
    }
    return REDISMODULE_OK;
}

static int DenyFlag(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithLongLong(ctx, (RedisModule_GetContextFlags(ctx) & REDISMODULE_CTX_FLAGS_DENY_BLOCKING) != 0);
}

static int Stats(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, handler_calls);
    RedisModule_ReplyWithLongLong(ctx, handler_typed);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmpromise", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmp.call", Call, "write", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmp.forget", Forget, "write", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmp.abort", Abort, "write", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmp.nok", NoK, "write", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmp.denyflag", DenyFlag, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmp.stats", Stats, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
