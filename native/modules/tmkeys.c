/*
 * Trellis test module for the low-level key API: OpenKey modes and flags,
 * KeyType, KeyExists, ValueLength, DeleteKey/UnlinkKey, expiry, StringSet,
 * StringDMA, StringTruncate, database selection, RandomKey, key names.
 */
#include "redismodule.h"
#include <ctype.h>
#include <string.h>

static int mode_of(RedisModuleString *s) {
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    int mode = 0;
    for (size_t i = 0; i < len; i++) {
        switch (p[i]) {
        case 'r': mode |= REDISMODULE_READ; break;
        case 'w': mode |= REDISMODULE_WRITE; break;
        case 't': mode |= REDISMODULE_OPEN_KEY_NOTOUCH; break;
        case 'n': mode |= REDISMODULE_OPEN_KEY_NONOTIFY; break;
        case 's': mode |= REDISMODULE_OPEN_KEY_NOSTATS; break;
        case 'x': mode |= REDISMODULE_OPEN_KEY_NOEXPIRE; break;
        case 'e': mode |= REDISMODULE_OPEN_KEY_NOEFFECTS; break;
        case 'a': mode |= REDISMODULE_OPEN_KEY_ACCESS_EXPIRED; break;
        }
    }
    return mode;
}

/* TMK.INFO mode key: [opened?, type, length, ttl, absttl] (auto memory closes the key). */
static int Info(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    RedisModule_ReplyWithArray(ctx, 5);
    RedisModule_ReplyWithLongLong(ctx, k != NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(k));
    RedisModule_ReplyWithLongLong(ctx, k ? (long long)RedisModule_ValueLength(k) : -1);
    RedisModule_ReplyWithLongLong(ctx, k ? RedisModule_GetExpire(k) : -2);
    RedisModule_ReplyWithLongLong(ctx, k ? RedisModule_GetAbsExpire(k) : -2);
    return REDISMODULE_OK;
}

static int Exists(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyExists(ctx, argv[1]));
}

/* TMK.DEL mode key / TMK.UNLINK mode key: the API's result (0 OK, 1 ERR). */
static int Del(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    if (!k) return RedisModule_ReplyWithNull(ctx);
    int rc = RedisModule_DeleteKey(k);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

static int Unlink(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    if (!k) return RedisModule_ReplyWithNull(ctx);
    int rc = RedisModule_UnlinkKey(k);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

/* TMK.EXPIRE mode key ms [abs]: SetExpire or SetAbsExpire; the API's result. */
static int Expire(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4 && argc != 5) return RedisModule_WrongArity(ctx);
    long long ms;
    if (RedisModule_StringToLongLong(argv[3], &ms) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR bad ms");
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    if (!k) return RedisModule_ReplyWithNull(ctx);
    int rc = argc == 5 ? RedisModule_SetAbsExpire(k, ms) : RedisModule_SetExpire(k, ms);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

/* TMK.SET mode key value: StringSet's result. */
static int Set(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    if (!k) return RedisModule_ReplyWithNull(ctx);
    int rc = RedisModule_StringSet(k, argv[3]);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

/* TMK.UPPER key: upper-cases a string in place through DMA; replies with what a
 * read-only DMA then sees, and what GET (Call) sees before the key is closed. */
static int Upper(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    size_t len;
    char *p = RedisModule_StringDMA(k, &len, REDISMODULE_WRITE);
    if (!p) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR not a string");
    }
    for (size_t i = 0; i < len; i++) p[i] = toupper((unsigned char)p[i]);
    size_t rlen;
    const char *r = RedisModule_StringDMA(k, &rlen, REDISMODULE_READ);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithStringBuffer(ctx, r, rlen);
    p = RedisModule_StringDMA(k, &len, REDISMODULE_WRITE);
    if (len > 0) p[0] = '#';
    RedisModuleCallReply *g = RedisModule_Call(ctx, "GET", "s", argv[1]);
    RedisModule_ReplyWithCallReply(ctx, g);
    RedisModule_FreeCallReply(g);
    if (len > 1) p[1] = '!'; /* written after the Call: reaches the value at close */
    RedisModule_CloseKey(k);
    g = RedisModule_Call(ctx, "GET", "s", argv[1]);
    RedisModule_ReplyWithCallReply(ctx, g);
    RedisModule_FreeCallReply(g);
    return REDISMODULE_OK;
}

/* TMK.DMA mode key: [len, text] of a DMA access, or an error for non-strings. */
static int Dma(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    if (!k) return RedisModule_ReplyWithNull(ctx);
    size_t len = 99;
    char *p = RedisModule_StringDMA(k, &len, mode_of(argv[1]));
    if (!p) {
        RedisModule_CloseKey(k);
        return RedisModule_ReplyWithError(ctx, "ERR DMA refused");
    }
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, len);
    RedisModule_ReplyWithCString(ctx, len ? "data" : p);
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

/* TMK.TRUNCATE mode key len: StringTruncate's result. */
static int Truncate(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long n;
    RedisModule_StringToLongLong(argv[3], &n);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[2], mode_of(argv[1]));
    if (!k) return RedisModule_ReplyWithNull(ctx);
    int rc = RedisModule_StringTruncate(k, (size_t)n);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

/* TMK.DB id: SelectDb's result, then [selected, dbsize] in the new database. */
static int Db(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long id;
    RedisModule_StringToLongLong(argv[1], &id);
    int rc = RedisModule_SelectDb(ctx, (int)id);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, rc);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetSelectedDb(ctx));
    RedisModule_ReplyWithLongLong(ctx, (long long)RedisModule_DbSize(ctx));
    return REDISMODULE_OK;
}

static int Random(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModuleString *k = RedisModule_RandomKey(ctx);
    if (!k) return RedisModule_ReplyWithNull(ctx);
    RedisModule_ReplyWithString(ctx, k);
    RedisModule_FreeString(ctx, k);
    return REDISMODULE_OK;
}

/* TMK.NAME key: [name from the handle, db id] for a key opened for writing. */
static int Name(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithString(ctx, (RedisModuleString *)RedisModule_GetKeyNameFromModuleKey(k));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetDbIdFromModuleKey(k));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetOpenKeyModesAll() ==
        (REDISMODULE_READ | REDISMODULE_WRITE | REDISMODULE_OPEN_KEY_NOTOUCH | REDISMODULE_OPEN_KEY_NONOTIFY |
         REDISMODULE_OPEN_KEY_NOSTATS | REDISMODULE_OPEN_KEY_NOEXPIRE | REDISMODULE_OPEN_KEY_NOEFFECTS |
         REDISMODULE_OPEN_KEY_ACCESS_EXPIRED));
    RedisModule_CloseKey(k);
    return REDISMODULE_OK;
}

/* TMK.TOUCHW key: opens for writing and closes (a modification signal, as in Redis). */
static int TouchW(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *k = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModule_CloseKey(k);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmkeys", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    struct { const char *name; RedisModuleCmdFunc f; const char *flags; int first; } cmds[] = {
        {"tmk.info", Info, "readonly", 2}, {"tmk.exists", Exists, "readonly", 1},
        {"tmk.del", Del, "write", 2}, {"tmk.unlink", Unlink, "write", 2},
        {"tmk.expire", Expire, "write", 2}, {"tmk.set", Set, "write", 2},
        {"tmk.upper", Upper, "write", 1}, {"tmk.dma", Dma, "write", 2},
        {"tmk.truncate", Truncate, "write", 2}, {"tmk.db", Db, "", 0},
        {"tmk.random", Random, "readonly", 0}, {"tmk.name", Name, "write", 1},
        {"tmk.touchw", TouchW, "write", 1},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        int f = cmds[i].first;
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].f, cmds[i].flags, f, f, f ? 1 : 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
