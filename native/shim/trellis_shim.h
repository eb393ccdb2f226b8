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
 * object in the server's handle table. */
typedef struct TrellisHandle {
    uint64_t tag;
    int64_t slot;
} TrellisHandle;

#endif
