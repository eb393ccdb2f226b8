/*
 * Trellis test module for replies: every RedisModule_ReplyWith* kind, postponed
 * lengths (nested, mixed with fixed lengths, every collection type), RESP3 types
 * and their RESP2 fallbacks, and ReplyWithCallReply.
 *
 * TMR.REPLY <kind> replies with the kind asked for.
 */
#include "redismodule.h"
#include <string.h>

static int is(RedisModuleString *s, const char *what) {
    size_t len;
    const char *p = RedisModule_StringPtrLen(s, &len);
    return len == strlen(what) && !strncasecmp(p, what, len);
}

static int Reply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleString *k = argv[1];
    if (is(k, "longlong")) return RedisModule_ReplyWithLongLong(ctx, -9223372036854775807LL - 1);
    if (is(k, "error")) return RedisModule_ReplyWithError(ctx, "MYERR something went wrong");
    if (is(k, "errorfmt")) return RedisModule_ReplyWithErrorFormat(ctx, "ERR bad %s: %d", "thing", 42);
    if (is(k, "simple")) return RedisModule_ReplyWithSimpleString(ctx, "fine");
    if (is(k, "array")) {
        RedisModule_ReplyWithArray(ctx, 2);
        RedisModule_ReplyWithLongLong(ctx, 1);
        return RedisModule_ReplyWithCString(ctx, "two");
    }
    if (is(k, "map")) {
        RedisModule_ReplyWithMap(ctx, 2);
        RedisModule_ReplyWithCString(ctx, "a");
        RedisModule_ReplyWithLongLong(ctx, 1);
        RedisModule_ReplyWithCString(ctx, "b");
        return RedisModule_ReplyWithDouble(ctx, 2.5);
    }
    if (is(k, "set")) {
        RedisModule_ReplyWithSet(ctx, 2);
        RedisModule_ReplyWithCString(ctx, "x");
        return RedisModule_ReplyWithCString(ctx, "y");
    }
    if (is(k, "emptymap")) return RedisModule_ReplyWithMap(ctx, 0);
    if (is(k, "emptyset")) return RedisModule_ReplyWithSet(ctx, 0);
    if (is(k, "attribute")) {
        if (RedisModule_ReplyWithAttribute(ctx, 1) != REDISMODULE_OK)
            return RedisModule_ReplyWithError(ctx, "ERR attributes need RESP3");
        RedisModule_ReplyWithCString(ctx, "ttl");
        RedisModule_ReplyWithLongLong(ctx, 100);
        return RedisModule_ReplyWithCString(ctx, "value");
    }
    if (is(k, "nullarray")) return RedisModule_ReplyWithNullArray(ctx);
    if (is(k, "emptyarray")) return RedisModule_ReplyWithEmptyArray(ctx);
    if (is(k, "stringbuffer")) return RedisModule_ReplyWithStringBuffer(ctx, "bin\0ary", 7);
    if (is(k, "cstring")) return RedisModule_ReplyWithCString(ctx, "c string");
    if (is(k, "string")) return RedisModule_ReplyWithString(ctx, argv[argc - 1]);
    if (is(k, "emptystring")) return RedisModule_ReplyWithEmptyString(ctx);
    if (is(k, "verbatim")) return RedisModule_ReplyWithVerbatimString(ctx, "plain text", 10);
    if (is(k, "verbatimtype")) return RedisModule_ReplyWithVerbatimStringType(ctx, "# title", 7, "mkd");
    if (is(k, "null")) return RedisModule_ReplyWithNull(ctx);
    if (is(k, "bool")) {
        RedisModule_ReplyWithArray(ctx, 2);
        RedisModule_ReplyWithBool(ctx, 1);
        return RedisModule_ReplyWithBool(ctx, 0);
    }
    if (is(k, "double")) {
        RedisModule_ReplyWithArray(ctx, 3);
        RedisModule_ReplyWithDouble(ctx, 3.14);
        RedisModule_ReplyWithDouble(ctx, 1.0 / 0.0);
        return RedisModule_ReplyWithDouble(ctx, 10);
    }
    if (is(k, "longdouble")) return RedisModule_ReplyWithLongDouble(ctx, 0.5L);
    if (is(k, "bignumber")) return RedisModule_ReplyWithBigNumber(ctx, "123456789012345678901234567890", 30);
    if (is(k, "postponed")) {
        /* [1, {a: [x, y], b: ~{z}}, "end"] with every length postponed */
        RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
        RedisModule_ReplyWithLongLong(ctx, 1);
        RedisModule_ReplyWithMap(ctx, REDISMODULE_POSTPONED_LEN);
        RedisModule_ReplyWithCString(ctx, "a");
        RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
        RedisModule_ReplyWithCString(ctx, "x");
        RedisModule_ReplyWithCString(ctx, "y");
        RedisModule_ReplySetArrayLength(ctx, 2);
        RedisModule_ReplyWithCString(ctx, "b");
        RedisModule_ReplyWithSet(ctx, REDISMODULE_POSTPONED_LEN);
        RedisModule_ReplyWithCString(ctx, "z");
        RedisModule_ReplySetSetLength(ctx, 1);
        RedisModule_ReplySetMapLength(ctx, 2);
        RedisModule_ReplyWithCString(ctx, "end");
        RedisModule_ReplySetArrayLength(ctx, 3);
        return REDISMODULE_OK;
    }
    if (is(k, "postponed-attr")) {
        if (RedisModule_ReplyWithAttribute(ctx, REDISMODULE_POSTPONED_LEN) != REDISMODULE_OK)
            return RedisModule_ReplyWithError(ctx, "ERR attributes need RESP3");
        RedisModule_ReplyWithCString(ctx, "k");
        RedisModule_ReplyWithCString(ctx, "v");
        RedisModule_ReplySetAttributeLength(ctx, 1);
        return RedisModule_ReplyWithLongLong(ctx, 7);
    }
    if (is(k, "postponed-many")) {
        /* 1000 elements, length known only at the end */
        RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
        for (int i = 0; i < 1000; i++) RedisModule_ReplyWithLongLong(ctx, i);
        RedisModule_ReplySetArrayLength(ctx, 1000);
        return REDISMODULE_OK;
    }
    if (is(k, "postponed-unmatched")) {
        /* API misuse: the length is never set. */
        RedisModule_ReplyWithArray(ctx, REDISMODULE_POSTPONED_LEN);
        return RedisModule_ReplyWithLongLong(ctx, 1);
    }
    if (is(k, "setlen-unopened")) {
        RedisModule_ReplySetArrayLength(ctx, 3);
        return RedisModule_ReplyWithSimpleString(ctx, "OK");
    }
    return RedisModule_ReplyWithError(ctx, "ERR unknown kind");
}

/* TMR.CALL <flags> cmd args...: runs the command with Call and sends its reply on. */
static int CallReply(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    char fmt[32];
    size_t flen;
    const char *flags = RedisModule_StringPtrLen(argv[1], &flen);
    if (flen > 20) return RedisModule_ReplyWithError(ctx, "ERR flags too long");
    memcpy(fmt, flags, flen);
    strcpy(fmt + flen, "v");
    if (flen == 1 && flags[0] == '-') strcpy(fmt, "v");
    const char *cmd = RedisModule_StringPtrLen(argv[2], NULL);
    RedisModuleCallReply *r = RedisModule_Call(ctx, cmd, fmt, argv + 3, (size_t)(argc - 3));
    if (!r) return RedisModule_ReplyWithError(ctx, "ERR call failed");
    if (RedisModule_ReplyWithCallReply(ctx, r) != REDISMODULE_OK)
        RedisModule_ReplyWithError(ctx, "ERR reply not sendable to this client");
    RedisModule_FreeCallReply(r);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmreplies", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmr.reply", Reply, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmr.call", CallReply, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
