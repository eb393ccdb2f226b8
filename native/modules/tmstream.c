/* Trellis test module: the stream key API (RedisModule_Stream*).
 *
 *   TMS.ADD key id|* field value [field value ...]   -> the ID added, or "ERR errno N"
 *   TMS.DEL key id                                   -> OK or "ERR errno N"
 *   TMS.RANGE key start|- end|+ [REV] [EXCL] [DROP field]
 *        -> [[id, [field, value, ...]], ...]; entries holding field DROP are deleted while
 *           iterating (after being listed)
 *   TMS.TRIM key MAXLEN|MINID =|~ threshold         -> entries removed, or "ERR errno N"
 *   TMS.ERRNOS key                                   -> errnos of misuses on a key opened for reading
 */
#include "redismodule.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int ReplyErrno(RedisModuleCtx *ctx) {
    char buf[64];
    snprintf(buf, sizeof buf, "ERR errno %d", errno);
    return RedisModule_ReplyWithError(ctx, buf);
}

/* "-"/"+" map to NULL (the stream's ends); anything else must parse. */
static int ParseBound(RedisModuleString *s, RedisModuleStreamID *id, RedisModuleStreamID **out) {
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    if (len == 1 && (p[0] == '-' || p[0] == '+')) {
        *out = NULL;
        return REDISMODULE_OK;
    }
    *out = id;
    return RedisModule_StringToStreamID(s, id);
}

static int Add(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 5 || argc % 2 == 0) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModuleStreamID id = {0, 0};
    int flags = 0;
    size_t len;
    const char *p = RedisModule_StringPtrLen(argv[2], &len);
    if (len == 1 && p[0] == '*') {
        flags = REDISMODULE_STREAM_ADD_AUTOID;
    } else if (RedisModule_StringToStreamID(argv[2], &id) != REDISMODULE_OK) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, "ERR bad id");
    }
    if (RedisModule_StreamAdd(key, flags, &id, &argv[3], (argc - 3) / 2) == REDISMODULE_OK) {
        RedisModuleString *s = RedisModule_CreateStringFromStreamID(ctx, &id);
        RedisModule_ReplyWithString(ctx, s);
        RedisModule_FreeString(ctx, s);
    } else {
        ReplyErrno(ctx);
    }
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int Del(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleStreamID id;
    if (RedisModule_StringToStreamID(argv[2], &id) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad id");
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    if (RedisModule_StreamDelete(key, &id) == REDISMODULE_OK)
        RedisModule_ReplyWithSimpleString(ctx, "OK");
    else
        ReplyErrno(ctx);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int Range(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 4) return RedisModule_WrongArity(ctx);
    RedisModuleStreamID start, end, *startp, *endp;
    if (ParseBound(argv[2], &start, &startp) != REDISMODULE_OK ||
        ParseBound(argv[3], &end, &endp) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad id");
    int flags = 0;
    const char *drop = NULL;
    size_t droplen = 0;
    for (int i = 4; i < argc; i++) {
        const char *a = RedisModule_StringPtrLen(argv[i], NULL);
        if (!strcasecmp(a, "rev")) flags |= REDISMODULE_STREAM_ITERATOR_REVERSE;
        else if (!strcasecmp(a, "excl")) flags |= REDISMODULE_STREAM_ITERATOR_EXCLUSIVE;
        else if (!strcasecmp(a, "drop") && i + 1 < argc) drop = RedisModule_StringPtrLen(argv[++i], &droplen);
        else return RedisModule_ReplyWithError(ctx, "ERR syntax");
    }
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    if (RedisModule_StreamIteratorStart(key, flags, startp, endp) != REDISMODULE_OK)
        return ReplyErrno(ctx);
    RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
    RedisModuleStreamID id;
    long numfields, n = 0;
    while (RedisModule_StreamIteratorNextID(key, &id, &numfields) == REDISMODULE_OK) {
        RedisModule_ReplyWithArray(ctx, 2);
        RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromStreamID(ctx, &id));
        RedisModule_ReplyWithArray(ctx, numfields * 2);
        int del = 0;
        RedisModuleString *f, *v;
        while (RedisModule_StreamIteratorNextField(key, &f, &v) == REDISMODULE_OK) {
            RedisModule_ReplyWithString(ctx, f);
            RedisModule_ReplyWithString(ctx, v);
            size_t flen;
            const char *fp = RedisModule_StringPtrLen(f, &flen);
            if (drop && flen == droplen && !memcmp(fp, drop, flen)) del = 1;
        }
        if (del) RedisModule_StreamIteratorDelete(key);
        n++;
    }
    RedisModule_ReplySetArrayLength(ctx, n);
    RedisModule_StreamIteratorStop(key);
    return REDISMODULE_OK;
}

static int Trim(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 5) return RedisModule_WrongArity(ctx);
    const char *how = RedisModule_StringPtrLen(argv[2], NULL);
    const char *mark = RedisModule_StringPtrLen(argv[3], NULL);
    int flags = !strcmp(mark, "~") ? REDISMODULE_STREAM_TRIM_APPROX : 0;
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    long long n;
    if (!strcasecmp(how, "minid")) {
        RedisModuleStreamID id;
        if (RedisModule_StringToStreamID(argv[4], &id) != REDISMODULE_OK) {
            RedisModule_CloseKey(key);
            return RedisModule_ReplyWithError(ctx, "ERR bad id");
        }
        n = RedisModule_StreamTrimByID(key, flags, &id);
    } else {
        long long len;
        if (RedisModule_StringToLongLong(argv[4], &len) != REDISMODULE_OK) {
            RedisModule_CloseKey(key);
            return RedisModule_ReplyWithError(ctx, "ERR bad length");
        }
        n = RedisModule_StreamTrimByLength(key, flags, len);
    }
    if (n < 0) ReplyErrno(ctx);
    else RedisModule_ReplyWithLongLong(ctx, n);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

/* Misuses on a key opened read-only: [add, delete, iterator-delete, next-field-before-next-id,
 * stop-without-start, start-twice, exclusive-from-0-0, trim, bad-flags]. */
static int Errnos(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModuleStreamID id = {1, 1}, zero = {0, 0};
    int e[9];
    errno = 0; RedisModule_StreamAdd(key, REDISMODULE_STREAM_ADD_AUTOID, &id, argv, 0); e[0] = errno;
    errno = 0; RedisModule_StreamDelete(key, &id); e[1] = errno;
    errno = 0; RedisModule_StreamIteratorStop(key); e[4] = errno;
    RedisModule_StreamIteratorStart(key, 0, NULL, NULL);
    errno = 0; RedisModule_StreamIteratorDelete(key); e[2] = errno;
    errno = 0; RedisModule_StreamIteratorNextField(key, NULL, NULL); e[3] = errno;
    errno = 0; RedisModule_StreamIteratorStart(key, 0, NULL, NULL); e[5] = errno;
    RedisModule_StreamIteratorStop(key);
    errno = 0; RedisModule_StreamIteratorStart(key, REDISMODULE_STREAM_ITERATOR_EXCLUSIVE, NULL, &zero); e[6] = errno;
    errno = 0; RedisModule_StreamTrimByLength(key, 0, 0); e[7] = errno;
    errno = 0; RedisModule_StreamTrimByLength(key, 1 << 5, 0); e[8] = errno;
    RedisModule_ReplyWithArray(ctx, 9);
    for (int i = 0; i < 9; i++) RedisModule_ReplyWithLongLong(ctx, e[i]);
    if (key) RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmstream", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tms.add", Add, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.del", Del, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.range", Range, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.trim", Trim, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tms.errnos", Errnos, "readonly", 1, 1, 1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
