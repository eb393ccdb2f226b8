/*
 * Trellis test module for events: keyspace notifications, post-notification
 * jobs and server events. Every callback counts what it saw under a name:
 *   ks:<event>        keyspace events (with the event name; "loaded" for keys read
 *                     from a file); ks-in-exec:<event> when the context flags say MULTI
 *   job               post-notification jobs run
 *   flush-start:<db> / flush-end:<db>, client-connected / client-disconnected,
 *   module-loaded:<name> / module-unloaded:<name>, cron, swapdb:<a>:<b>,
 *   config:<name>, loading-start / loading-end (and loading:<sub>), persistence:<sub>, shutdown,
 *   progress:<sub> (LoadingProgress; progress-bad when hz or progress is out of range,
 *   progress-backwards when it went down within one load),
 *   role:<sub>:<masterhost>:<masterport>:<master> (ReplicationRoleChanged), masterlink:<sub>,
 *   replica:<sub>,
 *   key-<subevent>:<key>:<length>:<reopened length>:<STRLEN or EXISTS by Call>
 *   rename:<from>:<to>  RENAME, the source read in the "rename_to" callback through the key
 *                       pointer the "rename_from" callback got (not retained)
 *
 *   TME.COUNT name      the count of one name
 *   TME.RESET           forget every count
 *   TME.NOTIFY key      RedisModule_NotifyKeyspaceEvent(MODULE, "notified", key)
 *   TME.FLAGS           [GetNotifyKeyspaceEvents, GetKeyspaceNotificationFlagsAll]
 *   TME.PUBLISH ch msg  PublishMessage
 *   TME.NESTED on|off   REDISMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS
 *   TME.SUPPORTED id sub / TME.SUBSCRIBE id (0 unsubscribes cron) / TME.BADEVENT
 *
 * A "set" of a key named "nest:<k>" makes the callback SET <k> through Call
 * (with '!'); a "set" of a key named "job:*" queues a post-notification job that INCRs
 * "jobs-done" (a write, which a notification callback itself must not do); so does the KEY
 * event of a key named "keyjob:*" that expires or is evicted.
 */
#include "redismodule.h"
#include <stdio.h>
#include <string.h>

#define MAXN 256
static char names[MAXN][96];
static long long counts[MAXN];
static int nnames;
static int last_progress = -1;

static void count(const char *name) {
    for (int i = 0; i < nnames; i++) {
        if (!strcmp(names[i], name)) { counts[i]++; return; }
    }
    if (nnames == MAXN) return;
    snprintf(names[nnames], sizeof(names[0]), "%s", name);
    counts[nnames++] = 1;
}

static void job(RedisModuleCtx *ctx, void *pd) {
    count("job");
    RedisModuleCallReply *r = RedisModule_Call(ctx, "INCR", "c!", "jobs-done");
    if (r) RedisModule_FreeCallReply(r);
}

/* The "rename_from" key, kept without retaining it, as RediSearch does: Redis passes the
 * command's own argument, valid until the command returns, so the "rename_to" callback that
 * follows may still read it. */
static RedisModuleString *rename_from;

static int on_keyspace(RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key) {
    char buf[96];
    snprintf(buf, sizeof(buf), "ks:%s", event);
    count(buf);
    if (!strcmp(event, "rename_from")) {
        rename_from = key;
    } else if (!strcmp(event, "rename_to") && rename_from) {
        snprintf(buf, sizeof(buf), "rename:%s:%s", RedisModule_StringPtrLen(rename_from, NULL),
                 RedisModule_StringPtrLen(key, NULL));
        count(buf);
        rename_from = NULL;
    }
    if (RedisModule_GetContextFlags(ctx) & REDISMODULE_CTX_FLAGS_MULTI) {
        snprintf(buf, sizeof(buf), "ks-in-exec:%s", event);
        count(buf);
    }
    size_t len;
    const char *k = RedisModule_StringPtrLen(key, &len);
    if (!strcmp(event, "set") && len > 5 && !memcmp(k, "nest:", 5)) {
        /* Writes from a notification callback: only to show whether nested events reach us. */
        RedisModuleCallReply *r = RedisModule_Call(ctx, "SET", "!bc", k + 5, len - 5, "1");
        if (r) RedisModule_FreeCallReply(r);
    }
    if (!strcmp(event, "set") && len > 4 && !memcmp(k, "job:", 4)) {
        if (RedisModule_AddPostNotificationJob(ctx, job, NULL, NULL) != REDISMODULE_OK) count("job-refused");
    }
    return REDISMODULE_OK;
}

static void on_event(RedisModuleCtx *ctx, RedisModuleEvent e, uint64_t sub, void *data) {
    char buf[96];
    switch (e.id) {
    case REDISMODULE_EVENT_FLUSHDB: {
        RedisModuleFlushInfo *fi = data;
        snprintf(buf, sizeof(buf), "flush-%s:%d:%d", sub == REDISMODULE_SUBEVENT_FLUSHDB_START ? "start" : "end",
                 fi->dbnum, fi->sync);
        count(buf);
        break;
    }
    case REDISMODULE_EVENT_CLIENT_CHANGE: {
        RedisModuleClientInfo *ci = data;
        count(sub == REDISMODULE_SUBEVENT_CLIENT_CHANGE_CONNECTED ? "client-connected" : "client-disconnected");
        if (ci->id == 0 || strlen(ci->addr) == 0) count("client-bad-info");
        break;
    }
    case REDISMODULE_EVENT_MODULE_CHANGE: {
        RedisModuleModuleChange *mc = data;
        snprintf(buf, sizeof(buf), "module-%s:%s", sub == REDISMODULE_SUBEVENT_MODULE_LOADED ? "loaded" : "unloaded",
                 mc->module_name);
        count(buf);
        break;
    }
    case REDISMODULE_EVENT_CRON_LOOP: {
        RedisModuleCronLoop *cl = data;
        count(cl->hz > 0 ? "cron" : "cron-bad-hz");
        break;
    }
    case REDISMODULE_EVENT_SWAPDB: {
        RedisModuleSwapDbInfo *si = data;
        snprintf(buf, sizeof(buf), "swapdb:%d:%d", si->dbnum_first, si->dbnum_second);
        count(buf);
        break;
    }
    case REDISMODULE_EVENT_CONFIG: {
        RedisModuleConfigChange *cc = data;
        for (unsigned i = 0; i < cc->num_changes; i++) {
            snprintf(buf, sizeof(buf), "config:%s", cc->config_names[i]);
            count(buf);
        }
        break;
    }
    case REDISMODULE_EVENT_LOADING:
        if (sub != REDISMODULE_SUBEVENT_LOADING_ENDED) last_progress = -1;
        count(sub == REDISMODULE_SUBEVENT_LOADING_ENDED ? "loading-end" : "loading-start");
        snprintf(buf, sizeof(buf), "loading:%llu", (unsigned long long)sub);
        count(buf);
        break;
    case REDISMODULE_EVENT_LOADING_PROGRESS: {
        RedisModuleLoadingProgress *lp = data;
        snprintf(buf, sizeof(buf), "progress:%llu", (unsigned long long)sub);
        count(buf);
        if (lp->hz <= 0 || lp->progress < -1 || lp->progress > 1024) count("progress-bad");
        if (lp->progress < last_progress) count("progress-backwards");
        last_progress = lp->progress;
        break;
    }
    case REDISMODULE_EVENT_REPLICATION_ROLE_CHANGED: {
        RedisModuleReplicationInfo *ri = data;
        snprintf(buf, sizeof(buf), "role:%llu:%s:%d:%d", (unsigned long long)sub, ri->masterhost, ri->masterport,
                 ri->master);
        count(buf);
        if (!ri->replid1 || strlen(ri->replid1) != 40) count("role-bad-replid");
        break;
    }
    case REDISMODULE_EVENT_MASTER_LINK_CHANGE:
        snprintf(buf, sizeof(buf), "masterlink:%llu", (unsigned long long)sub);
        count(buf);
        break;
    case REDISMODULE_EVENT_REPLICA_CHANGE:
        snprintf(buf, sizeof(buf), "replica:%llu", (unsigned long long)sub);
        count(buf);
        break;
    case REDISMODULE_EVENT_PERSISTENCE:
        snprintf(buf, sizeof(buf), "persistence:%llu", (unsigned long long)sub);
        count(buf);
        break;
    case REDISMODULE_EVENT_SHUTDOWN:
        count("shutdown");
        break;
    case REDISMODULE_EVENT_KEY: {
        /* key-<deleted|expired|evicted|overwritten>:<name>:<length seen on the handle>:<length
         * a reopened key and a Call see> (the key must still be there, with its old value) */
        static const char *subs[] = {"deleted", "expired", "evicted", "overwritten"};
        RedisModuleKeyInfo *ki = data;
        const RedisModuleString *name = RedisModule_GetKeyNameFromModuleKey(ki->key);
        size_t len = RedisModule_ValueLength(ki->key);
        RedisModuleKey *again = RedisModule_OpenKey(ctx, (RedisModuleString *)name, REDISMODULE_READ);
        long long seen = again ? (long long)RedisModule_ValueLength(again) : -1;
        if (again) RedisModule_CloseKey(again);
        RedisModuleCallReply *r = RedisModule_KeyType(ki->key) == REDISMODULE_KEYTYPE_STRING
            ? RedisModule_Call(ctx, "STRLEN", "s", name) : RedisModule_Call(ctx, "EXISTS", "s", name);
        long long called = r ? RedisModule_CallReplyInteger(r) : -1;
        if (r) RedisModule_FreeCallReply(r);
        snprintf(buf, sizeof(buf), "key-%s:%s:%zu:%lld:%lld", sub < 4 ? subs[sub] : "?",
                 RedisModule_StringPtrLen(name, NULL), len, seen, called);
        count(buf);
        /* A key named "keyjob:*" that expires or is evicted queues a job (which INCRs jobs-done). */
        size_t nlen;
        const char *n = RedisModule_StringPtrLen(name, &nlen);
        if ((sub == REDISMODULE_SUBEVENT_KEY_EXPIRED || sub == REDISMODULE_SUBEVENT_KEY_EVICTED)
            && nlen > 7 && !memcmp(n, "keyjob:", 7)) {
            if (RedisModule_AddPostNotificationJob(ctx, job, NULL, NULL) != REDISMODULE_OK) count("job-refused");
        }
        break;
    }
    }
}

static int Count(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    const char *n = RedisModule_StringPtrLen(argv[1], NULL);
    for (int i = 0; i < nnames; i++) {
        if (!strcmp(names[i], n)) return RedisModule_ReplyWithLongLong(ctx, counts[i]);
    }
    return RedisModule_ReplyWithLongLong(ctx, 0);
}

static int Nested(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    size_t len;
    const char *v = RedisModule_StringPtrLen(argv[1], &len);
    RedisModule_SetModuleOptions(ctx, !strcmp(v, "on") ? REDISMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS : 0);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Reset(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    nnames = 0;
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Notify(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    RedisModule_NotifyKeyspaceEvent(ctx, REDISMODULE_NOTIFY_MODULE, "notified", argv[1]);
    return RedisModule_ReplyWithSimpleString(ctx, "OK");
}

static int Flags(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetNotifyKeyspaceEvents());
    RedisModule_ReplyWithLongLong(ctx, RedisModule_GetKeyspaceNotificationFlagsAll());
    return REDISMODULE_OK;
}

static int Publish(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_PublishMessage(ctx, argv[1], argv[2]));
}

static int Supported(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 3) return RedisModule_WrongArity(ctx);
    long long id, sub;
    RedisModule_StringToLongLong(argv[1], &id);
    RedisModule_StringToLongLong(argv[2], &sub);
    RedisModuleEvent e = {(uint64_t)id, 1};
    return RedisModule_ReplyWithLongLong(ctx, RedisModule_IsSubEventSupported(e, (uint64_t)sub));
}

static int Subscribe(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (argc != 2) return RedisModule_WrongArity(ctx);
    long long on;
    RedisModule_StringToLongLong(argv[1], &on);
    int rc = RedisModule_SubscribeToServerEvent(ctx, RedisModuleEvent_CronLoop, on ? on_event : NULL);
    return RedisModule_ReplyWithLongLong(ctx, rc == REDISMODULE_OK);
}

static int BadEvent(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleEvent unknown = {_REDISMODULE_EVENT_NEXT, 1};
    RedisModuleEvent newer = {REDISMODULE_EVENT_FLUSHDB, 99};
    RedisModule_ReplyWithArray(ctx, 2);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_SubscribeToServerEvent(ctx, unknown, on_event) == REDISMODULE_ERR);
    RedisModule_ReplyWithLongLong(ctx, RedisModule_SubscribeToServerEvent(ctx, newer, on_event) == REDISMODULE_ERR);
    return REDISMODULE_OK;
}

int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    if (RedisModule_Init(ctx, "tmevents", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) return REDISMODULE_ERR;
    RedisModule_SubscribeToKeyspaceEvents(ctx, REDISMODULE_NOTIFY_GENERIC | REDISMODULE_NOTIFY_STRING |
        REDISMODULE_NOTIFY_HASH | REDISMODULE_NOTIFY_KEY_MISS | REDISMODULE_NOTIFY_NEW | REDISMODULE_NOTIFY_MODULE |
        REDISMODULE_NOTIFY_EXPIRED | REDISMODULE_NOTIFY_LOADED, on_keyspace);
    RedisModuleEvent events[] = {
        RedisModuleEvent_FlushDB, RedisModuleEvent_ClientChange, RedisModuleEvent_ModuleChange,
        RedisModuleEvent_CronLoop, RedisModuleEvent_SwapDB, RedisModuleEvent_Config, RedisModuleEvent_Loading,
        RedisModuleEvent_Persistence, RedisModuleEvent_Shutdown, RedisModuleEvent_Key,
        RedisModuleEvent_LoadingProgress, RedisModuleEvent_ReplicationRoleChanged,
        RedisModuleEvent_MasterLinkChange, RedisModuleEvent_ReplicaChange,
    };
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        if (RedisModule_SubscribeToServerEvent(ctx, events[i], on_event) != REDISMODULE_OK) return REDISMODULE_ERR;
    }
    struct { const char *name; RedisModuleCmdFunc fn; const char *flags; } cmds[] = {
        {"tme.count", Count, "readonly"}, {"tme.reset", Reset, "write"}, {"tme.notify", Notify, "write"},
        {"tme.flags", Flags, "readonly"}, {"tme.publish", Publish, "readonly"},
        {"tme.supported", Supported, "readonly"}, {"tme.subscribe", Subscribe, "write"},
        {"tme.badevent", BadEvent, "write"}, {"tme.nested", Nested, "write"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (RedisModule_CreateCommand(ctx, cmds[i].name, cmds[i].fn, cmds[i].flags, 0, 0, 0) == REDISMODULE_ERR)
            return REDISMODULE_ERR;
    }
    return REDISMODULE_OK;
}
