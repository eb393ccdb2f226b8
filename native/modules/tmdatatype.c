/*
 * Trellis test module for module data types: a type "trlsdtype" whose value
 * is a number, a name and a list of strings, with every callback of the
 * version 5 methods struct (rdb load/save using each field kind, aux data
 * before and after the keyspace, digest, mem_usage2, free_effort2, unlink2,
 * copy2) and counters the tests read to see which callbacks ran.
 *
 *   TMT.SET key num name          set (replacing any value)
 *   TMT.GET key                   [num, name, items...] or nil
 *   TMT.PUSH key item...          append items; returns the count
 *   TMT.DUMP key                  SaveDataTypeToString
 *   TMT.RESTORE key payload encv  LoadDataTypeFromStringEncver, then set
 *   TMT.SWAP a b                  exchange values with ModuleTypeReplaceValue
 *   TMT.INFO key                  [keytype, our-type?, dbid-ok]
 *   TMT.STATS                     [frees, unlinks, copies, loads, saves, aux-loaded]
 *   TMT.AUX value                 the value aux_save writes (before and after)
 *   TMT.LATE                      CreateDataType outside OnLoad: OK if refused
 *   TMT.FAILCOPY 0|1              make copy2 fail
 */
#include "redismodule.h"
#include <string.h>
#include <stdlib.h>

typedef struct {
    long long num;
    RedisModuleString *name;
    RedisModuleString **items;
    size_t count;
    double weight;
    float ratio;
    long double precise;
} Value;

static RedisModuleType *Type;
static long long frees, unlinks, copies, loads, saves;
static RedisModuleString *aux_value;
static long long aux_loaded_before = -1, aux_loaded_after = -1;
static RedisModuleString *aux_loaded_text;
static int fail_copy;

static Value *value_new(long long num, RedisModuleString *name) {
    Value *v = RedisModule_Calloc(1, sizeof(*v));
    v->num = num;
    v->name = name;
    v->weight = num * 0.5;
    v->ratio = (float)num / 4;
    v->precise = (long double)num / 3;
    return v;
}

static void value_free(void *p) {
    Value *v = p;
    if (v->name) RedisModule_FreeString(NULL, v->name);
    for (size_t i = 0; i < v->count; i++) RedisModule_FreeString(NULL, v->items[i]);
    RedisModule_Free(v->items);
    RedisModule_Free(v);
    frees++;
}

static void value_push(Value *v, RedisModuleString *s) {
    v->items = RedisModule_Realloc(v->items, sizeof(*v->items) * (v->count + 1));
    v->items[v->count++] = s;
}

static void *rdb_load(RedisModuleIO *io, int encver) {
    if (encver > 4) return NULL;
    long long num = RedisModule_LoadSigned(io);
    RedisModuleString *name = RedisModule_LoadString(io);
    if (RedisModule_IsIOError(io)) {
        if (name) RedisModule_FreeString(NULL, name);
        return NULL;
    }
    Value *v = value_new(num, name);
    v->weight = RedisModule_LoadDouble(io);
    v->ratio = RedisModule_LoadFloat(io);
    v->precise = RedisModule_LoadLongDouble(io);
    uint64_t n = RedisModule_LoadUnsigned(io);
    for (uint64_t i = 0; i < n && !RedisModule_IsIOError(io); i++) {
        size_t len;
        char *buf = RedisModule_LoadStringBuffer(io, &len);
        if (!buf) break;
        value_push(v, RedisModule_CreateString(NULL, buf, len));
        RedisModule_Free(buf);
    }
    if (RedisModule_IsIOError(io)) {
        value_free(v);
        frees--;
        return NULL;
    }
    loads++;
    return v;
}

static void rdb_save(RedisModuleIO *io, void *p) {
    Value *v = p;
    RedisModule_SaveSigned(io, v->num);
    RedisModule_SaveString(io, v->name);
    RedisModule_SaveDouble(io, v->weight);
    RedisModule_SaveFloat(io, v->ratio);
    RedisModule_SaveLongDouble(io, v->precise);
    RedisModule_SaveUnsigned(io, v->count);
    for (size_t i = 0; i < v->count; i++) {
        size_t len;
        const char *s = RedisModule_StringPtrLen(v->items[i], &len);
        RedisModule_SaveStringBuffer(io, s, len);
    }
    saves++;
}

static void aof_rewrite(RedisModuleIO *aof, RedisModuleString *key, void *p) {
    Value *v = p;
    RedisModule_EmitAOF(aof, "TMT.SET", "sls", key, v->num, v->name);
}

static size_t mem_usage2(RedisModuleKeyOptCtx *ctx, const void *p, size_t samples) {
    const Value *v = p;
    const RedisModuleString *key = RedisModule_GetKeyNameFromOptCtx(ctx);
    size_t extra = key ? 1000 : 0; /* tells the test the key name arrived */
    return sizeof(*v) + v->count * 100 + extra;
}

static void digest(RedisModuleDigest *md, void *p) {
    Value *v = p;
    RedisModule_DigestAddLongLong(md, v->num);
    size_t len;
    const char *s = RedisModule_StringPtrLen(v->name, &len);
    RedisModule_DigestAddStringBuffer(md, s, len);
    RedisModule_DigestEndSequence(md);
    for (size_t i = 0; i < v->count; i++) {
        s = RedisModule_StringPtrLen(v->items[i], &len);
        RedisModule_DigestAddStringBuffer(md, s, len);
    }
    RedisModule_DigestEndSequence(md);
    /* Where the value lives (DEBUG DIGEST tells; a lone value digest gives no key, db -1). */
    const RedisModuleString *key = RedisModule_GetKeyNameFromDigest(md);
    if (key) {
        s = RedisModule_StringPtrLen(key, &len);
        RedisModule_DigestAddStringBuffer(md, s, len);
    }
    RedisModule_DigestAddLongLong(md, RedisModule_GetDbIdFromDigest(md));
    RedisModule_DigestEndSequence(md);
}

static size_t free_effort2(RedisModuleKeyOptCtx *ctx, const void *p) {
    const Value *v = p;
    return v->count;
}

static void unlink2(RedisModuleKeyOptCtx *ctx, const void *p) {
    unlinks++;
}

static void *copy2(RedisModuleKeyOptCtx *ctx, const void *p) {
    const Value *v = p;
    if (fail_copy) return NULL;
    const RedisModuleString *from = RedisModule_GetKeyNameFromOptCtx(ctx);
    const RedisModuleString *to = RedisModule_GetToKeyNameFromOptCtx(ctx);
    RedisModuleString *name = RedisModule_CreateStringFromString(NULL, v->name);
    size_t len;
    const char *s = RedisModule_StringPtrLen(from, &len);
    RedisModule_StringAppendBuffer(NULL, name, "/", 1);
    RedisModule_StringAppendBuffer(NULL, name, s, len);
    s = RedisModule_StringPtrLen(to, &len);
    RedisModule_StringAppendBuffer(NULL, name, "/", 1);
    RedisModule_StringAppendBuffer(NULL, name, s, len);
    char db[32];
    int n = snprintf(db, sizeof(db), "/%d/%d", RedisModule_GetDbIdFromOptCtx(ctx), RedisModule_GetToDbIdFromOptCtx(ctx));
    RedisModule_StringAppendBuffer(NULL, name, db, n);
    Value *c = value_new(v->num, name);
    for (size_t i = 0; i < v->count; i++) value_push(c, RedisModule_CreateStringFromString(NULL, v->items[i]));
    copies++;
    return c;
}

static void aux_save2(RedisModuleIO *io, int when) {
    if (!aux_value) return; /* nothing to say: no aux record at all */
    RedisModule_SaveSigned(io, when);
    RedisModule_SaveString(io, aux_value);
}

static int aux_load(RedisModuleIO *io, int encver, int when) {
    long long w = RedisModule_LoadSigned(io);
    RedisModuleString *s = RedisModule_LoadString(io);
    if (RedisModule_IsIOError(io) || w != when) {
        if (s) RedisModule_FreeString(NULL, s);
        return REDISMODULE_ERR;
    }
    if (when == REDISMODULE_AUX_BEFORE_RDB) aux_loaded_before = w;
    else aux_loaded_after = w;
    if (aux_loaded_text) RedisModule_FreeString(NULL, aux_loaded_text);
    aux_loaded_text = s;
    return REDISMODULE_OK;
}

static Value *open_value(RedisModuleCtx *ctx, RedisModuleString *name, int mode, RedisModuleKey **out, int *wrongtype) {
    RedisModuleKey *key = RedisModule_OpenKey(ctx, name, mode);
    *out = key;
    *wrongtype = 0;
    int t = RedisModule_KeyType(key);
    if (t == REDISMODULE_KEYTYPE_EMPTY) return NULL;
    if (t != REDISMODULE_KEYTYPE_MODULE || RedisModule_ModuleTypeGetType(key) != Type) {
        *wrongtype = 1;
        return NULL;
    }
    return RedisModule_ModuleTypeGetValue(key);
}

static int Set(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long num;
    if (RedisModule_StringToLongLong(argv[2], &num) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR invalid number");
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE);
    RedisModule_RetainString(NULL, argv[3]);
    Value *v = value_new(num, argv[3]);
    if (RedisModule_ModuleTypeSetValue(key, Type, v) != REDISMODULE_OK) {
        value_free(v);
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, "ERR set failed");
    }
    RedisModule_CloseKey(key);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Get(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key;
    int wrong;
    Value *v = open_value(ctx, argv[1], REDISMODULE_READ, &key, &wrong);
    if (wrong) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    if (!v) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithNull(ctx);
    }
    RedisModule_ReplyWithArray(ctx, 5 + v->count);
    RedisModule_ReplyWithLongLong(ctx, v->num);
    RedisModule_ReplyWithString(ctx, v->name);
    RedisModule_ReplyWithDouble(ctx, v->weight);
    RedisModule_ReplyWithDouble(ctx, v->ratio);
    RedisModule_ReplyWithLongDouble(ctx, v->precise);
    for (size_t i = 0; i < v->count; i++) RedisModule_ReplyWithString(ctx, v->items[i]);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int Push(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key;
    int wrong;
    Value *v = open_value(ctx, argv[1], REDISMODULE_READ | REDISMODULE_WRITE, &key, &wrong);
    if (wrong) {
        RedisModule_CloseKey(key);
        return RedisModule_ReplyWithError(ctx, REDISMODULE_ERRORMSG_WRONGTYPE);
    }
    if (!v) {
        v = value_new(0, RedisModule_CreateString(NULL, "", 0));
        RedisModule_ModuleTypeSetValue(key, Type, v);
    }
    for (int i = 2; i < argc; i++) {
        RedisModule_RetainString(NULL, argv[i]);
        value_push(v, argv[i]);
    }
    RedisModule_CloseKey(key);
    return RedisModule_ReplyWithLongLong(ctx, (long long)v->count);
}

static int Dump(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key;
    int wrong;
    Value *v = open_value(ctx, argv[1], REDISMODULE_READ, &key, &wrong);
    RedisModule_CloseKey(key);
    if (!v) return RedisModule_ReplyWithNull(ctx);
    RedisModuleString *s = RedisModule_SaveDataTypeToString(ctx, v, Type);
    if (!s) return RedisModule_ReplyWithError(ctx, "ERR dump failed");
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(ctx, s);
    return REDISMODULE_OK;
}

static int Restore(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    long long encver;
    RedisModule_StringToLongLong(argv[3], &encver);
    Value *v = RedisModule_LoadDataTypeFromStringEncver(argv[2], Type, (int)encver);
    if (!v) return RedisModule_ReplyWithError(ctx, "ERR Invalid payload");
    loads--; /* not an RDB load */
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModule_ModuleTypeSetValue(key, Type, v);
    RedisModule_CloseKey(key);
    return RedisModule_ReplyWithLongLong(ctx, encver);
}

static int Swap(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModuleKey *a = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_WRITE);
    RedisModuleKey *b = RedisModule_OpenKey(ctx, argv[2], REDISMODULE_WRITE);
    void *va = RedisModule_ModuleTypeGetValue(a);
    void *old = NULL;
    int rc = va ? RedisModule_ModuleTypeReplaceValue(b, Type, va, &old) : REDISMODULE_ERR;
    if (rc == REDISMODULE_OK) {
        void *check = NULL;
        RedisModule_ModuleTypeReplaceValue(a, Type, old, &check);
        if (check != va) rc = REDISMODULE_ERR;
    }
    RedisModule_CloseKey(a);
    RedisModule_CloseKey(b);
    if (rc != REDISMODULE_OK) return RedisModule_ReplyWithError(ctx, "ERR swap failed");
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Info(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModuleKey *key = RedisModule_OpenKey(ctx, argv[1], REDISMODULE_READ);
    RedisModule_ReplyWithArray(ctx, 3);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_KeyType(key));
    RedisModule_ReplyWithLongLong(ctx, RedisModule_ModuleTypeGetType(key) == Type);
    RedisModule_ReplyWithLongLong(ctx, key ? RedisModule_GetDbIdFromModuleKey(key) : -1);
    RedisModule_CloseKey(key);
    return REDISMODULE_OK;
}

static int Stats(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, 8);
    RedisModule_ReplyWithLongLong(ctx, frees);
    RedisModule_ReplyWithLongLong(ctx, unlinks);
    RedisModule_ReplyWithLongLong(ctx, copies);
    RedisModule_ReplyWithLongLong(ctx, loads);
    RedisModule_ReplyWithLongLong(ctx, saves);
    RedisModule_ReplyWithLongLong(ctx, aux_loaded_before);
    RedisModule_ReplyWithLongLong(ctx, aux_loaded_after);
    if (aux_loaded_text) RedisModule_ReplyWithString(ctx, aux_loaded_text);
    else RedisModule_ReplyWithNull(ctx);
    return REDISMODULE_OK;
}

static int Aux(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    if (aux_value) RedisModule_FreeString(NULL, aux_value);
    aux_value = RedisModule_CreateStringFromString(NULL, argv[1]);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Late(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleTypeMethods tm = {.version = REDISMODULE_TYPE_METHOD_VERSION, .rdb_load = rdb_load,
                                 .rdb_save = rdb_save, .free = value_free};
    RedisModuleType *t = RedisModule_CreateDataType(ctx, "trlslate1", 0, &tm);
    return t ? RedisModule_ReplyWithError(ctx, "ERR created outside OnLoad")
             : RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int FailCopy(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long on = 0;
    RedisModule_StringToLongLong(argv[1], &on);
    fail_copy = (int)on;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmdatatype", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModule_SetModuleOptions(ctx, REDISMODULE_OPTIONS_HANDLE_IO_ERRORS);
    RedisModuleTypeMethods tm = {
        .version = REDISMODULE_TYPE_METHOD_VERSION,
        .rdb_load = rdb_load,
        .rdb_save = rdb_save,
        .aof_rewrite = aof_rewrite,
        .digest = digest,
        .free = value_free,
        .aux_load = aux_load,
        .aux_save_triggers = REDISMODULE_AUX_BEFORE_RDB | REDISMODULE_AUX_AFTER_RDB,
        .mem_usage2 = mem_usage2,
        .free_effort2 = free_effort2,
        .unlink2 = unlink2,
        .copy2 = copy2,
        .aux_save2 = aux_save2,
    };
    /* Invalid names and versions are refused. */
    if (RedisModule_CreateDataType(ctx, "short", 0, &tm) != NULL) return REDISMODULE_ERR;
    if (RedisModule_CreateDataType(ctx, "bad name!", 0, &tm) != NULL) return REDISMODULE_ERR;
    if (RedisModule_CreateDataType(ctx, "trlsdtype", 1024, &tm) != NULL) return REDISMODULE_ERR;
    Type = RedisModule_CreateDataType(ctx, "trlsdtype", 4, &tm);
    if (!Type) return REDISMODULE_ERR;

    struct { const char *name; RedisModuleCmdFunc fn; const char *flags; int first, last; } cmds[] = {
        {"tmt.set", Set, "write deny-oom", 1, 1},
        {"tmt.get", Get, "readonly", 1, 1},
        {"tmt.push", Push, "write deny-oom", 1, 1},
        {"tmt.dump", Dump, "readonly", 1, 1},
        {"tmt.restore", Restore, "write deny-oom", 1, 1},
        {"tmt.swap", Swap, "write", 1, 2},
        {"tmt.info", Info, "readonly", 1, 1},
        {"tmt.stats", Stats, "readonly", 0, 0},
        {"tmt.aux", Aux, "write", 0, 0},
        {"tmt.late", Late, "write", 0, 0},
        {"tmt.failcopy", FailCopy, "write", 0, 0},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, cmds[i].first, cmds[i].last, 1) ==
            REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
