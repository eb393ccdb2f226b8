/*
 * Trellis test module for module authentication (RegisterAuthCallback, BlockClientOnAuth).
 * Its callback, registered at load, looks at the password only:
 *   allow            authenticates the client as the named user
 *   deny             denies with "Denied by tmauth."
 *   block:allow|deny|skip   blocks; a thread unblocks it after 50 ms and the auth reply
 *                    callback then allows, denies or leaves it to the next callback/passwords
 *   block:abort      blocks; the thread aborts the block
 *   anything else    not handled
 *   TMAUTH.BLOCKONAUTH   BlockClientOnAuth outside authentication (an error)
 *   TMAUTH.FREES         private data frees so far
 */
#include "redismodule.h"
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static long long frees;

static int deny(RedisModuleCtx *ctx, RedisModuleString **err) {
    const char *m = "Denied by tmauth.";
    *err = RedisModule_CreateString(ctx, m, strlen(m));
    return REDISMODULE_AUTH_HANDLED;
}

static int allow(RedisModuleCtx *ctx, RedisModuleString *username) {
    size_t len;
    const char *u = RedisModule_StringPtrLen(username, &len);
    RedisModule_AuthenticateClientWithACLUser(ctx, u, len, NULL, NULL, NULL);
    return REDISMODULE_AUTH_HANDLED;
}

/* The verdict the thread decided: 'a'llow, 'd'eny, 's'kip. */
static int auth_reply(RedisModuleCtx *ctx, RedisModuleString *username, RedisModuleString *password,
                      RedisModuleString **err) {
    char *verdict = RedisModule_GetBlockedClientPrivateData(ctx);
    if (*verdict == 'a') return allow(ctx, username);
    if (*verdict == 'd') return deny(ctx, err);
    return REDISMODULE_AUTH_NOT_HANDLED;
}

static void free_verdict(RedisModuleCtx *ctx, void *p) {
    frees++;
    RedisModule_Free(p);
}

typedef struct {
    RedisModuleBlockedClient *bc;
    char verdict;
} Job;

static void *decide(void *arg) {
    Job *j = arg;
    usleep(50000);
    if (j->verdict == 'x') {
        RedisModule_AbortBlock(j->bc);
    } else {
        char *v = RedisModule_Alloc(1);
        *v = j->verdict;
        RedisModule_UnblockClient(j->bc, v);
    }
    RedisModule_Free(j);
    return NULL;
}

static int auth_cb(RedisModuleCtx *ctx, RedisModuleString *username, RedisModuleString *password,
                   RedisModuleString **err) {
    const char *p = RedisModule_StringPtrLen(password, NULL);
    if (!strcmp(p, "allow")) return allow(ctx, username);
    if (!strcmp(p, "deny")) return deny(ctx, err);
    if (strncmp(p, "block:", 6) != 0) return REDISMODULE_AUTH_NOT_HANDLED;
    RedisModuleBlockedClient *bc = RedisModule_BlockClientOnAuth(ctx, auth_reply, free_verdict);
    if (RedisModule_GetContextFlags(ctx) & REDISMODULE_CTX_FLAGS_MULTI) {
        RedisModule_UnblockClient(bc, NULL);
        return REDISMODULE_AUTH_HANDLED;
    }
    Job *j = RedisModule_Alloc(sizeof(*j));
    j->bc = bc;
    j->verdict = !strcmp(p + 6, "abort") ? 'x' : p[6];
    pthread_t t;
    if (pthread_create(&t, NULL, decide, j) != 0) {
        RedisModule_AbortBlock(bc);
        RedisModule_Free(j);
    } else {
        pthread_detach(t);
    }
    return REDISMODULE_AUTH_HANDLED;
}

static int BlockOnAuth(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleBlockedClient *bc = RedisModule_BlockClientOnAuth(ctx, auth_reply, free_verdict);
    if (bc == NULL) return REDISMODULE_OK; /* the error was replied */
    return RedisModule_ReplyWithSimpleString(ctx, "unexpected");
}

static int Frees(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    return RedisModule_ReplyWithLongLong(ctx, frees);
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmauth", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    if (RedisModule_CreateCommand(ctx, "tmauth.blockonauth", BlockOnAuth, "", 0, 0, 0) == REDISMODULE_ERR ||
        RedisModule_CreateCommand(ctx, "tmauth.frees", Frees, "", 0, 0, 0) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    RedisModule_RegisterAuthCallback(ctx, auth_cb);
    return REDISMODULE_OK;
}
