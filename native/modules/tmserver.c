/*
 * Trellis test module for server-wide APIs: scanning the keyspace and keys,
 * clients by id, access clocks (LRU/LFU), latency samples, command filters,
 * cluster answers of a standalone server, ResetDataset and Fork.
 *
 *   TMS2.SCAN                  every key with its type, via Scan
 *   TMS2.SCANKEY key           every element [field, value] via ScanKey
 *   TMS2.CLIENT id             [id, name, user, db, flags] or an error
 *   TMS2.SETNAME id name       SetClientNameById
 *   TMS2.WHOAMI                GetCurrentUserName
 *   TMS2.LRU key [idle-ms]     [get-rc, idle] after an optional SetLRU
 *   TMS2.LFU key [freq]        [get-rc, freq] after an optional SetLFU
 *   TMS2.LATENCY event ms      LatencyAddSample
 *   TMS2.CLUSTER key           [size, my-id?, nodes?, slot, canonical-name-slot]
 *   TMS2.RESET                 ResetDataset
 *   TMS2.FORK                  [pid, errno]
 *
 * With the argument "filter", a command filter rewrites "tms2.ping" into
 * "PING filtered", removes the argument "drop-me", and swaps an argument
 * "swap-me" for "swapped"; it counts what it saw (TMS2.FILTERED).
 */
#include "redismodule.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static long long filtered;
static RedisModuleCommandFilter *filter;

typedef struct {
    RedisModuleCtx *ctx;
    long long n;
} ScanState;

static void scan_cb(RedisModuleCtx *ctx, RedisModuleString *name, RedisModuleKey *key, void *pd) {
    ScanState *s = pd;
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithString(ctx, name);
    RedisModule_ReplyWithLongLong(ctx, key ? RedisModule_KeyType(key) : -1);
    s->n++;
}

static void count_cb(RedisModuleCtx *ctx, RedisModuleString *name, RedisModuleKey *key, void *pd) {
    (*(long long *)pd)++;
}

static int Scan(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    ScanState s = {ctx, 0};
    RedisModuleScanCursor *c = RedisModule_ScanCursorCreate();
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    while (RedisModule_Scan(ctx, c, scan_cb, &s));
    int again = RedisModule_Scan(ctx, c, scan_cb, &s); /* past the end: 0, ENOENT */
    RedisModule_ReplyWithLongLong(ctx, again == 0 && errno == ENOENT);
    long long recount = 0;
    RedisModule_ScanCursorRestart(c);
    while (RedisModule_Scan(ctx, c, count_cb, &recount));
    RedisModule_ScanCursorDestroy(c);
    RedisModule_ReplyWithLongLong(ctx, recount == s.n);
    RedisModule_ReplySetArrayLength(ctx, s.n + 2);
    return REDISMODULE_OK;
}

static void scankey_cb(RedisModuleKey *key, RedisModuleString *field, RedisModuleString *value, void *pd) {
    ScanState *s = pd;
    RedisModule_ReplyWithArray(s->ctx, 2);
    RedisModule_ReplyWithString(s->ctx, field);
    if (value) RedisModule_ReplyWithString(s->ctx, value); else RedisModule_ReplyWithNull(s->ctx);
    s->n++;
}

static int ScanKey(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    ScanState s = {ctx, 0};
    RedisModuleScanCursor *c = RedisModule_ScanCursorCreate();
    int t = RedisModule_KeyType(key);
    if (t != REDISMODULE_KEYTYPE_HASH && t != REDISMODULE_KEYTYPE_SET && t != REDISMODULE_KEYTYPE_ZSET) {
        /* ScanKey refuses other types with EINVAL */
        errno = 0;
        int rc = RedisModule_ScanKey(key, c, scankey_cb, &s);
        RedisModule_ScanCursorDestroy(c);
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, rc == 0 && errno == EINVAL ? "ERR not scannable" : "ERR scanned?");
    }
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    while (RedisModule_ScanKey(key, c, scankey_cb, &s));
    RedisModule_ReplySetArrayLength(ctx, s.n);
    RedisModule_ScanCursorDestroy(c);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int Client(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    unsigned long long id;
    RedisModule_StringToULongLong(argv[1], &id);
    RedisModuleClientInfo ci = REDISMODULE_CLIENTINFO_INITIALIZER_V1;
    if (RedisModule_GetClientInfoById(&ci, id) != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR no client");
    RedisModuleString *name = RedisModule_GetClientNameById(ctx, id);
    RedisModuleString *user = RedisModule_GetClientUserNameById(ctx, id);
    RedisModule_ReplyWithArray(ctx, 6);
    RedisModule_ReplyWithLongLong(ctx, (long long)ci.id);
    if (name) RedisModule_ReplyWithString(ctx, name); else RedisModule_ReplyWithNull(ctx);
    if (user) RedisModule_ReplyWithString(ctx, user); else RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithLongLong(ctx, ci.db);
    RedisModule_ReplyWithLongLong(ctx, (long long)ci.flags);
    RedisModule_ReplyWithCString(ctx, ci.addr);
    if (name) RedisModule_FreeString(ctx, name);
    if (user) RedisModule_FreeString(ctx, user);
    return REDISMODULE_OK;
}

static int SetName(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    unsigned long long id;
    RedisModule_StringToULongLong(argv[1], &id);
    if (RedisModule_SetClientNameById(id, argv[2]) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, errno == ENOENT ? "ERR no such client" : "ERR invalid name");
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int WhoAmI(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleString *u = RedisModule_GetCurrentUserName(ctx);
    RedisModule_ReplyWithString(ctx, u);
    RedisModule_FreeString(ctx, u);
    return REDISMODULE_OK;
}

static int Lru(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_OPEN_KEY_NOTOUCH);
    if (argc == 3) {
        long long idle;
        RedisModule_StringToLongLong(argv[2], &idle);
        if (RedisModule_SetLRU(key, idle) != REDISMODULE_OK) {
            RedisModule_CloseKey(key);
            return RedisModule_ReplyWithError(ctx, "ERR set failed");
        }
    }
    mstime_t idle;
    int rc = RedisModule_GetLRU(key, &idle);
    RedisModule_CloseKey(key);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, rc);
    RedisModule_ReplyWithLongLong(ctx, idle);
    return REDISMODULE_OK;
}

static int Lfu(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_OPEN_KEY_NOTOUCH);
    if (argc == 3) {
        long long f;
        RedisModule_StringToLongLong(argv[2], &f);
        if (RedisModule_SetLFU(key, f) != REDISMODULE_OK) {
            RedisModule_CloseKey(key);
            return RedisModule_ReplyWithError(ctx, "ERR set failed");
        }
    }
    long long freq;
    int rc = RedisModule_GetLFU(key, &freq);
    RedisModule_CloseKey(key);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, rc);
    RedisModule_ReplyWithLongLong(ctx, freq);
    return REDISMODULE_OK;
}

static int Latency(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long ms;
    RedisModule_StringToLongLong(argv[2], &ms);
    RedisModule_LatencyAddSample(RedisModule_StringPtrLen(argv[1], NULL), ms);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Cluster(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    size_t n = 99;
    char **nodes = RedisModule_GetClusterNodesList(ctx, &n);
    unsigned int slot = RedisModule_ClusterKeySlot(argv[1]);
    const char *canon = RedisModule_ClusterCanonicalKeyNameInSlot(slot);
    RedisModuleString *cs = RedisModule_CreateString(ctx, canon, strlen(canon));
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_GetClusterSize());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetMyClusterID() != NULL);
    RedisModule_ReplyWithLongLong(ctx, nodes != NULL);
    RedisModule_ReplyWithLongLong(ctx, slot);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ClusterKeySlot(cs) == slot);
    RedisModule_FreeString(ctx, cs);
    return REDISMODULE_OK;
}

static int Reset(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ResetDataset(0, 0);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Fork(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    errno = 0;
    int pid = RedisModule_Fork(NULL, NULL);
    int e = errno;
    if (pid == 0) RedisModule_ExitFromChild(0); /* never here in Trellis */
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, pid);
    RedisModule_ReplyWithLongLong(ctx, e != 0);
    return REDISMODULE_OK;
}

static int Ping(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithSimpleString(ctx, "module ping (not filtered)");
}

static int Filtered(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithLongLong(ctx, filtered);
}

static int CallEcho(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    /* The module's own filter (NOSELF) leaves its Calls alone. */
    RedisModuleCallReply *r = RedisModule_Call(ctx, "ECHO", "c", "swap-me");
    RedisModule_ReplyWithCallReply(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

static void command_filter(RedisModuleCommandFilterCtx *f) {
    filtered++;
    size_t len;
    const char *cmd = RedisModule_StringPtrLen(RedisModule_CommandFilterArgGet(f, 0), &len);
    if (len == 9 && !strncasecmp(cmd, "tms2.ping", 9)) {
        RedisModule_CommandFilterArgReplace(f, 0, RedisModule_CreateString(NULL, "PING", 4));
        RedisModule_CommandFilterArgInsert(f, 1, RedisModule_CreateString(NULL, "filtered", 8));
        return;
    }
    for (int i = RedisModule_CommandFilterArgsCount(f) - 1; i > 0; i--) {
        const char *a = RedisModule_StringPtrLen(RedisModule_CommandFilterArgGet(f, i), &len);
        if (len == 7 && !memcmp(a, "drop-me", 7)) RedisModule_CommandFilterArgDelete(f, i);
        else if (len == 7 && !memcmp(a, "swap-me", 7))
            RedisModule_CommandFilterArgReplace(f, i, RedisModule_CreateString(NULL, "swapped", 7));
    }
}

static int Unfilter(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    int rc = filter ? RedisModule_UnregisterCommandFilter(ctx, filter) : REDISMODULE_ERR;
    filter = NULL;
    return RedisModule_ReplyWithLongLong(ctx, rc == REDISMODULE_OK);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmserver", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(RedisModule_StringPtrLen(argv[i], NULL), "filter"))
            filter = RedisModule_RegisterCommandFilter(ctx, command_filter, REDISMODULE_CMDFILTER_NOSELF);
    }
    struct { const char *name; RedisModuleCmdFunc fn; const char *flags; } cmds[] = {
        {"tms2.scan", Scan, "readonly"}, {"tms2.scankey", ScanKey, "readonly"}, {"tms2.client", Client, "readonly"},
        {"tms2.setname", SetName, "readonly"}, {"tms2.whoami", WhoAmI, "readonly"}, {"tms2.lru", Lru, "readonly"},
        {"tms2.lfu", Lfu, "readonly"}, {"tms2.latency", Latency, "readonly"}, {"tms2.cluster", Cluster, "readonly"},
        {"tms2.reset", Reset, "write"}, {"tms2.fork", Fork, "readonly"}, {"tms2.ping", Ping, "readonly"},
        {"tms2.filtered", Filtered, "readonly"}, {"tms2.unfilter", Unfilter, "readonly"},
        {"tms2.callecho", CallEcho, "readonly"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
