/*
 * Trellis test module for RedisModule_Call: every format character, the errno
 * contract, every CallReply accessor, CreateStringFromCallReply, FreeCallReply,
 * and replication of what a module runs (Call with '!', Replicate,
 * ReplicateVerbatim).
 */
#include "redismodule.h"
#include <errno.h>
#include <string.h>

static const char *errname(int e) {
    switch (e) {
    case 0: return "0";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case ENOTSUP: return "ENOTSUP";
    case EROFS: return "EROFS";
    default: return "OTHER";
    }
}

/* Replies with a description of a CallReply, recursively:
 * [type, payload...] as documented per type below. */
static void describe(RedisModuleCtx *ctx, RedisModuleCallReply *r) {
    size_t len;
    const char *p;
    RedisModuleCallReply *attr = RedisModule_CallReplyAttribute(r);
    int n = attr ? 1 : 0;
    switch (RedisModule_CallReplyType(r)) {
    case REDISMODULE_REPLY_STRING:
        p = RedisModule_CallReplyStringPtr(r, &len);
        RedisModule_ReplyWithArray(ctx, 3 + n);
        RedisModule_ReplyWithSimpleString(ctx, "string");
        RedisModule_ReplyWithStringBuffer(ctx, p, len);
        RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyLength(r));
        break;
    case REDISMODULE_REPLY_ERROR:
        p = RedisModule_CallReplyStringPtr(r, &len);
        RedisModule_ReplyWithArray(ctx, 2 + n);
        RedisModule_ReplyWithSimpleString(ctx, "error");
        RedisModule_ReplyWithStringBuffer(ctx, p, len);
        break;
    case REDISMODULE_REPLY_INTEGER:
        RedisModule_ReplyWithArray(ctx, 2 + n);
        RedisModule_ReplyWithSimpleString(ctx, "integer");
        RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyInteger(r));
        break;
    case REDISMODULE_REPLY_NULL:
        RedisModule_ReplyWithArray(ctx, 1 + n);
        RedisModule_ReplyWithSimpleString(ctx, "null");
        break;
    case REDISMODULE_REPLY_BOOL:
        RedisModule_ReplyWithArray(ctx, 2 + n);
        RedisModule_ReplyWithSimpleString(ctx, "bool");
        RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyBool(r));
        break;
    case REDISMODULE_REPLY_DOUBLE:
        RedisModule_ReplyWithArray(ctx, 2 + n);
        RedisModule_ReplyWithSimpleString(ctx, "double");
        RedisModule_ReplyWithDouble(ctx, RedisModule_CallReplyDouble(r));
        break;
    case REDISMODULE_REPLY_BIG_NUMBER:
        p = RedisModule_CallReplyBigNumber(r, &len);
        RedisModule_ReplyWithArray(ctx, 2 + n);
        RedisModule_ReplyWithSimpleString(ctx, "bignumber");
        RedisModule_ReplyWithStringBuffer(ctx, p, len);
        break;
    case REDISMODULE_REPLY_VERBATIM_STRING: {
        const char *fmt;
        p = RedisModule_CallReplyVerbatim(r, &len, &fmt);
        RedisModule_ReplyWithArray(ctx, 3 + n);
        RedisModule_ReplyWithSimpleString(ctx, "verbatim");
        RedisModule_ReplyWithStringBuffer(ctx, fmt, 3);
        RedisModule_ReplyWithStringBuffer(ctx, p, len);
        break;
    }
    case REDISMODULE_REPLY_ARRAY:
    case REDISMODULE_REPLY_SET: {
        int set = RedisModule_CallReplyType(r) == REDISMODULE_REPLY_SET;
        size_t count = RedisModule_CallReplyLength(r);
        RedisModule_ReplyWithArray(ctx, 1 + count + n);
        RedisModule_ReplyWithSimpleString(ctx, set ? "set" : "array");
        for (size_t i = 0; i < count; i++)
            describe(ctx, set ? RedisModule_CallReplySetElement(r, i) : RedisModule_CallReplyArrayElement(r, i));
        break;
    }
    case REDISMODULE_REPLY_MAP: {
        size_t count = RedisModule_CallReplyLength(r);
        RedisModule_ReplyWithArray(ctx, 1 + 2 * count + n);
        RedisModule_ReplyWithSimpleString(ctx, "map");
        for (size_t i = 0; i < count; i++) {
            RedisModuleCallReply *k, *v;
            RedisModule_CallReplyMapElement(r, i, &k, &v);
            describe(ctx, k);
            describe(ctx, v);
        }
        break;
    }
    default:
        RedisModule_ReplyWithArray(ctx, 1 + n);
        RedisModule_ReplyWithSimpleString(ctx, "unknown");
    }
    if (attr) {
        size_t count = RedisModule_CallReplyLength(attr);
        RedisModule_ReplyWithArray(ctx, 1 + 2 * count);
        RedisModule_ReplyWithSimpleString(ctx, "attribute");
        for (size_t i = 0; i < count; i++) {
            RedisModuleCallReply *k, *v;
            RedisModule_CallReplyAttributeElement(attr, i, &k, &v);
            describe(ctx, k);
            describe(ctx, v);
        }
    }
}

/* TMCALL.CALL <fmt-flags> cmd args...: Call(cmd, "<flags>v", args) and describe
 * the outcome; a NULL reply is described as ["NULL", errno-name]. */
static int CallCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    char fmt[40];
    size_t flen;
    const char *flags = RedisModule_StringPtrLen(argv[1], &flen);
    if (flen > 30) return RedisModule_ReplyWithError(ctx, "ERR flags too long");
    if (flen == 1 && flags[0] == '-') flen = 0;
    memcpy(fmt, flags, flen);
    strcpy(fmt + flen, "v");
    errno = 0;
    RedisModuleCallReply *r = RedisModule_Call(ctx, RedisModule_StringPtrLen(argv[2], NULL), fmt,
                                               argv + 3, (size_t)(argc - 3));
    if (!r) {
        int e = errno;
        RedisModule_ReplyWithArray(ctx, 2);
        RedisModule_ReplyWithSimpleString(ctx, "NULL");
        RedisModule_ReplyWithSimpleString(ctx, errname(e));
        return REDISMODULE_OK;
    }
    describe(ctx, r);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

/* TMCALL.FORMATS key: RPUSH key with every argument kind, then LRANGE. */
static int Formats(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    RedisModuleString *vec[2] = {RedisModule_CreateString(ctx, "v1", 2), RedisModule_CreateString(ctx, "v2", 2)};
    const char *key = RedisModule_StringPtrLen(argv[1], NULL);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "RPUSH", "cbslv", key, "bin\0x", (size_t)5,
                                               RedisModule_CreateString(ctx, "str", 3), -42LL, vec, (size_t)2);
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR rpush failed");
    r = RedisModule_Call(ctx, "LRANGE", "sll", argv[1], 0LL, -1LL);
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR lrange failed");
    size_t n = RedisModule_CallReplyLength(r);
    RedisModule_ReplyWithArray(ctx, n + 1);
    for (size_t i = 0; i < n; i++)
        RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromCallReply(RedisModule_CallReplyArrayElement(r, i)));
    /* integer replies turn into strings too */
    RedisModuleCallReply *len = RedisModule_Call(ctx, "LLEN", "s", argv[1]);
    RedisModule_ReplyWithString(ctx, RedisModule_CreateStringFromCallReply(len));
    return REDISMODULE_OK;
}

/* TMCALL.BADFMT: an unknown format character gives NULL and EBADF. */
static int BadFmt(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    errno = 0;
    RedisModuleCallReply *r = RedisModule_Call(ctx, "PING", "z");
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, r == NULL);
    return RedisModule_ReplyWithSimpleString(ctx, errname(errno));
}

/* TMCALL.PROTO cmd args...: the raw protocol of the reply. */
static int Proto(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, RedisModule_StringPtrLen(argv[1], NULL), "v",
                                               argv + 2, (size_t)(argc - 2));
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    size_t len;
    const char *p = RedisModule_CallReplyProto(r, &len);
    RedisModule_ReplyWithStringBuffer(ctx, p, len);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

/* TMCALL.ACCESSORS: accessors used on the wrong reply type give Redis's neutral values. */
static int Accessors(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "PING", "");
    size_t len = 99;
    RedisModuleCallReply *k = NULL, *v = NULL;
    RedisModule_ReplyWithArray(ctx, 8);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyInteger(r) == -9223372036854775807LL - 1);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyArrayElement(r, 0) == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyBigNumber(r, &len) == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyMapElement(r, 0, &k, &v) == REDISMODULE_ERR);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyType(NULL) == REDISMODULE_REPLY_UNKNOWN);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyLength(r));
    RedisModuleCallReply *arr = RedisModule_Call(ctx, "LRANGE", "ccc", "nokey", "0", "-1");
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CallReplyArrayElement(arr, 5) == NULL);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_CreateStringFromCallReply(arr) == NULL);
    RedisModule_FreeCallReply(arr);
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

/* TMCALL.REPL key: SET with '!', an INCR via Replicate, then the command itself. */
static int Repl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "!sc", argv[1], "10");
    RedisModule_FreeCallReply(r);
    r = RedisModule_Call(ctx, "INCR", "s", argv[1]); /* no '!': not propagated */
    RedisModule_FreeCallReply(r);
    RedisModule_Replicate(ctx, "INCRBY", "sl", argv[1], 5LL);
    RedisModule_ReplicateVerbatim(ctx);
    int bad = RedisModule_Replicate(ctx, "NOSUCHCOMMAND", "");
    return RedisModule_ReplyWithLongLong(ctx, bad);
}

/* TMCALL.NOREPL key: a write through Call without '!' and nothing else. */
static int NoRepl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "sc", argv[1], "x");
    RedisModule_FreeCallReply(r);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

/* TMCALL.AUTO n: n calls left for auto memory to free. */
static int Auto(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long n;
    RedisModule_StringToLongLong(argv[1], &n);
    RedisModule_AutoMemory(ctx);
    for (long long i = 0; i < n; i++) {
        RedisModuleCallReply *r = RedisModule_Call(ctx, "ECHO", "c", "x");
        RedisModule_CreateStringFromCallReply(r);
        RedisModule_CallReplyArrayElement(r, 0);
    }
    return RedisModule_ReplyWithLongLong(ctx, n);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmcall", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmcall.call", CallCmd, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.formats", Formats, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.badfmt", BadFmt, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.proto", Proto, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.accessors", Accessors, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.repl", Repl, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.norepl", NoRepl, "write", 1, 1, 1) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmcall.auto", Auto, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
