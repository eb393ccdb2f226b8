/*
 * Module API functions the shim serves without entering Java when it can.
 *
 * Every other API call is an FFM upcall, which costs tens of nanoseconds in
 * thread-state transitions alone; the functions here are the ones nearly every
 * module command calls (AutoMemory, StringPtrLen, the plain ReplyWith* family)
 * and need nothing the server does not already publish in native memory:
 *  - strings are TrellisString, read directly;
 *  - a command context (TrellisCtx) carries the auto-memory flag and a reply
 *    buffer: replies are encoded here, in the client's protocol, and the
 *    server copies them to the client when the command returns or before the
 *    next call that runs in Java (trellis_flush_pending);
 *  - a key opened on the server thread caches its type, length and (small
 *    strings opened read-only) a copy of its bytes (TrellisKey), valid until
 *    the next call into Java.
 * When the context is not a command context with a native reply buffer (a
 * timer, a blocked-client callback, a thread-safe context, a wrong pointer),
 * each function calls its ordinary upcall trampoline (trellis_up_<Name>), so
 * behaviour and error handling stay the server's.
 */
#define REDISMODULE_TYPES_ONLY
#include "redismodule.h"

#include <stdlib.h>
#include <string.h>

#include "trellis_shim.h"

__thread TrellisCtx *trellis_pending_reply __attribute__((tls_model("initial-exec")));
__thread uint64_t trellis_epoch __attribute__((tls_model("initial-exec")));

/* Upcall trampolines of the same functions (api_table.c). */
void trellis_up_AutoMemory(RedisModuleCtx *ctx);
const char *trellis_up_StringPtrLen(const RedisModuleString *str, size_t *len);
int trellis_up_ReplyWithLongLong(RedisModuleCtx *ctx, long long ll);
int trellis_up_ReplyWithSimpleString(RedisModuleCtx *ctx, const char *msg);
int trellis_up_ReplyWithArray(RedisModuleCtx *ctx, long len);
int trellis_up_ReplyWithNullArray(RedisModuleCtx *ctx);
int trellis_up_ReplyWithEmptyArray(RedisModuleCtx *ctx);
int trellis_up_ReplyWithStringBuffer(RedisModuleCtx *ctx, const char *buf, size_t len);
int trellis_up_ReplyWithCString(RedisModuleCtx *ctx, const char *buf);
int trellis_up_ReplyWithString(RedisModuleCtx *ctx, RedisModuleString *str);
int trellis_up_ReplyWithEmptyString(RedisModuleCtx *ctx);
int trellis_up_ReplyWithNull(RedisModuleCtx *ctx);
int trellis_up_KeyType(RedisModuleKey *key);
size_t trellis_up_ValueLength(RedisModuleKey *key);
char *trellis_up_StringDMA(RedisModuleKey *key, size_t *len, int mode);

/* The server's flush upcall (bound by trellis_shim_bind as "flush_replies"). */
extern void (*trellis_up_flush_replies)(void *ctx);

void trellis_flush_pending_slow(void) {
    TrellisCtx *c = trellis_pending_reply;
    trellis_pending_reply = NULL;
    if (c && trellis_up_flush_replies) trellis_up_flush_replies(c);
}

int trellis_GetApi(const char *name, void *target);

/* The context as a command context with a native reply buffer, or NULL. */
static inline TrellisCtx *reply_ctx(RedisModuleCtx *ctx) {
    TrellisCtx *c = (TrellisCtx *)ctx;
    if (c == NULL || c->tag != (uint64_t)(uintptr_t)trellis_GetApi || c->reply == 0) return NULL;
    return c;
}

/* Room for n more bytes in c's reply buffer; NULL when memory ran out (the
 * caller then takes the upcall path, which reports the failure). */
static char *reserve(TrellisCtx *c, size_t n) {
    if (trellis_pending_reply != c) {
        trellis_flush_pending(); /* another context's bytes (should not happen) */
        trellis_pending_reply = c;
    }
    if (c->rlen + n > c->rcap) {
        size_t cap = c->rcap ? c->rcap : 256;
        while (cap < c->rlen + n) cap *= 2;
        char *b = realloc(c->rbuf, cap);
        if (b == NULL) return NULL;
        c->rbuf = b;
        c->rcap = cap;
    }
    return c->rbuf + c->rlen;
}

/* Writes the decimal text of v at p; returns its length. */
static int put_ll(char *p, long long v) {
    char tmp[24];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    int len = 0;
    if (v < 0) p[len++] = '-';
    while (n) p[len++] = tmp[--n];
    return len;
}

/* "<type><number>\r\n" */
static int header(TrellisCtx *c, char type, long long v) {
    char *p = reserve(c, 24);
    if (p == NULL) return -1;
    p[0] = type;
    int n = 1 + put_ll(p + 1, v);
    p[n++] = '\r';
    p[n++] = '\n';
    c->rlen += n;
    return 0;
}

static int raw(TrellisCtx *c, const char *s, size_t n) {
    char *p = reserve(c, n);
    if (p == NULL) return -1;
    memcpy(p, s, n);
    c->rlen += n;
    return 0;
}

static int bulk(TrellisCtx *c, const char *s, size_t len) {
    char *p = reserve(c, len + 26);
    if (p == NULL) return -1;
    p[0] = '$';
    int n = 1 + put_ll(p + 1, (long long)len);
    p[n++] = '\r';
    p[n++] = '\n';
    if (len) memcpy(p + n, s, len);
    p[n + len] = '\r';
    p[n + len + 1] = '\n';
    c->rlen += n + len + 2;
    return 0;
}

static int null_reply(TrellisCtx *c, const char *resp2) {
    return c->reply >= 3 ? raw(c, "_\r\n", 3) : raw(c, resp2, 5);
}

void trellis_fast_AutoMemory(RedisModuleCtx *ctx) {
    TrellisCtx *c = (TrellisCtx *)ctx;
    if (c != NULL && c->tag == (uint64_t)(uintptr_t)trellis_GetApi) {
        c->flags |= TRELLIS_CTX_AUTO_MEMORY;
        return;
    }
    trellis_up_AutoMemory(ctx);
}

const char *trellis_fast_StringPtrLen(const RedisModuleString *str, size_t *len) {
    if (str == NULL) return trellis_up_StringPtrLen(str, len);
    const TrellisString *s = (const TrellisString *)str;
    if (len) *len = s->len;
    return s->ptr;
}

int trellis_fast_ReplyWithLongLong(RedisModuleCtx *ctx, long long ll) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || header(c, ':', ll) != 0) return trellis_up_ReplyWithLongLong(ctx, ll);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithSimpleString(RedisModuleCtx *ctx, const char *msg) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || msg == NULL) return trellis_up_ReplyWithSimpleString(ctx, msg);
    size_t n = strlen(msg);
    char *p = reserve(c, n + 3);
    if (p == NULL) return trellis_up_ReplyWithSimpleString(ctx, msg);
    p[0] = '+';
    memcpy(p + 1, msg, n);
    p[n + 1] = '\r';
    p[n + 2] = '\n';
    c->rlen += n + 3;
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithArray(RedisModuleCtx *ctx, long len) {
    TrellisCtx *c = reply_ctx(ctx);
    /* Postponed lengths (negative) are the server's business. */
    if (c == NULL || len < 0 || header(c, '*', len) != 0) return trellis_up_ReplyWithArray(ctx, len);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithNullArray(RedisModuleCtx *ctx) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || null_reply(c, "*-1\r\n") != 0) return trellis_up_ReplyWithNullArray(ctx);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithEmptyArray(RedisModuleCtx *ctx) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || raw(c, "*0\r\n", 4) != 0) return trellis_up_ReplyWithEmptyArray(ctx);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithStringBuffer(RedisModuleCtx *ctx, const char *buf, size_t len) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || (buf == NULL && len) || bulk(c, buf, len) != 0)
        return trellis_up_ReplyWithStringBuffer(ctx, buf, len);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithCString(RedisModuleCtx *ctx, const char *buf) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || buf == NULL || bulk(c, buf, strlen(buf)) != 0) return trellis_up_ReplyWithCString(ctx, buf);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithString(RedisModuleCtx *ctx, RedisModuleString *str) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL) return trellis_up_ReplyWithString(ctx, str);
    int rc;
    if (str == NULL) {
        rc = null_reply(c, "$-1\r\n");
    } else {
        const TrellisString *s = (const TrellisString *)str;
        rc = bulk(c, s->ptr, s->len);
    }
    return rc == 0 ? REDISMODULE_OK : trellis_up_ReplyWithString(ctx, str);
}

int trellis_fast_ReplyWithEmptyString(RedisModuleCtx *ctx) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || raw(c, "$0\r\n\r\n", 6) != 0) return trellis_up_ReplyWithEmptyString(ctx);
    return REDISMODULE_OK;
}

int trellis_fast_ReplyWithNull(RedisModuleCtx *ctx) {
    TrellisCtx *c = reply_ctx(ctx);
    if (c == NULL || null_reply(c, "$-1\r\n") != 0) return trellis_up_ReplyWithNull(ctx);
    return REDISMODULE_OK;
}

/* The key's cache when it may be trusted (stamped by this thread, no call
 * into Java since), else NULL. */
static inline TrellisKey *cached_key(RedisModuleKey *key) {
    TrellisKey *k = (TrellisKey *)key;
    if (k == NULL || k->tag != TRELLIS_TAG_KEY || !k->cache || k->epoch_owner != &trellis_epoch
        || k->epoch != trellis_epoch) return NULL;
    return k;
}

int trellis_fast_KeyType(RedisModuleKey *key) {
    if (key == NULL) return REDISMODULE_KEYTYPE_EMPTY;
    TrellisKey *k = cached_key(key);
    return k ? (int)k->type : trellis_up_KeyType(key);
}

size_t trellis_fast_ValueLength(RedisModuleKey *key) {
    if (key == NULL) return 0;
    TrellisKey *k = cached_key(key);
    return k && k->length != TRELLIS_LENGTH_UNKNOWN ? (size_t)k->length : trellis_up_ValueLength(key);
}

char *trellis_fast_StringDMA(RedisModuleKey *key, size_t *len, int mode) {
    TrellisKey *k = cached_key(key);
    if (k == NULL || k->dma == NULL || (mode & REDISMODULE_WRITE)) return trellis_up_StringDMA(key, len, mode);
    *len = (size_t)k->length;
    return k->dma;
}

/* Runs a module command function for the server. Pending reply bytes are the
 * server's to flush once this returns (it knows the context), so the marker is
 * cleared here rather than by an upcall. */
int trellis_invoke_command(RedisModuleCmdFunc fn, RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    int rc = fn(ctx, argv, argc);
    trellis_pending_reply = NULL;
    return rc;
}
