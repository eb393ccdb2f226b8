/*
 * Memory layouts the server shares with the shim (and that the Java side
 * mirrors in dev.trellis.server.module.nativeabi). Modules never see these:
 * to them every handle is opaque.
 */
#ifndef TRELLIS_SHIM_H
#define TRELLIS_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* What a RedisModuleString* points to. The bytes are NUL-terminated and stay
 * at 'ptr' for the string's life unless the module appends to it. When the
 * bytes follow the header in the same allocation, cap is 0; otherwise 'ptr'
 * is a separate allocation of 'cap' bytes. */
typedef struct TrellisString {
    char *ptr;
    size_t len;
    int64_t refcount;
    size_t cap;
} TrellisString;

/* What every other handle points to (RedisModuleCtx, RedisModuleKey,
 * RedisModuleCallReply, ...): a tag (for a context, the address of GetApi,
 * which RedisModule_Init reads from the first word) and the index of the Java
 * object in the server's handle table, then words whose use depends on the
 * kind (TrellisCtx below). Every block is TRELLIS_HANDLE_SIZE bytes. */
typedef struct TrellisHandle {
    uint64_t tag;
    int64_t slot;
    uint64_t words[6];
} TrellisHandle;

#define TRELLIS_HANDLE_SIZE 64

/* A RedisModuleCtx's handle. The server fills it when it opens the context;
 * the shim's fast paths (fast_paths.c) use it to serve frequent calls without
 * entering Java:
 *  - flags: TRELLIS_CTX_AUTO_MEMORY, set by RedisModule_AutoMemory; the server
 *    moves the bit into its own context state the next time it sees the ctx.
 *  - reply: 0 when replies must go through the server; 2 or 3 (the client's
 *    protocol) for a command context whose replies the shim may append to
 *    rbuf. The server copies rbuf[0, rlen) to the client and resets rlen when
 *    the command returns, and before any other API call runs in Java (see
 *    trellis_flush_pending), so the client sees every reply in call order.
 *    rbuf is malloc'd memory the server owns; the shim may realloc it. */
typedef struct TrellisCtx {
    uint64_t tag;
    int64_t slot;
    uint32_t flags;
    uint32_t reply;
    char *rbuf;
    size_t rlen;
    size_t rcap;
    uint64_t spare[2];
} TrellisCtx;

#define TRELLIS_CTX_AUTO_MEMORY 1u

/* A RedisModuleKey's handle. When the server opens a key on the server
 * thread it caches what the key holds (type, length and, for a small string
 * opened read-only, a native copy of the bytes for StringDMA) and sets cache;
 * the OpenKey trampoline then stamps the cache with this thread's epoch. The
 * fast paths trust the cache only while the epoch is unchanged: every call
 * into Java bumps it, since Java may change the keyspace. */
typedef struct TrellisKey {
    uint64_t tag;          /* TRELLIS_TAG_KEY */
    int64_t slot;
    uint32_t type;         /* REDISMODULE_KEYTYPE_* */
    uint32_t cache;        /* 1: the fields below may be stamped and used */
    uint64_t length;       /* ValueLength, or TRELLIS_LENGTH_UNKNOWN */
    char *dma;             /* read-only StringDMA bytes (NUL-terminated), or NULL */
    uint64_t epoch;
    const void *epoch_owner; /* &trellis_epoch of the stamping thread */
    uint64_t spare;
} TrellisKey;

#define TRELLIS_TAG_KEY 0x5452454c4c4b4559ULL /* "TRELLKEY" */
#define TRELLIS_LENGTH_UNKNOWN UINT64_MAX

/* Calls into Java on this thread; see TrellisKey. */
extern __thread uint64_t trellis_epoch __attribute__((tls_model("initial-exec")));

/* The command context of this thread whose reply bytes are still in its
 * rbuf, or NULL. Set by the fast paths, cleared when the bytes are flushed. */
extern __thread TrellisCtx *trellis_pending_reply __attribute__((tls_model("initial-exec")));

/* Hands pending reply bytes to the server (an upcall). Called on every way
 * into Java, so Java-side replies never overtake bytes written natively. */
void trellis_flush_pending_slow(void);

static inline void trellis_flush_pending(void) {
    if (__builtin_expect(trellis_pending_reply != NULL, 0)) trellis_flush_pending_slow();
}

/* Every way into Java starts here: pending replies out, key caches stale. */
static inline void trellis_enter_java(void) {
    trellis_flush_pending();
    trellis_epoch++;
}

/* After OpenKey returned: stamps the key's cache (if the server filled it). */
static inline void *trellis_stamp_key(void *key) {
    TrellisKey *k = (TrellisKey *)key;
    if (k != NULL && k->tag == TRELLIS_TAG_KEY && k->cache) {
        k->epoch = trellis_epoch;
        k->epoch_owner = &trellis_epoch;
    }
    return key;
}

#endif
