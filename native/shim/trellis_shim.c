/*
 * Trellis native shim: the module API entry points that Java's FFM upcalls
 * cannot express directly, plus the allocator family.
 *
 *  - C-variadic functions (Call, Replicate, EmitAOF, Log, LogIOError,
 *    CreateStringPrintf, ReplyWithErrorFormat, HashSet, HashGet): the shim
 *    walks the va_list and calls a fixed-signature Java upcall.
 *  - long double functions: the shim formats/parses the value in C and hands
 *    text to Java.
 *  - RedisModule_Alloc & co.: plain malloc with an atomic byte counter the
 *    server reads for INFO memory and maxmemory. Kept in C because modules
 *    call them constantly and an upcall per allocation would be wasted work.
 *
 * The Java side installs its upcalls with trellis_shim_bind() at startup and
 * hands the trellis_* entry points below to modules through GetApi.
 */
#define REDISMODULE_TYPES_ONLY
#include "redismodule.h"

#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trellis_shim.h"
#include "api_table.h"

/* ------------------------------------------------------------------------ */
/* Upcalls installed by the server                                           */
/* ------------------------------------------------------------------------ */

typedef void *(*argv_call_fn)(void *ctx, const char *cmd, const char *flags, const char **argv,
                              const size_t *lens, int argc, int *err);
typedef int (*argv_replicate_fn)(void *ctx, const char *cmd, const char *flags, const char **argv,
                                 const size_t *lens, int argc);
typedef void (*argv_emit_fn)(void *io, const char *cmd, const char *flags, const char **argv,
                             const size_t *lens, int argc);
typedef void (*log_fn)(void *ctx, const char *level, const char *msg, size_t len);
typedef void *(*create_string_fn)(void *ctx, const char *ptr, size_t len);
typedef int (*reply_text_fn)(void *ctx, const char *msg, size_t len);
typedef int (*hash_fn)(void *key, int flags, const char **fields, const size_t *flens, void **values, int n);
typedef void (*name_fn)(const char *name);
typedef void (*save_buffer_fn)(void *io, const char *ptr, size_t len);
typedef char *(*load_buffer_fn)(void *io, size_t *len);

static struct {
    argv_call_fn call;
    argv_replicate_fn replicate;
    argv_emit_fn emit_aof;
    log_fn log;
    log_fn log_io_error;
    create_string_fn create_string;
    reply_text_fn reply_error;
    reply_text_fn reply_human_double;
    hash_fn hash_set;
    hash_fn hash_get;
    save_buffer_fn save_string_buffer;
    load_buffer_fn load_string_buffer;
    name_fn api_missing;
} up;

/* The server's "flush natively written replies of this context" (fast_paths.c). */
void (*trellis_up_flush_replies)(void *ctx);

int trellis_shim_bind(const char *name, void *fn) {
    if (!strcmp(name, "flush_replies")) trellis_up_flush_replies = (void (*)(void *))fn;
    else if (!strcmp(name, "call")) up.call = (argv_call_fn)fn;
    else if (!strcmp(name, "replicate")) up.replicate = (argv_replicate_fn)fn;
    else if (!strcmp(name, "emit_aof")) up.emit_aof = (argv_emit_fn)fn;
    else if (!strcmp(name, "log")) up.log = (log_fn)fn;
    else if (!strcmp(name, "log_io_error")) up.log_io_error = (log_fn)fn;
    else if (!strcmp(name, "create_string")) up.create_string = (create_string_fn)fn;
    else if (!strcmp(name, "reply_error")) up.reply_error = (reply_text_fn)fn;
    else if (!strcmp(name, "reply_human_double")) up.reply_human_double = (reply_text_fn)fn;
    else if (!strcmp(name, "hash_set")) up.hash_set = (hash_fn)fn;
    else if (!strcmp(name, "hash_get")) up.hash_get = (hash_fn)fn;
    else if (!strcmp(name, "save_string_buffer")) up.save_string_buffer = (save_buffer_fn)fn;
    else if (!strcmp(name, "load_string_buffer")) up.load_string_buffer = (load_buffer_fn)fn;
    else if (!strcmp(name, "api_missing")) up.api_missing = (name_fn)fn;
    else return -1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* GetApi                                                                    */
/* ------------------------------------------------------------------------ */

/* Which table entries the server implements (shim entries always are). */
static unsigned char present[1024];

static int api_find(const char *bare) {
    int lo = 0, hi = trellis_api_count - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(bare, trellis_api_table[mid].name);
        if (c == 0) return mid;
        if (c < 0) hi = mid - 1; else lo = mid + 1;
    }
    return -1;
}

/* Marks an entry as implemented by the server; returns its index, or -1. */
int trellis_api_enable(const char *name) {
    int i = api_find(name);
    if (i >= 0) present[i] = 1;
    return i;
}

const char *trellis_api_name(int i) {
    return i >= 0 && i < trellis_api_count ? trellis_api_table[i].name : NULL;
}

const char *trellis_api_sig(int i) {
    return i >= 0 && i < trellis_api_count ? trellis_api_table[i].sig : NULL;
}

int trellis_api_size(void) {
    return trellis_api_count;
}

/* int GetApi(const char *name, void *targetPtrPtr): the first word of every
 * RedisModuleCtx. Serves RedisModule_* and ValkeyModule_* names; names the
 * server lacks are reported to it and get REDISMODULE_ERR. */
int trellis_GetApi(const char *name, void *target) {
    const char *bare = name;
    if (!strncmp(name, "RedisModule_", 12)) bare = name + 12;
    else if (!strncmp(name, "ValkeyModule_", 13)) bare = name + 13;
    int i = api_find(bare);
    if (i >= 0 && (present[i] || trellis_api_table[i].sig[0] == 'N')) {
        *(void **)target = trellis_api_table[i].fn;
        return REDISMODULE_OK;
    }
    if (up.api_missing) up.api_missing(bare);
    return REDISMODULE_ERR;
}

/* ------------------------------------------------------------------------ */
/* Allocator with accounting                                                 */
/* ------------------------------------------------------------------------ */

/* Bytes currently allocated through the module allocator (usable sizes). */
static int64_t used_memory;

int64_t trellis_module_used_memory(void) {
    return __atomic_load_n(&used_memory, __ATOMIC_RELAXED);
}

static inline void account(void *p, int sign) {
    if (p) __atomic_add_fetch(&used_memory, sign * (int64_t)malloc_usable_size(p), __ATOMIC_RELAXED);
}

static void oom(size_t n) {
    fprintf(stderr, "Trellis: out of memory allocating %zu bytes for a module\n", n);
    fflush(stderr);
    abort();
}

void *trellis_TryAlloc(size_t n) {
    void *p = malloc(n ? n : 1);
    account(p, 1);
    return p;
}

void *trellis_Alloc(size_t n) {
    void *p = trellis_TryAlloc(n);
    if (!p) oom(n);
    return p;
}

void *trellis_TryCalloc(size_t nmemb, size_t size) {
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    account(p, 1);
    return p;
}

void *trellis_Calloc(size_t nmemb, size_t size) {
    void *p = trellis_TryCalloc(nmemb, size);
    if (!p) oom(nmemb * size);
    return p;
}

void *trellis_TryRealloc(void *ptr, size_t n) {
    size_t old = ptr ? malloc_usable_size(ptr) : 0;
    void *p = realloc(ptr, n ? n : 1);
    if (!p) return NULL;
    __atomic_add_fetch(&used_memory, (int64_t)malloc_usable_size(p) - (int64_t)old, __ATOMIC_RELAXED);
    return p;
}

void *trellis_Realloc(void *ptr, size_t n) {
    void *p = trellis_TryRealloc(ptr, n);
    if (!p) oom(n);
    return p;
}

void trellis_Free(void *ptr) {
    if (!ptr) return;
    account(ptr, -1);
    free(ptr);
}

/* Without an allocator that can move live allocations (Redis built without jemalloc behaves
 * the same), defragmentation never runs: its raw allocations are plain module allocations. */
void *trellis_DefragAllocRaw(RedisModuleDefragCtx *ctx, size_t size) {
    (void)ctx;
    return trellis_Alloc(size);
}

void trellis_DefragFreeRaw(RedisModuleDefragCtx *ctx, void *ptr) {
    (void)ctx;
    trellis_Free(ptr);
}

char *trellis_Strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = trellis_Alloc(n);
    memcpy(p, s, n);
    return p;
}

size_t trellis_MallocUsableSize(void *ptr) {
    return ptr ? malloc_usable_size(ptr) : 0;
}

size_t trellis_MallocSize(void *ptr) {
    return trellis_MallocUsableSize(ptr);
}

/* ------------------------------------------------------------------------ */
/* Argument vectors built from Call-style format strings                    */
/* ------------------------------------------------------------------------ */

/* A growable (pointer, length) vector; starts on the stack. */
typedef struct {
    const char **ptr;
    size_t *len;
    int n, cap;
    const char *ptr_inline[32];
    size_t len_inline[32];
    char *numbers; /* text of 'l' arguments, 21 bytes each */
    int nnum, capnum;
} argvec;

static void av_init(argvec *v) {
    v->ptr = v->ptr_inline;
    v->len = v->len_inline;
    v->n = 0;
    v->cap = 32;
    v->numbers = NULL;
    v->nnum = v->capnum = 0;
}

static void av_free(argvec *v) {
    if (v->ptr != v->ptr_inline) {
        free(v->ptr);
        free(v->len);
    }
    free(v->numbers);
}

static int av_push(argvec *v, const char *p, size_t l) {
    if (v->n == v->cap) {
        int cap = v->cap * 2;
        const char **np = malloc(sizeof(*np) * cap);
        size_t *nl = malloc(sizeof(*nl) * cap);
        if (!np || !nl) { free(np); free(nl); return -1; }
        memcpy(np, v->ptr, sizeof(*np) * v->n);
        memcpy(nl, v->len, sizeof(*nl) * v->n);
        if (v->ptr != v->ptr_inline) { free(v->ptr); free(v->len); }
        v->ptr = np;
        v->len = nl;
        v->cap = cap;
    }
    v->ptr[v->n] = p;
    v->len[v->n] = l;
    v->n++;
    return 0;
}

/* The text of the RedisModuleString layout the server uses: see TrellisString. */
static inline const char *tstr_ptr(const void *s, size_t *len) {
    const TrellisString *t = (const TrellisString *)s;
    *len = t->len;
    return t->ptr;
}

/* Parses the RM_Call format language. Flag characters go to 'flags'.
 * Returns 0, or -1 on a bad format character. Numbers ('l') are formatted
 * into a side buffer whose pointers are fixed up at the end. */
static int av_parse(argvec *v, const char *fmt, char *flags, va_list ap) {
    /* First pass can't know how many 'l' there are in 'v' vectors, but 'l'
     * only comes from the format itself: count them. */
    int nl = 0;
    for (const char *p = fmt; *p; p++) if (*p == 'l') nl++;
    if (nl) {
        v->numbers = malloc((size_t)nl * 24);
        if (!v->numbers) return -1;
    }
    int fl = 0;
    int num = 0;
    for (const char *p = fmt; *p; p++) {
        switch (*p) {
        case 'c': {
            const char *s = va_arg(ap, const char *);
            if (av_push(v, s, strlen(s))) return -1;
            break;
        }
        case 'b': {
            const char *s = va_arg(ap, const char *);
            size_t l = va_arg(ap, size_t);
            if (av_push(v, s, l)) return -1;
            break;
        }
        case 's': {
            const void *s = va_arg(ap, const void *);
            size_t l;
            const char *sp = tstr_ptr(s, &l);
            if (av_push(v, sp, l)) return -1;
            break;
        }
        case 'l': {
            long long ll = va_arg(ap, long long);
            char *dst = v->numbers + num * 24;
            int l = snprintf(dst, 24, "%lld", ll);
            num++;
            if (av_push(v, dst, (size_t)l)) return -1;
            break;
        }
        case 'v': {
            void **vec = va_arg(ap, void **);
            size_t vlen = va_arg(ap, size_t);
            for (size_t i = 0; i < vlen; i++) {
                size_t l;
                const char *sp = tstr_ptr(vec[i], &l);
                if (av_push(v, sp, l)) return -1;
            }
            break;
        }
        case '!': case 'A': case 'R': case '3': case '0': case 'C': case 'S':
        case 'W': case 'M': case 'E': case 'D': case 'K': case 'x': case 'X':
            if (fl < 31) flags[fl++] = *p;
            break;
        default:
            return -1;
        }
    }
    flags[fl] = '\0';
    return 0;
}

void *trellis_Call(void *ctx, const char *cmdname, const char *fmt, ...) {
    argvec v;
    char flags[32];
    av_init(&v);
    va_list ap;
    va_start(ap, fmt);
    int rc = av_parse(&v, fmt, flags, ap);
    va_end(ap);
    trellis_enter_java();
    if (rc != 0 || !up.call) {
        av_free(&v);
        errno = EBADF;
        return NULL;
    }
    int err = 0;
    void *reply = up.call(ctx, cmdname, flags, v.ptr, v.len, v.n, &err);
    av_free(&v);
    if (err) errno = err;
    return reply;
}

int trellis_Replicate(void *ctx, const char *cmdname, const char *fmt, ...) {
    argvec v;
    char flags[32];
    av_init(&v);
    va_list ap;
    va_start(ap, fmt);
    int rc = av_parse(&v, fmt, flags, ap);
    va_end(ap);
    trellis_enter_java();
    if (rc != 0 || !up.replicate) {
        av_free(&v);
        return REDISMODULE_ERR;
    }
    int r = up.replicate(ctx, cmdname, flags, v.ptr, v.len, v.n);
    av_free(&v);
    return r;
}

void trellis_EmitAOF(void *io, const char *cmdname, const char *fmt, ...) {
    argvec v;
    char flags[32];
    av_init(&v);
    va_list ap;
    va_start(ap, fmt);
    int rc = av_parse(&v, fmt, flags, ap);
    va_end(ap);
    trellis_enter_java();
    if (rc == 0 && up.emit_aof) {
        up.emit_aof(io, cmdname, flags, v.ptr, v.len, v.n);
    } else if (rc != 0 && up.log_io_error) {
        static const char msg[] = "Fatal: AOF method for module data type called with wrong format specifier";
        up.log_io_error(io, "warning", msg, sizeof(msg) - 1);
    }
    av_free(&v);
}

/* ------------------------------------------------------------------------ */
/* printf-style entry points                                                 */
/* ------------------------------------------------------------------------ */

/* Formats into 'stackbuf' when it fits, else into a malloc'd buffer. */
static char *vformat(char *stackbuf, size_t cap, size_t *outlen, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(stackbuf, cap, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        stackbuf[0] = '\0';
        *outlen = 0;
        return stackbuf;
    }
    if ((size_t)n < cap) {
        va_end(ap2);
        *outlen = (size_t)n;
        return stackbuf;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        va_end(ap2);
        *outlen = cap - 1;
        return stackbuf;
    }
    vsnprintf(big, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    *outlen = (size_t)n;
    return big;
}

void *trellis_CreateStringPrintf(void *ctx, const char *fmt, ...) {
    char buf[1024];
    size_t len;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(buf, sizeof(buf), &len, fmt, ap);
    va_end(ap);
    trellis_enter_java();
    void *r = up.create_string ? up.create_string(ctx, s, len) : NULL;
    if (s != buf) free(s);
    return r;
}

int trellis_ReplyWithErrorFormat(void *ctx, const char *fmt, ...) {
    char buf[1024];
    size_t len;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(buf, sizeof(buf), &len, fmt, ap);
    va_end(ap);
    trellis_enter_java();
    int r = up.reply_error ? up.reply_error(ctx, s, len) : REDISMODULE_OK;
    if (s != buf) free(s);
    return r;
}

void trellis_Log(void *ctx, const char *level, const char *fmt, ...) {
    char buf[1024];
    size_t len;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(buf, sizeof(buf), &len, fmt, ap);
    va_end(ap);
    trellis_enter_java();
    if (up.log) up.log(ctx, level, s, len);
    if (s != buf) free(s);
}

void trellis_LogIOError(void *io, const char *level, const char *fmt, ...) {
    char buf[1024];
    size_t len;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(buf, sizeof(buf), &len, fmt, ap);
    va_end(ap);
    trellis_enter_java();
    if (up.log_io_error) up.log_io_error(io, level, s, len);
    if (s != buf) free(s);
}

/* ------------------------------------------------------------------------ */
/* Hash field lists                                                          */
/* ------------------------------------------------------------------------ */

/* Collects (field, value-or-out-pointer) pairs until a NULL field. */
static int hash_pairs(int flags, va_list ap, argvec *fields, void ***vals, int *n) {
    int cap = 16;
    void **v = malloc(sizeof(void *) * cap);
    if (!v) return -1;
    int count = 0;
    for (;;) {
        const char *fp;
        size_t fl;
        if (flags & REDISMODULE_HASH_CFIELDS) {
            fp = va_arg(ap, const char *);
            if (!fp) break;
            fl = strlen(fp);
        } else {
            const void *s = va_arg(ap, const void *);
            if (!s) break;
            fp = tstr_ptr(s, &fl);
        }
        void *val = va_arg(ap, void *);
        if (av_push(fields, fp, fl)) { free(v); return -1; }
        if (count == cap) {
            cap *= 2;
            void **nv = realloc(v, sizeof(void *) * cap);
            if (!nv) { free(v); return -1; }
            v = nv;
        }
        v[count++] = val;
    }
    *vals = v;
    *n = count;
    return 0;
}

int trellis_HashSet(void *key, int flags, ...) {
    argvec f;
    av_init(&f);
    void **vals = NULL;
    int n = 0;
    va_list ap;
    va_start(ap, flags);
    int rc = hash_pairs(flags, ap, &f, &vals, &n);
    va_end(ap);
    int r = 0;
    trellis_enter_java();
    if (rc == 0 && up.hash_set) {
        r = up.hash_set(key, flags, f.ptr, f.len, vals, n);
    } else {
        errno = ENOMEM;
    }
    free(vals);
    av_free(&f);
    return r;
}

int trellis_HashGet(void *key, int flags, ...) {
    argvec f;
    av_init(&f);
    void **vals = NULL;
    int n = 0;
    va_list ap;
    va_start(ap, flags);
    int rc = hash_pairs(flags, ap, &f, &vals, &n);
    va_end(ap);
    int r = REDISMODULE_ERR;
    trellis_enter_java();
    if (rc == 0 && up.hash_get) {
        r = up.hash_get(key, flags, f.ptr, f.len, vals, n);
    }
    free(vals);
    av_free(&f);
    return r;
}

/* ------------------------------------------------------------------------ */
/* long double                                                               */
/* ------------------------------------------------------------------------ */

#define LD_MAX_CHARS (5 * 1024)

enum ld_mode { LD_AUTO, LD_HEX, LD_HUMAN };

/* Text of a long double the way Redis prints it: "inf"/"-inf"/"nan" spelled
 * out, %.17Lg (auto), %La (hex), or %.17Lf without trailing zeros (human). */
static size_t ld_format(char *buf, size_t cap, long double v, enum ld_mode mode) {
    int n;
    if (isinf(v)) {
        n = snprintf(buf, cap, "%s", v > 0 ? "inf" : "-inf");
        return (size_t)n;
    }
    if (isnan(v)) {
        n = snprintf(buf, cap, "nan");
        return (size_t)n;
    }
    switch (mode) {
    case LD_HEX:
        n = snprintf(buf, cap, "%La", v);
        break;
    case LD_HUMAN:
        n = snprintf(buf, cap, "%.17Lf", v);
        if (n > 0 && (size_t)n < cap && strchr(buf, '.')) {
            while (n > 0 && buf[n - 1] == '0') n--;
            if (n > 0 && buf[n - 1] == '.') n--;
            buf[n] = '\0';
        }
        if (n == 2 && buf[0] == '-' && buf[1] == '0') {
            buf[0] = '0';
            buf[1] = '\0';
            n = 1;
        }
        break;
    default:
        n = snprintf(buf, cap, "%.17Lg", v);
        break;
    }
    if (n < 0 || (size_t)n >= cap) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* Strict parse: the whole buffer must be a number, no spaces, no NaN. */
static int ld_parse(const char *s, size_t len, long double *out) {
    char buf[LD_MAX_CHARS];
    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0])) return 0;
    char *end;
    errno = 0;
    long double v = strtold(buf, &end);
    if (*end != '\0' || (size_t)(end - buf) != len) return 0;
    if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || fpclassify(v) == FP_ZERO)) return 0;
    if (errno == EINVAL || isnan(v)) return 0;
    *out = v;
    return 1;
}

void *trellis_CreateStringFromLongDouble(void *ctx, long double ld, int humanfriendly) {
    char buf[LD_MAX_CHARS];
    size_t len = ld_format(buf, sizeof(buf), ld, humanfriendly ? LD_HUMAN : LD_AUTO);
    trellis_enter_java();
    return up.create_string ? up.create_string(ctx, buf, len) : NULL;
}

int trellis_ReplyWithLongDouble(void *ctx, long double ld) {
    char buf[LD_MAX_CHARS];
    size_t len = ld_format(buf, sizeof(buf), ld, LD_HUMAN);
    trellis_enter_java();
    return up.reply_human_double ? up.reply_human_double(ctx, buf, len) : REDISMODULE_OK;
}

int trellis_StringToLongDouble(const void *str, long double *d) {
    size_t len;
    const char *p = tstr_ptr(str, &len);
    long double v;
    if (!ld_parse(p, len, &v)) return REDISMODULE_ERR;
    if (d) *d = v;
    return REDISMODULE_OK;
}

void trellis_SaveLongDouble(void *io, long double value) {
    char buf[LD_MAX_CHARS];
    size_t len = ld_format(buf, sizeof(buf), value, LD_HEX);
    trellis_enter_java();
    if (up.save_string_buffer) up.save_string_buffer(io, buf, len);
}

long double trellis_LoadLongDouble(void *io) {
    trellis_enter_java();
    if (!up.load_string_buffer) return 0;
    size_t len = 0;
    char *s = up.load_string_buffer(io, &len);
    if (!s) return 0;
    long double v = 0;
    ld_parse(s, len, &v);
    trellis_Free(s);
    return v;
}

/* ------------------------------------------------------------------------ */
/* Small helpers for the server                                              */
/* ------------------------------------------------------------------------ */

/* errno as a module running on this thread sees it. */
void trellis_set_errno(int e) {
    errno = e;
}

int trellis_get_errno(void) {
    return errno;
}
