/*
 * Trellis test module for the list, sorted set and hash key API, including
 * the errno Redis sets on failures.
 */
#include "redismodule.h"
#include <errno.h>
#include <string.h>

static const char *errname(int e) {
    switch (e) {
    case 0: return "0";
    case EINVAL: return "EINVAL";
    case ENOTSUP: return "ENOTSUP";
    case EBADF: return "EBADF";
    case EDOM: return "EDOM";
    case ENOENT: return "ENOENT";
    default: return "OTHER";
    }
}

static int modeof(RedisModuleString *s) {
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    int m = 0;
    if (memchr(p, 'r', len)) m |= REDISMODULE_READ;
    if (memchr(p, 'w', len)) m |= REDISMODULE_WRITE;
    return m;
}

static long long num(RedisModuleString *s) {
    long long v = 0;
    RedisModule_StringToLongLong(s, &v);
    return v;
}

static int status(RedisModuleCtx *ctx, int rc) {
    if (rc == REDISMODULE_OK) return RedisModule_ReplyWithSimpleString(ctx, "OK");
    return RedisModule_ReplyWithSimpleString(ctx, errname(errno));
}

/* TMA.LIST mode key op [args]: op is push-head v, push-tail v, pop-head, pop-tail,
 * get i, set i v, insert i v, delete i. Replies OK/the element, or the errno name. */
static int List(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], modeof(argv[1]));
    size_t oplen;
    const char *op = RedisModule_StringPtrLen(argv[3], &oplen);
    errno = 0;
    if (!strcmp(op, "push-head")) return status(ctx, RedisModule_ListPush(k, REDISMODULE_LIST_HEAD, argv[4]));
    if (!strcmp(op, "push-tail")) return status(ctx, RedisModule_ListPush(k, REDISMODULE_LIST_TAIL, argv[4]));
    if (!strcmp(op, "push-null")) return status(ctx, RedisModule_ListPush(k, REDISMODULE_LIST_TAIL, NULL));
    if (!strcmp(op, "set")) return status(ctx, RedisModule_ListSet(k, num(argv[4]), argv[5]));
    if (!strcmp(op, "insert")) return status(ctx, RedisModule_ListInsert(k, num(argv[4]), argv[5]));
    if (!strcmp(op, "delete")) return status(ctx, RedisModule_ListDelete(k, num(argv[4])));
    RedisModuleString *e = NULL;
    if (!strcmp(op, "pop-head")) e = RedisModule_ListPop(k, REDISMODULE_LIST_HEAD);
    else if (!strcmp(op, "pop-tail")) e = RedisModule_ListPop(k, REDISMODULE_LIST_TAIL);
    else if (!strcmp(op, "get")) e = RedisModule_ListGet(k, num(argv[4]));
    else return RedisModule_ReplyWithError(ctx, "ERR unknown op");
    if (!e) return RedisModule_ReplyWithSimpleString(ctx, errname(errno));
    return RedisModule_ReplyWithString(ctx, e);
}

/* TMA.ZADD mode key flags score member [incr]: [rc, out flags, new score] */
static int ZAdd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 6 && argc != 7) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], modeof(argv[1]));
    int flags = (int)num(argv[3]);
    double score;
    if (RedisModule_StringToDouble(argv[4], &score) != REDISMODULE_OK) score = 0.0 / 0.0;
    double ns = -1;
    int rc = argc == 7 ? RedisModule_ZsetIncrby(k, score, argv[5], &flags, &ns)
                       : RedisModule_ZsetAdd(k, score, argv[5], &flags);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, rc);
    RedisModule_ReplyWithLongLong(ctx, flags);
    return RedisModule_ReplyWithDouble(ctx, ns);
}

/* TMA.ZREM key member: [rc, deleted]; TMA.ZSCORE key member: score or "ERR" */
static int ZRem(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    int deleted = -1;
    int rc = RedisModule_ZsetRem(k, argv[2], &deleted);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, rc);
    return RedisModule_ReplyWithLongLong(ctx, deleted);
}

static int ZScore(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    double s;
    if (RedisModule_ZsetScore(k, argv[2], &s) != REDISMODULE_OK) return RedisModule_ReplyWithSimpleString(ctx, "ERR");
    return RedisModule_ReplyWithDouble(ctx, s);
}

/* TMA.ZRANGE key score|lex first|last min max [minex maxex]: the members walked
 * with Next (first) or Prev (last), then whether the end was reached. */
static int ZRange(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 6 && argc != 8) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    if (!k) return RedisModule_ReplyWithNull(ctx);
    int lex = !strcmp(RedisModule_StringPtrLen(argv[2], NULL), "lex");
    int first = !strcmp(RedisModule_StringPtrLen(argv[3], NULL), "first");
    int rc;
    if (lex) {
        rc = first ? RedisModule_ZsetFirstInLexRange(k, argv[4], argv[5])
                   : RedisModule_ZsetLastInLexRange(k, argv[4], argv[5]);
    } else {
        double min, max;
        RedisModule_StringToDouble(argv[4], &min);
        RedisModule_StringToDouble(argv[5], &max);
        int minex = argc == 8 ? (int)num(argv[6]) : 0, maxex = argc == 8 ? (int)num(argv[7]) : 0;
        rc = first ? RedisModule_ZsetFirstInScoreRange(k, min, max, minex, maxex)
                   : RedisModule_ZsetLastInScoreRange(k, min, max, minex, maxex);
    }
    if (rc != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR range refused");
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    long n = 0;
    while (!RedisModule_ZsetRangeEndReached(k)) {
        double score;
        RedisModuleString *m = RedisModule_ZsetRangeCurrentElement(k, &score);
        RedisModule_ReplyWithString(ctx, m);
        RedisModule_ReplyWithDouble(ctx, score);
        n += 2;
        if (first) RedisModule_ZsetRangeNext(k); else RedisModule_ZsetRangePrev(k);
    }
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ZsetRangeNext(k));
    RedisModule_ZsetRangeStop(k);
    RedisModule_ReplySetArrayLength(ctx, n + 1);
    return REDISMODULE_OK;
}

/* TMA.HSET mode key flags field value [field value ...]: value "-" deletes;
 * flags letters: n NX, x XX, a COUNT_ALL, c CFIELDS. Replies [count, errno]. */
static int HSet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 6 || argc > 8 || (argc % 2)) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], modeof(argv[1]));
    size_t flen;
    const char *f = RedisModule_StringPtrLen(argv[3], &flen);
    int flags = 0;
    if (memchr(f, 'n', flen)) flags |= REDISMODULE_HASH_NX;
    if (memchr(f, 'x', flen)) flags |= REDISMODULE_HASH_XX;
    if (memchr(f, 'a', flen)) flags |= REDISMODULE_HASH_COUNT_ALL;
    int cfields = memchr(f, 'c', flen) != NULL;
    RedisModuleString *v1 = strcmp(RedisModule_StringPtrLen(argv[5], NULL), "-") ? argv[5] : REDISMODULE_HASH_DELETE;
    RedisModuleString *v2 = argc == 8 && strcmp(RedisModule_StringPtrLen(argv[7], NULL), "-") ? argv[7] : REDISMODULE_HASH_DELETE;
    errno = 0;
    int n;
    if (cfields) {
        flags |= REDISMODULE_HASH_CFIELDS;
        n = argc == 8 ? RedisModule_HashSet(k, flags, RedisModule_StringPtrLen(argv[4], NULL), v1,
                                            RedisModule_StringPtrLen(argv[6], NULL), v2, NULL)
                      : RedisModule_HashSet(k, flags, RedisModule_StringPtrLen(argv[4], NULL), v1, NULL);
    } else {
        n = argc == 8 ? RedisModule_HashSet(k, flags, argv[4], v1, argv[6], v2, NULL)
                      : RedisModule_HashSet(k, flags, argv[4], v1, NULL);
    }
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, n);
    return RedisModule_ReplyWithSimpleString(ctx, errname(errno));
}

/* TMA.HGET key f1 f2: [rc, v1, v2, exists1, exists2] */
static int HGet(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    RedisModuleString *v1 = NULL, *v2 = NULL;
    int e1 = -1, e2 = -1;
    int rc = RedisModule_HashGet(k, REDISMODULE_HASH_NONE, argv[2], &v1, argv[3], &v2, NULL);
    RedisModule_HashGet(k, REDISMODULE_HASH_EXISTS | REDISMODULE_HASH_CFIELDS,
                        RedisModule_StringPtrLen(argv[2], NULL), &e1, RedisModule_StringPtrLen(argv[3], NULL), &e2, NULL);
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, rc);
    if (v1) RedisModule_ReplyWithString(ctx, v1); else RedisModule_ReplyWithNull(ctx);
    if (v2) RedisModule_ReplyWithString(ctx, v2); else RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithLongLong(ctx, e1);
    return RedisModule_ReplyWithLongLong(ctx, e2);
}

/* TMA.HEXPIRED key field: the key opened with ACCESS_EXPIRED: [HashGet of field, ScanKey's
 * field/value pairs sorted by the caller]; an error when OpenKey gives no handle. */
struct ScanReply { RedisModuleCtx *ctx; long n; };

static void ScanPair(RedisModuleKey *key, RedisModuleString *field, RedisModuleString *value, void *privdata) {
    struct ScanReply *r = privdata;
    RedisModule_ReplyWithString(r->ctx, field);
    RedisModule_ReplyWithString(r->ctx, value);
    r->n += 2;
}

static int HExpired(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_OPEN_KEY_ACCESS_EXPIRED);
    if (!k) return RedisModule_ReplyWithError(ctx, "ERR no key");
    RedisModuleString *v = NULL;
    RedisModule_HashGet(k, REDISMODULE_HASH_NONE, argv[2], &v, NULL);
    RedisModule_ReplyWithArray(ctx, 2);
    if (v) RedisModule_ReplyWithString(ctx, v); else RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModuleScanCursor *cur = RedisModule_ScanCursorCreate();
    struct ScanReply r = {ctx, 0};
    while (RedisModule_ScanKey(k, cur, ScanPair, &r));
    RedisModule_ScanCursorDestroy(cur);
    RedisModule_ReplySetArrayLength(ctx, r.n);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmaggregates", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    struct { const char *name; RedisModuleCmdFunc f; int first; } cmds[] = {
        {"tma.list", List, 2}, {"tma.zadd", ZAdd, 2}, {"tma.zrem", ZRem, 1}, {"tma.zscore", ZScore, 1},
        {"tma.zrange", ZRange, 1}, {"tma.hset", HSet, 2}, {"tma.hget", HGet, 1},
        {"tma.hexpired", HExpired, 1},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].f, "write", cmds[i].first, cmds[i].first, 1) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
