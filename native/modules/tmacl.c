/*
 * Trellis test module for users and ACL checks: module users and their rules,
 * running a Call as a user ('C'), checking commands/keys/channels for a named
 * user, ACL log entries, and authenticating the calling client.
 */
#include "redismodule.h"
#include <errno.h>
#include <string.h>

static long long user_changes = 0;

/* TMA.WHOAMI: the name of the calling client's user. */
static int WhoAmI(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    if (argc != 1) return RedisModule_WrongArity(ctx);
    RedisModuleString *name = RedisModule_GetCurrentUserName(ctx);
    RedisModule_ReplyWithString(ctx, name);
    RedisModule_FreeString(ctx, name);
    return REDISMODULE_OK;
}

/* TMA.CHECKCMD user cmd [args...]: OK, or an error naming the errno's meaning. */
static int CheckCmd(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    RedisModuleUser *u = RedisModule_GetModuleUserFromUserName(argv[1]);
    if (!u) return RedisModule_ReplyWithError(ctx, "ERR no such user");
    int rc = RedisModule_ACLCheckCommandPermissions(u, argv + 2, argc - 2);
    int e = errno;
    RedisModule_FreeModuleUser(u);
    if (rc == REDISMODULE_OK) return RedisModule_ReplyWithSimpleString(ctx, "OK");
    return RedisModule_ReplyWithError(ctx, e == EACCES ? "DENIED EACCES" : e == ENOENT ? "DENIED ENOENT" : "DENIED");
}

/* TMA.CHECKKEY user key R|W|RW|none: OK or DENIED. */
static int CheckKey(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 4) return RedisModule_WrongArity(ctx);
    RedisModuleUser *u = RedisModule_GetModuleUserFromUserName(argv[1]);
    if (!u) return RedisModule_ReplyWithError(ctx, "ERR no such user");
    const char *f = RedisModule_StringPtrLen(argv[3], NULL);
    int flags = 0;
    if (strchr(f, 'R')) flags |= REDISMODULE_CMD_KEY_ACCESS;
    if (strchr(f, 'W')) flags |= REDISMODULE_CMD_KEY_UPDATE;
    if (strchr(f, 'X')) flags |= REDISMODULE_CMD_KEY_RW; /* not allowed: EINVAL */
    int rc = RedisModule_ACLCheckKeyPermissions(u, argv[2], flags);
    int e = errno;
    RedisModule_FreeModuleUser(u);
    if (rc == REDISMODULE_OK) return RedisModule_ReplyWithSimpleString(ctx, "OK");
    return RedisModule_ReplyWithError(ctx, e == EINVAL ? "DENIED EINVAL" : "DENIED");
}

/* TMA.CHECKCHANNEL user channel [pattern]: OK or DENIED. */
static int CheckChannel(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3 && argc != 4) return RedisModule_WrongArity(ctx);
    RedisModuleUser *u = RedisModule_GetModuleUserFromUserName(argv[1]);
    if (!u) return RedisModule_ReplyWithError(ctx, "ERR no such user");
    int flags = REDISMODULE_CMD_CHANNEL_SUBSCRIBE | (argc == 4 ? REDISMODULE_CMD_CHANNEL_PATTERN : 0);
    int rc = RedisModule_ACLCheckChannelPermissions(u, argv[2], flags);
    RedisModule_FreeModuleUser(u);
    return rc == REDISMODULE_OK ? RedisModule_ReplyWithSimpleString(ctx, "OK")
                                : RedisModule_ReplyWithError(ctx, "DENIED");
}

/* TMA.CALLAS "rules" cmd [args...]: runs the command as a fresh module user with those rules. */
static int CallAs(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 3) return RedisModule_WrongArity(ctx);
    RedisModuleUser *u = RedisModule_CreateModuleUser("tma_user");
    RedisModuleString *err = NULL;
    if (RedisModule_SetModuleUserACLString(ctx, u, RedisModule_StringPtrLen(argv[1], NULL), &err) != REDISMODULE_OK) {
        RedisModule_FreeModuleUser(u);
        RedisModule_ReplyWithError(ctx, RedisModule_StringPtrLen(err, NULL));
        RedisModule_FreeString(ctx, err);
        return REDISMODULE_OK;
    }
    RedisModule_SetContextUser(ctx, u);
    const char *cmd = RedisModule_StringPtrLen(argv[2], NULL);
    RedisModuleCallReply *r = RedisModule_Call(ctx, cmd, "CEv", argv + 3, (size_t)(argc - 3));
    int e = errno;
    RedisModule_SetContextUser(ctx, NULL);
    if (r) {
        RedisModule_ReplyWithCallReply(ctx, r);
        RedisModule_FreeCallReply(r);
    } else {
        RedisModule_ReplyWithError(ctx, e == EACCES ? "ERR errno EACCES" : "ERR no reply");
    }
    RedisModule_FreeModuleUser(u);
    return REDISMODULE_OK;
}

/* TMA.USERACL "rules": the ACL string of a module user given those rules one by one. */
static int UserAcl(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc < 2) return RedisModule_WrongArity(ctx);
    RedisModuleUser *u = RedisModule_CreateModuleUser("tma_user");
    for (int i = 1; i < argc; i++) {
        if (RedisModule_SetModuleUserACL(u, RedisModule_StringPtrLen(argv[i], NULL)) != REDISMODULE_OK) {
            RedisModule_FreeModuleUser(u);
            return RedisModule_ReplyWithError(ctx, "ERR bad rule");
        }
    }
    RedisModuleString *s = RedisModule_GetModuleUserACLString(u);
    RedisModule_ReplyWithString(ctx, s);
    RedisModule_FreeString(NULL, s);
    RedisModule_FreeModuleUser(u);
    return REDISMODULE_OK;
}

static void UserChanged(uint64_t client_id, void *privdata) {
    REDISMODULE_NOT_USED(client_id);
    REDISMODULE_NOT_USED(privdata);
    user_changes++;
}

/* TMA.AUTH name: authenticates the caller as an ACL user; replies its client id. */
static int Auth(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    size_t len;
    const char *name = RedisModule_StringPtrLen(argv[1], &len);
    uint64_t id = 0;
    if (RedisModule_AuthenticateClientWithACLUser(ctx, name, len, UserChanged, NULL, &id) != REDISMODULE_OK)
        return RedisModule_ReplyWithError(ctx, "ERR cannot authenticate");
    return RedisModule_ReplyWithLongLong(ctx, (long long)id);
}

/* TMA.CHANGES: user-changed callbacks fired so far. */
static int Changes(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    return RedisModule_ReplyWithLongLong(ctx, user_changes);
}

/* TMA.LOG username object: an ACL log entry of reason "key" in the module context. */
static int Log(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    RedisModule_ACLAddLogEntryByUserName(ctx, argv[1], argv[2], REDISMODULE_ACL_LOG_KEY);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    if (RedisModule_Init(ctx, "tmacl", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    struct { const char *name; RedisModuleCmdFunc f; } cmds[] = {
        {"tma.whoami", WhoAmI}, {"tma.checkcmd", CheckCmd}, {"tma.checkkey", CheckKey},
        {"tma.checkchannel", CheckChannel}, {"tma.callas", CallAs}, {"tma.useracl", UserAcl},
        {"tma.auth", Auth}, {"tma.changes", Changes}, {"tma.log", Log},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].f, "", 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    return REDISMODULE_OK;
}
