/*
 * Exercises RedisModule_Init() from our redismodule.h against a fake server:
 *   - GetApi is taken from the first word of the context;
 *   - every name is requested as "RedisModule_<Name>" (the names are printed
 *     to stdout, one per line without the prefix, so check-api.sh can diff
 *     them with api-names.txt);
 *   - names the server does not know leave their pointer NULL and do not
 *     make Init fail;
 *   - a busy module name makes Init return REDISMODULE_ERR before
 *     SetModuleAttribs; a server without IsModuleNameBusy is accepted.
 * Builds as C and as C++. Exit status 0 means all checks passed.
 */
#include <stdio.h>
#include <string.h>

#define REDISMODULE_MAIN
#include "redismodule.h"

#define PREFIX "RedisModule_"

static int failures = 0;
#define CHECK(cond, what) \
    do { if (!(cond)) { fprintf(stderr, "init_check: FAIL: %s\n", what); failures++; } } while (0)

/* One row per entry point Init fetches: its name and its pointer variable. */
struct api_slot { const char *name; void **var; };
#define SLOT(n) { #n, (void **)&RedisModule_##n },
static struct api_slot slots[] = { REDISMODULE__FOR_EACH_API(SLOT) };
#define NSLOTS (sizeof(slots) / sizeof(slots[0]))

/* Fake server state. */
static int print_names = 0;
static int provide_name_busy = 1;
static int name_busy = 0;
static int attribs_calls = 0;
static const char *attribs_name = NULL;
static int attribs_ver = 0, attribs_apiver = 0;
static int requests = 0;

static int fake_IsModuleNameBusy(const char *name) { (void)name; return name_busy; }
static void fake_SetModuleAttribs(RedisModuleCtx *ctx, const char *name, int ver, int apiver) {
    (void)ctx;
    attribs_calls++;
    attribs_name = name;
    attribs_ver = ver;
    attribs_apiver = apiver;
}
static void fake_other(void) {}

/* Every second name (by position) is "unknown" to this server. */
static int slot_index(const char *name) {
    size_t i;
    for (i = 0; i < NSLOTS; i++)
        if (strcmp(slots[i].name, name) == 0) return (int)i;
    return -1;
}
static int known(int idx) { return idx % 2 == 0; }

static int fake_GetApi(const char *fullname, void *target) {
    void **out = (void **)target;
    const char *name;
    int idx;
    requests++;
    if (strncmp(fullname, PREFIX, strlen(PREFIX)) != 0) return REDISMODULE_ERR;
    name = fullname + strlen(PREFIX);
    if (print_names) printf("%s\n", name);
    if (strcmp(name, "IsModuleNameBusy") == 0) {
        if (!provide_name_busy) return REDISMODULE_ERR;
        *out = (void *)(uintptr_t)&fake_IsModuleNameBusy;
        return REDISMODULE_OK;
    }
    if (strcmp(name, "SetModuleAttribs") == 0) {
        *out = (void *)(uintptr_t)&fake_SetModuleAttribs;
        return REDISMODULE_OK;
    }
    idx = slot_index(name);
    if (idx < 0 || !known(idx)) return REDISMODULE_ERR;
    *out = (void *)(uintptr_t)&fake_other;
    return REDISMODULE_OK;
}

static void reset_pointers(void) {
    size_t i;
    for (i = 0; i < NSLOTS; i++) *slots[i].var = NULL;
    RedisModule_GetApi = NULL;
    attribs_calls = 0;
    requests = 0;
}

int main(void) {
    /* The context only needs GetApi in its first word. */
    void *ctx_words[8];
    RedisModuleCtx *ctx = (RedisModuleCtx *)(void *)ctx_words;
    size_t i;
    int rc, wrong = 0;
    memset(ctx_words, 0, sizeof(ctx_words));
    ctx_words[0] = (void *)(uintptr_t)&fake_GetApi;

    /* 1. Normal load; prints the requested names. */
    reset_pointers();
    print_names = 1;
    rc = RedisModule_Init(ctx, "initcheck", 7, REDISMODULE_APIVER_1);
    print_names = 0;
    fflush(stdout);
    CHECK(rc == REDISMODULE_OK, "Init returns OK");
    CHECK(RedisModule_GetApi == &fake_GetApi, "GetApi read from ctx[0]");
    CHECK(requests == (int)NSLOTS, "one GetApi request per listed name");
    CHECK(NSLOTS == 361, "361 names fetched (362 pointers with GetApi)");
    CHECK(attribs_calls == 1, "SetModuleAttribs called once");
    CHECK(attribs_name && strcmp(attribs_name, "initcheck") == 0 &&
          attribs_ver == 7 && attribs_apiver == REDISMODULE_APIVER_1,
          "SetModuleAttribs gets name/ver/apiver");
    for (i = 0; i < NSLOTS; i++) {
        int special = strcmp(slots[i].name, "IsModuleNameBusy") == 0 ||
                      strcmp(slots[i].name, "SetModuleAttribs") == 0;
        if (special) continue;
        if (known((int)i) != (*slots[i].var != NULL)) {
            fprintf(stderr, "init_check: pointer state wrong for %s\n", slots[i].name);
            wrong++;
        }
    }
    CHECK(wrong == 0, "unknown names stay NULL, known names are set");
    CHECK(!RMAPI_FUNC_SUPPORTED(RedisModule_TryAlloc) || known(slot_index("TryAlloc")),
          "RMAPI_FUNC_SUPPORTED reflects NULL");

    /* 2. Name taken: ERR, and attributes are not set. */
    reset_pointers();
    name_busy = 1;
    rc = RedisModule_Init(ctx, "initcheck", 1, REDISMODULE_APIVER_1);
    CHECK(rc == REDISMODULE_ERR, "busy name makes Init fail");
    CHECK(attribs_calls == 0, "busy name: SetModuleAttribs not called");
    name_busy = 0;

    /* 3. Server without IsModuleNameBusy: Init still succeeds. */
    reset_pointers();
    provide_name_busy = 0;
    rc = RedisModule_Init(ctx, "initcheck", 1, REDISMODULE_APIVER_1);
    CHECK(rc == REDISMODULE_OK, "missing IsModuleNameBusy is tolerated");
    CHECK(RedisModule_IsModuleNameBusy == NULL, "missing IsModuleNameBusy stays NULL");
    CHECK(attribs_calls == 1, "missing IsModuleNameBusy: attributes set");

    if (failures) {
        fprintf(stderr, "init_check: %d failure(s)\n", failures);
        return 1;
    }
    fprintf(stderr, "init_check: OK\n");
    return 0;
}
