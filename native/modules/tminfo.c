/*
 * Trellis test module for INFO and configs: module INFO sections (fields of
 * every kind, a dictionary field, a section that is only shown when asked for
 * by name), reading the server's INFO (GetServerInfo), and one config of each
 * kind (bool, numeric with memory units, string, enum, bit-flag enum) with an
 * apply callback that can refuse.
 *
 *   TMI.FIELD section field     ServerInfoGetField (+C, Signed, Unsigned, Double)
 *   TMI.APPLIED                 how many times the apply callback ran
 */
#include "redismodule.h"
#include <string.h>
#include <stdio.h>

static int mbool = 1;
static int mimmutable = 0;
static long long mnum = 1024;
static long long snum = -1;
static RedisModuleString *mstr;
static int menum = 1;
static int mflags = 3;
static long long applied;

static void info(RedisModuleInfoCtx *ctx, int for_crash_report) {
    RedisModule_InfoAddSection(ctx, "");
    RedisModule_InfoAddFieldLongLong(ctx, "global", -2);
    RedisModule_InfoAddFieldULongLong(ctx, "uglobal", (unsigned long long)-2);
    RedisModule_InfoAddFieldDouble(ctx, "ratio", 0.1);
    RedisModule_InfoAddFieldCString(ctx, "text", "a:b");
    RedisModule_InfoBeginDictField(ctx, "dict");
    RedisModule_InfoAddFieldLongLong(ctx, "k1", 1);
    RedisModule_InfoAddFieldCString(ctx, "k2", "two");
    RedisModule_InfoEndDictField(ctx);
    if (RedisModule_InfoAddSection(ctx, "extra") == REDISMODULE_OK) {
        RedisModule_InfoAddFieldLongLong(ctx, "value", 42);
        RedisModule_InfoBeginDictField(ctx, "open"); /* ended implicitly */
        RedisModule_InfoAddFieldLongLong(ctx, "x", 1);
    }
}

static int getbool(const char *name, void *pd) { return *(int *)pd; }
static int setbool(const char *name, int v, void *pd, RedisModuleString **err) { *(int *)pd = v; return REDISMODULE_OK; }
static long long getnum(const char *name, void *pd) { return *(long long *)pd; }
static int setnum(const char *name, long long v, void *pd, RedisModuleString **err) {
    *(long long *)pd = v;
    return REDISMODULE_OK;
}
static RedisModuleString *getstr(const char *name, void *pd) { return mstr; }
static int setstr(const char *name, RedisModuleString *v, void *pd, RedisModuleString **err) {
    size_t len;
    const char *p = RedisModule_StringPtrLen(v, &len);
    if (len == 6 && !memcmp(p, "reject", 6)) {
        *err = RedisModule_CreateString(NULL, "Cannot set string to 'reject'", 29);
        return REDISMODULE_ERR;
    }
    if (mstr) RedisModule_FreeString(NULL, mstr);
    RedisModule_RetainString(NULL, v);
    mstr = v;
    return REDISMODULE_OK;
}
static int getenum(const char *name, void *pd) { return *(int *)pd; }
static int setenum(const char *name, int v, void *pd, RedisModuleString **err) { *(int *)pd = v; return REDISMODULE_OK; }
static int apply(RedisModuleCtx *ctx, void *pd, RedisModuleString **err) {
    applied++;
    if (mnum == snum) {
        *err = RedisModule_CreateString(NULL, "These configs cannot equal each other.", 38);
        return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}

static int Field(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_AutoMemory(ctx);
    const char *section = RedisModule_StringPtrLen(argv[1], NULL);
    const char *field = RedisModule_StringPtrLen(argv[2], NULL);
    RedisModuleServerInfoData *d = RedisModule_GetServerInfo(ctx, section);
    RedisModuleString *s = RedisModule_ServerInfoGetField(ctx, d, field);
    const char *c = RedisModule_ServerInfoGetFieldC(d, field);
    int e1, e2, e3;
    long long sl = RedisModule_ServerInfoGetFieldSigned(d, field, &e1);
    unsigned long long ul = RedisModule_ServerInfoGetFieldUnsigned(d, field, &e2);
    double db = RedisModule_ServerInfoGetFieldDouble(d, field, &e3);
    RedisModule_ReplyWithArray(ctx, 5);
    if (s) RedisModule_ReplyWithString(ctx, s); else RedisModule_ReplyWithNull(ctx);
    if (c) RedisModule_ReplyWithCString(ctx, c); else RedisModule_ReplyWithNull(ctx);
    if (e1 == REDISMODULE_OK) RedisModule_ReplyWithLongLong(ctx, sl); else RedisModule_ReplyWithNull(ctx);
    if (e2 == REDISMODULE_OK) RedisModule_ReplyWithLongLong(ctx, (long long)ul); else RedisModule_ReplyWithNull(ctx);
    if (e3 == REDISMODULE_OK) RedisModule_ReplyWithDouble(ctx, db); else RedisModule_ReplyWithNull(ctx);
    RedisModule_FreeServerInfo(ctx, d);
    return REDISMODULE_OK;
}

static int Applied(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithLongLong(ctx, applied);
}

static int Late(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_RegisterBoolConfig(ctx, "late", 1, REDISMODULE_CONFIG_DEFAULT, getbool, setbool, NULL, &mbool) !=
        REDISMODULE_ERR) return RedisModule_ReplyWithError(ctx, "ERR registered late");
    if (RedisModule_LoadConfigs(ctx) != REDISMODULE_ERR) return RedisModule_ReplyWithError(ctx, "ERR loaded late");
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tminfo", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModule_RegisterInfoFunc(ctx, info);
    const char *enum_names[] = {"one", "two", "three"};
    const int enum_vals[] = {1, 2, 3};
    const char *flag_names[] = {"none", "five", "one", "two", "four"};
    const int flag_vals[] = {0, 5, 1, 2, 4};
    if (RedisModule_RegisterBoolConfig(ctx, "bool", 1, REDISMODULE_CONFIG_DEFAULT, getbool, setbool, NULL, &mbool) ||
        RedisModule_RegisterNumericConfig(ctx, "memory", 1024, REDISMODULE_CONFIG_MEMORY, 0, 3000000000LL, getnum,
                                          setnum, apply, &mnum) ||
        RedisModule_RegisterNumericConfig(ctx, "numeric", -1, REDISMODULE_CONFIG_DEFAULT, -5, 2000, getnum, setnum,
                                          apply, &snum) ||
        RedisModule_RegisterStringConfig(ctx, "string", "secret password", REDISMODULE_CONFIG_DEFAULT, getstr, setstr,
                                         NULL, NULL) ||
        RedisModule_RegisterEnumConfig(ctx, "enum", 1, REDISMODULE_CONFIG_DEFAULT, enum_names, enum_vals, 3, getenum,
                                       setenum, NULL, &menum) ||
        RedisModule_RegisterEnumConfig(ctx, "flags", 3, REDISMODULE_CONFIG_BITFLAGS, flag_names, flag_vals, 5,
                                       getenum, setenum, NULL, &mflags) ||
        RedisModule_RegisterBoolConfig(ctx, "immutable", 0, REDISMODULE_CONFIG_IMMUTABLE, getbool, setbool, NULL, &mimmutable))
        return REDISMODULE_ERR;
    /* Invalid names and flags are refused. */
    if (RedisModule_RegisterBoolConfig(ctx, "bad name", 1, 0, getbool, setbool, NULL, &mbool) != REDISMODULE_ERR ||
        RedisModule_RegisterBoolConfig(ctx, "bool", 1, 0, getbool, setbool, NULL, &mbool) != REDISMODULE_ERR ||
        RedisModule_RegisterBoolConfig(ctx, "mem", 1, REDISMODULE_CONFIG_MEMORY, getbool, setbool, NULL, &mbool) !=
            REDISMODULE_ERR)
        return REDISMODULE_ERR;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(RedisModule_StringPtrLen(argv[i], NULL), "noload")) goto commands;
    }
    if (RedisModule_LoadConfigs(ctx) == REDISMODULE_ERR) return REDISMODULE_ERR;
commands:
    if (RedisModule_CreateCommand(ctx, "tmi.field", Field, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmi.applied", Applied, "readonly", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmi.late", Late, "readonly", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
