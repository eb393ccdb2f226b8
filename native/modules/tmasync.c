/*
 * Trellis test module for the asynchronous APIs: timers, the dictionary,
 * thread-safe contexts with the GIL, and blocked clients.
 *
 *   TMA.TIMER key ms value        timer that sets key to value; replies the id
 *   TMA.TIMERINFO id              [remaining-ms, value] or nil
 *   TMA.STOPTIMER id              1 when stopped
 *   TMA.DICT op key n k...        fill a dict with k..., seek, then n steps
 *                                 forward and n back; also checks Set/Replace/Del
 *   TMA.BLOCK ms value            a thread sleeps ms (measured as background time) then unblocks with value
 *   TMA.BLOCKTO timeout sleep     as TMA.BLOCK, with a timeout callback
 *   TMA.THREADINCR key n          a thread INCRs key n times under the GIL,
 *                                 then replies through a thread-safe context
 *   TMA.TRYLOCK ms                a thread waits ms, then TryLock (server idle)
 *   TMA.BPOP key timeout          block on a list key; serve with LPOP
 *   TMA.BPOPLONG key n timeout    block until the list has n elements (declining meanwhile)
 *   TMA.STATS                     [frees of privdata, disconnects, timeouts]
 */
#include "redismodule.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long privdata_frees, disconnects, timeouts;
/* Calls of the on-keys reply callbacks: how often a key was found ready for a waiter. */
static long long key_wakeups;

/* --- timers ------------------------------------------------------------- */

typedef struct {
    RedisModuleString *key, *value;
} TimerData;

static void timer_fired(RedisModuleCtx *ctx, void *p) {
    TimerData *d = p;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "ss", d->key, d->value);
    if (r) RedisModule_FreeCallReply(r);
    RedisModule_FreeString(NULL, d->key);
    RedisModule_FreeString(NULL, d->value);
    RedisModule_Free(d);
}

static int Timer(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long ms;
    if (RedisModule_StringToLongLong(argv[2], &ms) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR ms");
    TimerData *d = RedisModule_Alloc(sizeof(*d));
    d->key = RedisModule_CreateStringFromString(NULL, argv[1]);
    d->value = RedisModule_CreateStringFromString(NULL, argv[3]);
    RedisModuleTimerID id = RedisModule_CreateTimer(ctx, ms, timer_fired, d);
    RedisModuleString *s = RedisModule_CreateStringPrintf(ctx, "%llu", (unsigned long long)id);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int parse_id(RedisModuleString *s, RedisModuleTimerID *id) {
    unsigned long long v;
    if (RedisModule_StringToULongLong(s, &v) != REDISMODULE_OK) return 0;
    *id = v;
    return 1;
}

static int TimerInfo(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleTimerID id;
    if (!parse_id(argv[1], &id)) return RedisModule_ReplyWithError(ctx, "ERR id");
    uint64_t remaining;
    void *data;
    if (RedisModule_GetTimerInfo(ctx, id, &remaining, &data) != REDISMODULE_OK) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, (long long)remaining);
    RedisModule_ReplyWithString(ctx, ((TimerData *)data)->value);
    return REDISMODULE_OK;
}

static int StopTimer(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleTimerID id;
    if (!parse_id(argv[1], &id)) return RedisModule_ReplyWithError(ctx, "ERR id");
    void *data;
    if (RedisModule_StopTimer(ctx, id, &data) != REDISMODULE_OK) return RedisModule_ReplyWithLongLong(ctx, 0);
    TimerData *d = data;
    RedisModule_FreeString(NULL, d->key);
    RedisModule_FreeString(NULL, d->value);
    RedisModule_Free(d);
    return RedisModule_ReplyWithLongLong(ctx, 1);
}

/* --- dictionary ---------------------------------------------------------- */

static int Dict(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleDict *d = RedisModule_CreateDict(ctx);
    long long n;
    RedisModule_StringToLongLong(argv[3], &n);
    /* values are the 1-based position of the key on the command line */
    for (int i = 4; i < argc; i++) {
        if (RedisModule_DictSet(d, argv[i], (void *)(intptr_t)(i - 3)) != REDISMODULE_OK)
            return RedisModule_ReplyWithError(ctx, "ERR duplicate");
    }
    /* Set refuses an existing key, Replace overwrites it (and says it existed). */
    if (argc > 4) {
        if (RedisModule_DictSet(d, argv[4], (void *)1) != REDISMODULE_ERR) return RedisModule_ReplyWithError(ctx, "ERR set");
        if (RedisModule_DictReplace(d, argv[4], (void *)1) != REDISMODULE_ERR) return RedisModule_ReplyWithError(ctx, "ERR replace");
        int nokey = 0;
        if (RedisModule_DictGetC(d, "no such key", 11, &nokey) != NULL || !nokey) return RedisModule_ReplyWithError(ctx, "ERR get");
        if (RedisModule_DictReplaceC(d, "zz-temp", 7, (void *)99) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR replacec");
        void *old = NULL;
        if (RedisModule_DictDelC(d, "zz-temp", 7, &old) != REDISMODULE_OK || old != (void *)99) return RedisModule_ReplyWithError(ctx, "ERR del");
        if (RedisModule_DictDelC(d, "zz-temp", 7, NULL) != REDISMODULE_ERR) return RedisModule_ReplyWithError(ctx, "ERR del2");
    }
    const char *op = RedisModule_StringPtrLen(argv[1], NULL);
    RedisModuleDictIter *it = RedisModule_DictIteratorStart(d, op, argv[2]);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long long count = 0;
    /* compare the seek position with the seek key (1 or 0) */
    RedisModule_ReplyWithLongLong(ctx, RedisModule_DictCompare(it, op, argv[2]) == REDISMODULE_OK);
    count++;
    for (long long i = 0; i < n; i++) {
        void *data;
        RedisModuleString *k = RedisModule_DictNext(ctx, it, &data);
        if (!k) { RedisModule_ReplyWithNull(ctx); count++; break; }
        RedisModule_ReplyWithString(ctx, k);
        RedisModule_ReplyWithLongLong(ctx, (long long)(intptr_t)data);
        count += 2;
    }
    RedisModule_DictIteratorReseek(it, op, argv[2]);
    for (long long i = 0; i < n; i++) {
        size_t len;
        void *data;
        char *k = RedisModule_DictPrevC(it, &len, &data);
        if (!k) { RedisModule_ReplyWithNull(ctx); count++; break; }
        RedisModule_ReplyWithStringBuffer(ctx, k, len);
        count++;
    }
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_DictSize(d));
    count++;
    RedisModule_ReplySetArrayLength(ctx, count);
    RedisModule_DictIteratorStop(it);
    return REDISMODULE_OK;
}

/* --- blocked clients ----------------------------------------------------- */

typedef struct {
    RedisModuleBlockedClient *bc;
    long long ms;
    RedisModuleString *value;
    RedisModuleString *key;
    long long n;
} Job;

static void free_privdata(RedisModuleCtx *ctx, void *p) {
    RedisModuleString *s = p;
    RedisModule_FreeString(NULL, s);
    privdata_frees++;
}

static int reply_value(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleString *s = RedisModule_GetBlockedClientPrivateData(ctx);
    if (!RedisModule_IsBlockedReplyRequest(ctx)) return RedisModule_ReplyWithError(ctx, "ERR not a reply request");
    return RedisModule_ReplyWithString(ctx, s);
}

static int reply_timeout(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    timeouts++;
    if (!RedisModule_IsBlockedTimeoutRequest(ctx)) return RedisModule_ReplyWithError(ctx, "ERR not a timeout request");
    return RedisModule_ReplyWithSimpleString(ctx, "timeout");
}

static void on_disconnect(RedisModuleCtx *ctx, RedisModuleBlockedClient *bc) {
    disconnects++;
}

static void *sleeper(void *arg) {
    Job *j = arg;
    RedisModule_BlockedClientMeasureTimeStart(j->bc); /* counts in the command's duration */
    usleep(j->ms * 1000);
    RedisModule_BlockedClientMeasureTimeEnd(j->bc);
    RedisModule_UnblockClient(j->bc, j->value);
    RedisModule_Free(j);
    return NULL;
}

static int start_thread(void *(*fn)(void *), void *arg) {
    pthread_t t;
    if (pthread_create(&t, NULL, fn, arg) != 0) return 0;
    pthread_detach(t);
    return 1;
}

static int Block(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    Job *j = RedisModule_Calloc(1, sizeof(*j));
    RedisModule_StringToLongLong(argv[1], &j->ms);
    j->value = RedisModule_CreateStringFromString(NULL, argv[2]);
    j->bc = RedisModule_BlockClient(ctx, reply_value, NULL, free_privdata, 0);
    RedisModule_SetDisconnectCallback(j->bc, on_disconnect);
    if (!start_thread(sleeper, j)) {
        RedisModule_AbortBlock(j->bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    return REDISMODULE_OK;
}

static int BlockTo(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long timeout;
    Job *j = RedisModule_Calloc(1, sizeof(*j));
    RedisModule_StringToLongLong(argv[1], &timeout);
    RedisModule_StringToLongLong(argv[2], &j->ms);
    j->value = RedisModule_CreateString(NULL, "late", 4);
    j->bc = RedisModule_BlockClient(ctx, reply_value, reply_timeout, free_privdata, timeout);
    if (!start_thread(sleeper, j)) {
        RedisModule_AbortBlock(j->bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    return REDISMODULE_OK;
}

static void *incr_worker(void *arg) {
    Job *j = arg;
    RedisModuleCtx *ts = RedisModule_GetThreadSafeContext(j->bc);
    for (long long i = 0; i < j->n; i++) {
        RedisModule_ThreadSafeContextLock(ts);
        RedisModuleCallReply *r = RedisModule_Call(ts, "INCR", "s", j->key);
        if (r) RedisModule_FreeCallReply(r);
        RedisModule_ThreadSafeContextUnlock(ts);
    }
    /* Replies from a thread-safe context of a blocked client reach it at unblock. */
    RedisModule_ReplyWithArray(ts, 2);
    RedisModule_ReplyWithSimpleString(ts, "done");
    RedisModule_ReplyWithLongLong(ts, j->n);
    RedisModule_FreeThreadSafeContext(ts);
    RedisModule_FreeString(NULL, j->key);
    RedisModule_UnblockClient(j->bc, NULL);
    RedisModule_Free(j);
    return NULL;
}

static int ThreadIncr(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    Job *j = RedisModule_Calloc(1, sizeof(*j));
    j->key = RedisModule_CreateStringFromString(NULL, argv[1]);
    RedisModule_StringToLongLong(argv[2], &j->n);
    j->bc = RedisModule_BlockClient(ctx, NULL, NULL, NULL, 0);
    if (!start_thread(incr_worker, j)) {
        RedisModule_AbortBlock(j->bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    return REDISMODULE_OK;
}

static void *trylock_worker(void *arg) {
    Job *j = arg;
    RedisModuleCtx *ts = RedisModule_GetThreadSafeContext(j->bc);
    usleep(j->ms * 1000);
    int ok = 0;
    for (int tries = 0; tries < 200 && !ok; tries++) {
        if (RedisModule_ThreadSafeContextTryLock(ts) == REDISMODULE_OK) {
            ok = 1;
            RedisModule_ThreadSafeContextUnlock(ts);
        } else {
            usleep(1000);
        }
    }
    RedisModule_ReplyWithSimpleString(ts, ok ? "locked" : "busy");
    RedisModule_FreeThreadSafeContext(ts);
    RedisModule_UnblockClient(j->bc, NULL);
    RedisModule_Free(j);
    return NULL;
}

static int TryLock(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    Job *j = RedisModule_Calloc(1, sizeof(*j));
    RedisModule_StringToLongLong(argv[1], &j->ms);
    j->bc = RedisModule_BlockClient(ctx, NULL, NULL, NULL, 0);
    if (!start_thread(trylock_worker, j)) {
        RedisModule_AbortBlock(j->bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    return REDISMODULE_OK;
}

static int bpop_reply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    key_wakeups++;
    RedisModuleString *key = RedisModule_GetBlockedClientReadyKey(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "LPOP", "s!", key);
    if (!r || RedisModule_CallReplyType(r) != REDISMODULE_REPLY_STRING) {
        if (r) RedisModule_FreeCallReply(r);
        return REDISMODULE_ERR; /* not served: stay blocked */
    }
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

static int BPop(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long timeout;
    RedisModule_StringToLongLong(argv[2], &timeout);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "LPOP", "s!", argv[1]);
    if (r && RedisModule_CallReplyType(r) == REDISMODULE_REPLY_STRING) {
        RedisModule_ReplyWithCallReply(ctx, r);
        RedisModule_FreeCallReply(r);
        return REDISMODULE_OK;
    }
    if (r) RedisModule_FreeCallReply(r);
    RedisModule_BlockClientOnKeys(ctx, bpop_reply, reply_timeout, NULL, timeout, &argv[1], 1, NULL);
    return REDISMODULE_OK;
}

/* TMA.BPOPLONG key n timeout: block until the list at key has n elements, then reply its
 * length. The reply callback looks through a key opened for writing and declines (ERR) while
 * the list is too short. */
static int bpoplong_reply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    key_wakeups++;
    long long *need = RedisModule_GetBlockedClientPrivateData(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, RedisModule_GetBlockedClientReadyKey(ctx), REDISMODULE_WRITE);
    long long len = (long long)RedisModule_ValueLength(k);
    RedisModule_CloseKey(k);
    if (len < *need) return REDISMODULE_ERR;
    return RedisModule_ReplyWithLongLong(ctx, len);
}

static void free_need(RedisModuleCtx *ctx, void *p) {
    RedisModule_Free(p);
}

static int BPopLong(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long *need = RedisModule_Alloc(sizeof(*need)), timeout;
    RedisModule_StringToLongLong(argv[2], need);
    RedisModule_StringToLongLong(argv[3], &timeout);
    RedisModule_BlockClientOnKeys(ctx, bpoplong_reply, reply_timeout, free_need, timeout, &argv[1], 1, need);
    return REDISMODULE_OK;
}

/* TMA.TIMERUNBLOCK period timeout: blocks (no reply or timeout callback) and lets a timer of
 * the given period reply OK through a thread-safe context and unblock the client. */
static void unblock_timer_fired(RedisModuleCtx *ctx, void *data) {
    RedisModuleBlockedClient *bc = data;
    RedisModuleCtx *ts = RedisModule_GetThreadSafeContext(bc);
    RedisModule_ReplyWithSimpleString(ts, "OK");
    RedisModule_UnblockClient(bc, NULL);
    RedisModule_FreeThreadSafeContext(ts);
}

static int TimerUnblock(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long period, timeout;
    RedisModule_StringToLongLong(argv[1], &period);
    RedisModule_StringToLongLong(argv[2], &timeout);
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, NULL, NULL, NULL, timeout);
    RedisModule_CreateTimer(ctx, period, unblock_timer_fired, bc);
    return REDISMODULE_OK;
}

/* TMA.BGERROR: a thread replies an error through a thread-safe context, then unblocks. */
static void *bgerror_worker(void *arg) {
    RedisModuleBlockedClient *bc = arg;
    RedisModuleCtx *ts = RedisModule_GetThreadSafeContext(bc);
    RedisModule_ReplyWithError(ts, "BGERR from a thread");
    RedisModule_FreeThreadSafeContext(ts);
    RedisModule_UnblockClient(bc, NULL);
    return NULL;
}

static int BgError(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModuleBlockedClient *bc = RedisModule_BlockClient(ctx, NULL, NULL, NULL, 0);
    if (!start_thread(bgerror_worker, bc)) {
        RedisModule_AbortBlock(bc);
        return RedisModule_ReplyWithError(ctx, "ERR thread");
    }
    return REDISMODULE_OK;
}

/* TMA.SIGNAL key: RedisModule_SignalKeyAsReady, the module's own way to wake clients blocked
 * on a key that already exists. */
static int Signal(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_SignalKeyAsReady(ctx, argv[1]);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Stats(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, 4);
    RedisModule_ReplyWithLongLong(ctx, privdata_frees);
    RedisModule_ReplyWithLongLong(ctx, disconnects);
    RedisModule_ReplyWithLongLong(ctx, timeouts);
    RedisModule_ReplyWithLongLong(ctx, key_wakeups);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmasync", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    struct { const char *name; RedisModuleCmdFunc fn; const char *flags; int first, last; } cmds[] = {
        {"tma.timer", Timer, "write", 1, 1},
        {"tma.timerinfo", TimerInfo, "readonly", 0, 0},
        {"tma.stoptimer", StopTimer, "write", 0, 0},
        {"tma.dict", Dict, "readonly", 0, 0},
        {"tma.block", Block, "readonly", 0, 0},
        {"tma.blockto", BlockTo, "readonly", 0, 0},
        {"tma.threadincr", ThreadIncr, "write", 1, 1},
        {"tma.trylock", TryLock, "readonly", 0, 0},
        {"tma.bpop", BPop, "write", 1, 1},
        {"tma.bpoplong", BPopLong, "write", 1, 1},
        {"tma.stats", Stats, "readonly", 0, 0},
        {"tma.signal", Signal, "readonly", 1, 1},
        {"tma.timerunblock", TimerUnblock, "readonly", 0, 0},
        {"tma.bgerror", BgError, "readonly", 0, 0},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].first, cmds[i].last, 1) ==
            REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
