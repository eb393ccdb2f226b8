/*
 * Trellis test module for the commands API: CreateCommand flags and key
 * positions, subcommands, SetCommandInfo, ACL categories, the getkeys-api,
 * GetCommandKeys, GetCurrentCommandName and WrongArity.
 *
 * TMC.CHECKS replies with the outcome (0 OK / 1 ERR) of every registration the
 * module tried in OnLoad that should have failed or succeeded, in order.
 */
#include "redismodule.h"
#include <errno.h>
#include <string.h>

#define MAX_CHECKS 64
static long long checks[MAX_CHECKS];
static int nchecks = 0;
static void check(long long v) { if (nchecks < MAX_CHECKS) checks[nchecks++] = v; }

static int Checks(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    RedisModule_ReplyWithArray(ctx, nchecks);
    for (int i = 0; i < nchecks; i++) RedisModule_ReplyWithLongLong(ctx, checks[i]);
    return REDISMODULE_OK;
}

/* Replies with its own name and argc. */
static int Echo(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithCString(ctx, RedisModule_GetCurrentCommandName(ctx));
    RedisModule_ReplyWithLongLong(ctx, argc);
    return REDISMODULE_OK;
}

static int Arity2(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    return RedisModule_ReplyWithString(ctx, argv[1]);
}

/* TMC.GETKEYS [anything] KEYS k1 k2 ...: keys follow the KEYS keyword; the
 * first one is read-only, the others read-write. */
static int GetKeys(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_IsKeysPositionRequest(ctx)) {
        int seen = 0;
        for (int i = 1; i < argc; i++) {
            size_t len;
            const char *s = RedisModule_StringPtrLen(argv[i], &len);
            if (seen) {
                if (seen == 1) RedisModule_KeyAtPosWithFlags(ctx, i, REDISMODULE_CMD_KEY_RO | REDISMODULE_CMD_KEY_ACCESS);
                else RedisModule_KeyAtPos(ctx, i);
                seen++;
            } else if (len == 4 && !strncasecmp(s, "keys", 4)) {
                seen = 1;
            }
        }
        return REDISMODULE_OK;
    }
    return RedisModule_ReplyWithSimpleString(ctx, "EXECUTED");
}

/* TMC.KEYSOF cmd args...: GetCommandKeysWithFlags on the rest of the line. */
static int KeysOf(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    int num = 0, *flags = NULL;
    errno = 0;
    int *keys = RedisModule_GetCommandKeysWithFlags(ctx, argv + 1, argc - 1, &num, &flags);
    if (!keys) {
        if (errno == ENOENT) return RedisModule_ReplyWithError(ctx, "ERR ENOENT");
        if (errno == EINVAL) return RedisModule_ReplyWithError(ctx, "ERR EINVAL");
        return RedisModule_ReplyWithEmptyArray(ctx);
    }
    RedisModule_ReplyWithArray(ctx, num);
    for (int i = 0; i < num; i++) {
        RedisModule_ReplyWithArray(ctx, 2);
        RedisModule_ReplyWithLongLong(ctx, keys[i]); /* position in the inner command */
        RedisModule_ReplyWithLongLong(ctx, flags[i]);
    }
    RedisModule_Free(keys);
    RedisModule_Free(flags);
    return REDISMODULE_OK;
}

/* TMC.LATE: registration outside OnLoad must fail. */
static int Late(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    int rc = RedisModule_CreateCommand(ctx, "tmc.late2", Echo, "", 0, 0, 0);
    return RedisModule_ReplyWithLongLong(ctx, rc);
}

static RedisModuleCommandKeySpec info_specs[] = {
    {.notes = "the source", .flags = REDISMODULE_CMD_KEY_RO | REDISMODULE_CMD_KEY_ACCESS,
     .begin_search_type = REDISMODULE_KSPEC_BS_INDEX, .bs.index.pos = 1,
     .find_keys_type = REDISMODULE_KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {.flags = REDISMODULE_CMD_KEY_OW | REDISMODULE_CMD_KEY_UPDATE,
     .begin_search_type = REDISMODULE_KSPEC_BS_KEYWORD, .bs.keyword = {"STORE", 2},
     .find_keys_type = REDISMODULE_KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0}
};

static RedisModuleCommandArg info_mode_args[] = {
    {.name = "fast", .type = REDISMODULE_ARG_TYPE_PURE_TOKEN, .token = "FAST"},
    {.name = "slow", .type = REDISMODULE_ARG_TYPE_PURE_TOKEN, .token = "SLOW"},
    {0}
};

static RedisModuleCommandArg info_args[] = {
    {.name = "src", .type = REDISMODULE_ARG_TYPE_KEY, .key_spec_index = 0},
    {.name = "count", .type = REDISMODULE_ARG_TYPE_INTEGER, .summary = "how many", .since = "1.1",
     .flags = REDISMODULE_CMD_ARG_OPTIONAL},
    {.name = "mode", .type = REDISMODULE_ARG_TYPE_ONEOF, .subargs = info_mode_args,
     .flags = REDISMODULE_CMD_ARG_OPTIONAL},
    {.name = "dst", .type = REDISMODULE_ARG_TYPE_KEY, .key_spec_index = 1, .token = "STORE",
     .flags = REDISMODULE_CMD_ARG_OPTIONAL, .display_text = "destination"},
    {0}
};

static RedisModuleCommandHistoryEntry info_history[] = {
    {"1.1", "Added the `count` argument."},
    {0}
};

static const RedisModuleCommandInfo info = {
    .version = REDISMODULE_COMMAND_INFO_VERSION,
    .summary = "Copies a value, maybe",
    .complexity = "O(1)",
    .since = "1.0",
    .history = info_history,
    .tips = "nondeterministic_output request_policy:all_shards",
    .arity = -2,
    .key_specs = info_specs,
    .args = info_args,
};

static RedisModuleCommandKeySpec bad_specs[] = {
    {.flags = REDISMODULE_CMD_KEY_RO | REDISMODULE_CMD_KEY_RW, /* two of RO/RW/OW/RM */
     .begin_search_type = REDISMODULE_KSPEC_BS_INDEX, .bs.index.pos = 1},
    {0}
};

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmcommands", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;

    /* Every flag Redis knows, at once. */
    check(RedisModule_CreateCommand(ctx, "tmc.allflags", Echo,
        "write readonly admin deny-oom deny-script allow-loading pubsub random allow-stale no-monitor "
        "no-slowlog fast getkeys-api no-cluster no-auth may-replicate no-mandatory-keys blocking "
        "allow-busy getchannels-api", 0, 0, 0));                                   /* 0: ok */
    check(RedisModule_CreateCommand(ctx, "tmc.bad1", Echo, "write bogus", 0, 0, 0)); /* 1: unknown flag */
    check(RedisModule_CreateCommand(ctx, "tmc.bad2", Echo, "write  fast", 0, 0, 0)); /* 2: empty word */
    check(RedisModule_CreateCommand(ctx, "tmc bad3", Echo, "", 0, 0, 0));            /* 3: space in name */
    check(RedisModule_CreateCommand(ctx, "tmc|bad4", Echo, "", 0, 0, 0));            /* 4: '|' in name */
    check(RedisModule_CreateCommand(ctx, "GET", Echo, "", 0, 0, 0));                 /* 5: taken */
    check(RedisModule_CreateCommand(ctx, "tmc.echo", Echo, "readonly fast", 0, 0, 0)); /* 6: ok */
    check(RedisModule_CreateCommand(ctx, "TMC.ECHO", Echo, "", 0, 0, 0));            /* 7: taken (case) */
    check(RedisModule_CreateCommand(ctx, "tmc.keys", Echo, "write", 1, -1, 2));      /* 8: MSET-like */
    check(RedisModule_CreateCommand(ctx, "tmc.getkeys", GetKeys, "readonly getkeys-api", 0, 0, 0)); /* 9 */
    check(RedisModule_CreateCommand(ctx, "tmc.keysof", KeysOf, "readonly", 0, 0, 0)); /* 10 */
    check(RedisModule_CreateCommand(ctx, "tmc.arity", Arity2, "", 0, 0, 0));         /* 11 */

    /* Subcommands: a container (no function) with two subcommands. */
    check(RedisModule_CreateCommand(ctx, "tmc.container", NULL, "", 0, 0, 0));      /* 12 */
    RedisModuleCommand *parent = RedisModule_GetCommand(ctx, "tmc.container");
    check(parent != NULL ? 0 : 1);                                                   /* 13 */
    check(RedisModule_CreateSubcommand(parent, "get", Echo, "readonly", 1, 1, 1));   /* 14 */
    check(RedisModule_CreateSubcommand(parent, "set", Echo, "write", 1, 1, 1));      /* 15 */
    check(RedisModule_CreateSubcommand(parent, "GET", Echo, "", 0, 0, 0));           /* 16: taken */
    RedisModuleCommand *sub = RedisModule_GetCommand(ctx, "tmc.container|get");
    check(sub != NULL ? 0 : 1);                                                      /* 17 */
    check(RedisModule_CreateSubcommand(sub, "deeper", Echo, "", 0, 0, 0));           /* 18: 2 levels */
    RedisModuleCommand *echo = RedisModule_GetCommand(ctx, "tmc.echo");
    check(RedisModule_CreateSubcommand(echo, "x", Echo, "", 0, 0, 0));               /* 19: parent has func */
    check(RedisModule_GetCommand(ctx, "get") == NULL ? 0 : 1);                       /* 20: not a module cmd */

    /* Command info. */
    check(RedisModule_CreateCommand(ctx, "tmc.info", Echo, "readonly", 0, 0, 0));    /* 21 */
    RedisModuleCommand *infocmd = RedisModule_GetCommand(ctx, "tmc.info");
    check(RedisModule_SetCommandInfo(infocmd, &info));                               /* 22: ok */
    errno = 0;
    check(RedisModule_SetCommandInfo(infocmd, &info) == REDISMODULE_ERR && errno == EEXIST ? 0 : 1); /* 23 */
    RedisModuleCommandInfo bad = {.version = REDISMODULE_COMMAND_INFO_VERSION, .key_specs = bad_specs};
    check(RedisModule_SetCommandInfo(echo, &bad));                                   /* 24: invalid */
    RedisModuleCommandInfo noversion = {.summary = "x"};
    check(RedisModule_SetCommandInfo(echo, &noversion));                             /* 25: invalid */

    /* ACL categories. */
    check(RedisModule_SetCommandACLCategories(echo, "read fast"));                   /* 26: ok */
    check(RedisModule_SetCommandACLCategories(echo, "read nosuchcat"));              /* 27: unknown */
    check(RedisModule_AddACLCategory(ctx, "tmcat"));                                 /* 28: ok */
    errno = 0;
    check(RedisModule_AddACLCategory(ctx, "tmcat") == REDISMODULE_ERR && errno == EBUSY ? 0 : 1); /* 29 */
    errno = 0;
    check(RedisModule_AddACLCategory(ctx, "bad cat") == REDISMODULE_ERR && errno == EINVAL ? 0 : 1); /* 30 */
    check(RedisModule_SetCommandACLCategories(infocmd, "tmcat read"));               /* 31: ok */

    check(RedisModule_CreateCommand(ctx, "tmc.checks", Checks, "", 0, 0, 0));        /* 32 */
    check(RedisModule_CreateCommand(ctx, "tmc.late", Late, "", 0, 0, 0));            /* 33 */
    return REDISMODULE_OK;
}
