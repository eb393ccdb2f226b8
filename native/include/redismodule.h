/*
 * redismodule.h -- Trellis module ABI header, written from the Redis module
 * ABI facts (API version 1).
 *
 * Modules built against this header load unchanged into Trellis and into any
 * server speaking the same ABI. Everything here is either a fact of that ABI
 * (names, signatures, constant values, struct layouts, the GetApi handshake)
 * or a compile-time convenience that does not change the binary interface.
 *
 * How a module talks to the server:
 *   - every API entry point is a function pointer variable RedisModule_<Name>;
 *   - RedisModule_Init() (below, static inline) reads the server's GetApi
 *     entry point from the first word of the RedisModuleCtx it is handed and
 *     asks it for each pointer by its full name ("RedisModule_<Name>");
 *   - entry points the server does not provide simply stay NULL, which
 *     modules may test with RMAPI_FUNC_SUPPORTED().
 *
 * Knobs a module may set before including this file:
 *   REDISMODULE_API    storage-class prefix of the pointer variables
 *                      (default: none, i.e. every TU provides a mergeable
 *                      "common" definition; define it to `extern` in all but
 *                      one TU to get strict single definitions instead).
 *   REDISMODULE_ATTR   attributes appended to the pointer variables
 *                      (default: the GCC `common` attribute where supported).
 *   REDISMODULE_MAIN   optional marker of the TU that owns the definitions;
 *                      there the variables are plain definitions.
 *   REDISMODULE_TYPES_ONLY  only types and constants, no pointer variables
 *                      and no RedisModule_Init (for server-side C glue).
 */
#ifndef REDISMODULE_H
#define REDISMODULE_H

/* Modules rely on these being available through this header. */
#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Compiler helpers                                                          */
/* ------------------------------------------------------------------------ */

#ifndef REDISMODULE_ATTR_UNUSED
#  if defined(__GNUC__)
#    define REDISMODULE_ATTR_UNUSED __attribute__((unused))
#  else
#    define REDISMODULE_ATTR_UNUSED
#  endif
#endif

/* printf checking for the printf-style entry points. */
#ifndef REDISMODULE_ATTR_PRINTF
#  if defined(__GNUC__)
#    define REDISMODULE_ATTR_PRINTF(fmtidx, firstarg) __attribute__((format(printf, fmtidx, firstarg)))
#  else
#    define REDISMODULE_ATTR_PRINTF(fmtidx, firstarg)
#  endif
#endif

/* Lets every translation unit of a module define the pointer variables and
 * have the linker merge them, even under -fno-common (GCC 10+ default).
 * clang does not accept the attribute in C++ mode. */
#ifndef REDISMODULE_ATTR_COMMON
#  if defined(__GNUC__) && !(defined(__clang__) && defined(__cplusplus))
#    define REDISMODULE_ATTR_COMMON __attribute__((__common__))
#  else
#    define REDISMODULE_ATTR_COMMON
#  endif
#endif

#if defined(__GNUC__)
#  define REDISMODULE__DEPRECATED __attribute__((deprecated))
#else
#  define REDISMODULE__DEPRECATED
#endif

#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#  define REDISMODULE__INLINE inline
#elif defined(__GNUC__)
#  define REDISMODULE__INLINE __inline__
#else
#  define REDISMODULE__INLINE
#endif

/* ------------------------------------------------------------------------ */
/* Scalar and opaque types                                                   */
/* ------------------------------------------------------------------------ */

/* A server core has its own time types; modules get them from here. */
#if !defined(REDISMODULE_CORE) && !defined(REDISMODULE_CORE_MODULE)
typedef long long mstime_t;   /* milliseconds */
typedef long long ustime_t;   /* microseconds */
#endif

/* Timer handle: a plain 64-bit number. */
typedef uint64_t RedisModuleTimerID;

/* Handles owned by the server; modules only ever hold pointers to them. */
typedef struct RedisModuleCtx RedisModuleCtx;
typedef struct RedisModuleString RedisModuleString;
typedef struct RedisModuleKey RedisModuleKey;
typedef struct RedisModuleCommand RedisModuleCommand;
typedef struct RedisModuleCallReply RedisModuleCallReply;
typedef struct RedisModuleType RedisModuleType;
typedef struct RedisModuleIO RedisModuleIO;
typedef struct RedisModuleDigest RedisModuleDigest;
typedef struct RedisModuleInfoCtx RedisModuleInfoCtx;
typedef struct RedisModuleDefragCtx RedisModuleDefragCtx;
typedef struct RedisModuleBlockedClient RedisModuleBlockedClient;
typedef struct RedisModuleClusterInfo RedisModuleClusterInfo;
typedef struct RedisModuleDict RedisModuleDict;
typedef struct RedisModuleDictIter RedisModuleDictIter;
typedef struct RedisModuleCommandFilterCtx RedisModuleCommandFilterCtx;
typedef struct RedisModuleCommandFilter RedisModuleCommandFilter;
typedef struct RedisModuleServerInfoData RedisModuleServerInfoData;
typedef struct RedisModuleScanCursor RedisModuleScanCursor;
typedef struct RedisModuleUser RedisModuleUser;
typedef struct RedisModuleKeyOptCtx RedisModuleKeyOptCtx;
typedef struct RedisModuleRdbStream RedisModuleRdbStream;

/* ------------------------------------------------------------------------ */
/* Status codes and versions                                                 */
/* ------------------------------------------------------------------------ */

#define REDISMODULE_OK  0
#define REDISMODULE_ERR 1

/* Return values of a module auth callback. */
#define REDISMODULE_AUTH_HANDLED     0
#define REDISMODULE_AUTH_NOT_HANDLED 1

#define REDISMODULE_APIVER_1 1

/* Version of RedisModuleTypeMethods this header describes (see struct). */
#define REDISMODULE_TYPE_METHOD_VERSION 5

/* ------------------------------------------------------------------------ */
/* Keys                                                                      */
/* ------------------------------------------------------------------------ */

/* RedisModule_OpenKey() mode bits. */
#define REDISMODULE_READ                    (1 << 0)
#define REDISMODULE_WRITE                   (1 << 1)
#define REDISMODULE_OPEN_KEY_NOTOUCH        (1 << 16)  /* leave LRU/LFU alone */
#define REDISMODULE_OPEN_KEY_NONOTIFY       (1 << 17)  /* no keymiss event */
#define REDISMODULE_OPEN_KEY_NOSTATS        (1 << 18)  /* no hit/miss stats */
#define REDISMODULE_OPEN_KEY_NOEXPIRE       (1 << 19)  /* don't delete if expired */
#define REDISMODULE_OPEN_KEY_NOEFFECTS      (1 << 20)  /* no side effects at all */
#define REDISMODULE_OPEN_KEY_ACCESS_EXPIRED (1 << 21)  /* see expired, undeleted keys */
/* Union of all mode bits; modules should ask RedisModule_GetOpenKeyModesAll(). */
#define _REDISMODULE_OPEN_KEY_ALL \
    (REDISMODULE_READ | REDISMODULE_WRITE | REDISMODULE_OPEN_KEY_NOTOUCH | \
     REDISMODULE_OPEN_KEY_NONOTIFY | REDISMODULE_OPEN_KEY_NOSTATS | \
     REDISMODULE_OPEN_KEY_NOEXPIRE | REDISMODULE_OPEN_KEY_NOEFFECTS | \
     REDISMODULE_OPEN_KEY_ACCESS_EXPIRED)

/* RedisModule_KeyType() results. */
#define REDISMODULE_KEYTYPE_EMPTY  0
#define REDISMODULE_KEYTYPE_STRING 1
#define REDISMODULE_KEYTYPE_LIST   2
#define REDISMODULE_KEYTYPE_HASH   3
#define REDISMODULE_KEYTYPE_SET    4
#define REDISMODULE_KEYTYPE_ZSET   5
#define REDISMODULE_KEYTYPE_MODULE 6
#define REDISMODULE_KEYTYPE_STREAM 7

/* List ends for ListPush/ListPop. */
#define REDISMODULE_LIST_HEAD 0
#define REDISMODULE_LIST_TAIL 1

/* GetExpire() result for keys without a TTL. */
#define REDISMODULE_NO_EXPIRE (-1)

/* ------------------------------------------------------------------------ */
/* Replies                                                                   */
/* ------------------------------------------------------------------------ */

/* RedisModule_CallReplyType() results. */
#define REDISMODULE_REPLY_UNKNOWN         (-1)
#define REDISMODULE_REPLY_STRING          0
#define REDISMODULE_REPLY_ERROR           1
#define REDISMODULE_REPLY_INTEGER         2
#define REDISMODULE_REPLY_ARRAY           3
#define REDISMODULE_REPLY_NULL            4
#define REDISMODULE_REPLY_MAP             5
#define REDISMODULE_REPLY_SET             6
#define REDISMODULE_REPLY_BOOL            7
#define REDISMODULE_REPLY_DOUBLE          8
#define REDISMODULE_REPLY_BIG_NUMBER      9
#define REDISMODULE_REPLY_VERBATIM_STRING 10
#define REDISMODULE_REPLY_ATTRIBUTE       11
#define REDISMODULE_REPLY_PROMISE         12

/* Length argument meaning "set later with ReplySet*Length()". */
#define REDISMODULE_POSTPONED_LEN       (-1)
#define REDISMODULE_POSTPONED_ARRAY_LEN (-1)  /* older spelling */

#define REDISMODULE_ERRORMSG_WRONGTYPE \
    "WRONGTYPE Operation against a key holding the wrong kind of value"

/* ------------------------------------------------------------------------ */
/* Sorted sets, hashes, streams                                              */
/* ------------------------------------------------------------------------ */

/* ZsetAdd/ZsetIncrby: input flags (XX NX GT LT) and output flags. */
#define REDISMODULE_ZADD_XX      (1 << 0)
#define REDISMODULE_ZADD_NX      (1 << 1)
#define REDISMODULE_ZADD_ADDED   (1 << 2)
#define REDISMODULE_ZADD_UPDATED (1 << 3)
#define REDISMODULE_ZADD_NOP     (1 << 4)
#define REDISMODULE_ZADD_GT      (1 << 5)
#define REDISMODULE_ZADD_LT      (1 << 6)

/* Score-range bounds. */
#if defined(__GNUC__)
#  define REDISMODULE_POSITIVE_INFINITE (__builtin_inf())
#  define REDISMODULE_NEGATIVE_INFINITE (-__builtin_inf())
#else
#  define REDISMODULE_POSITIVE_INFINITE (1.0 / 0.0)
#  define REDISMODULE_NEGATIVE_INFINITE (-1.0 / 0.0)
#endif

/* HashSet/HashGet flags. */
#define REDISMODULE_HASH_NONE      0
#define REDISMODULE_HASH_NX        (1 << 0)
#define REDISMODULE_HASH_XX        (1 << 1)
#define REDISMODULE_HASH_CFIELDS   (1 << 2)  /* fields are C strings */
#define REDISMODULE_HASH_EXISTS    (1 << 3)  /* HashGet: report existence */
#define REDISMODULE_HASH_COUNT_ALL (1 << 4)  /* HashSet: count all touched */

/* HashSet value meaning "delete this field": the address 1, never a real
 * object. */
#define REDISMODULE_HASH_DELETE ((RedisModuleString *)(long)1)

/* A stream entry id: milliseconds and sequence number. */
typedef struct RedisModuleStreamID {
    uint64_t ms;
    uint64_t seq;
} RedisModuleStreamID;

#define REDISMODULE_STREAM_ADD_AUTOID         (1 << 0)
#define REDISMODULE_STREAM_ITERATOR_EXCLUSIVE (1 << 0)
#define REDISMODULE_STREAM_ITERATOR_REVERSE   (1 << 1)
#define REDISMODULE_STREAM_TRIM_APPROX        (1 << 0)

/* ------------------------------------------------------------------------ */
/* Context flags (RedisModule_GetContextFlags)                               */
/* ------------------------------------------------------------------------ */

#define REDISMODULE_CTX_FLAGS_LUA                     (1 << 0)
#define REDISMODULE_CTX_FLAGS_MULTI                   (1 << 1)
#define REDISMODULE_CTX_FLAGS_MASTER                  (1 << 2)
#define REDISMODULE_CTX_FLAGS_SLAVE                   (1 << 3)
#define REDISMODULE_CTX_FLAGS_READONLY                (1 << 4)
#define REDISMODULE_CTX_FLAGS_CLUSTER                 (1 << 5)
#define REDISMODULE_CTX_FLAGS_AOF                     (1 << 6)
#define REDISMODULE_CTX_FLAGS_RDB                     (1 << 7)
#define REDISMODULE_CTX_FLAGS_MAXMEMORY               (1 << 8)
#define REDISMODULE_CTX_FLAGS_EVICT                   (1 << 9)
#define REDISMODULE_CTX_FLAGS_OOM                     (1 << 10)
#define REDISMODULE_CTX_FLAGS_OOM_WARNING             (1 << 11)
#define REDISMODULE_CTX_FLAGS_REPLICATED              (1 << 12)
#define REDISMODULE_CTX_FLAGS_LOADING                 (1 << 13)
#define REDISMODULE_CTX_FLAGS_REPLICA_IS_STALE        (1 << 14)
#define REDISMODULE_CTX_FLAGS_REPLICA_IS_CONNECTING   (1 << 15)
#define REDISMODULE_CTX_FLAGS_REPLICA_IS_TRANSFERRING (1 << 16)
#define REDISMODULE_CTX_FLAGS_REPLICA_IS_ONLINE       (1 << 17)
#define REDISMODULE_CTX_FLAGS_ACTIVE_CHILD            (1 << 18)
#define REDISMODULE_CTX_FLAGS_MULTI_DIRTY             (1 << 19)
#define REDISMODULE_CTX_FLAGS_IS_CHILD                (1 << 20)
#define REDISMODULE_CTX_FLAGS_DENY_BLOCKING           (1 << 21)
#define REDISMODULE_CTX_FLAGS_RESP3                   (1 << 22)
#define REDISMODULE_CTX_FLAGS_ASYNC_LOADING           (1 << 23)
#define REDISMODULE_CTX_FLAGS_SERVER_STARTUP          (1 << 24)
/* First unused bit; modules should ask RedisModule_GetContextFlagsAll(). */
#define _REDISMODULE_CTX_FLAGS_NEXT                   (1 << 25)

/* ------------------------------------------------------------------------ */
/* Keyspace notification classes                                             */
/* ------------------------------------------------------------------------ */

#define REDISMODULE_NOTIFY_KEYSPACE (1 << 0)   /* K */
#define REDISMODULE_NOTIFY_KEYEVENT (1 << 1)   /* E */
#define REDISMODULE_NOTIFY_GENERIC  (1 << 2)   /* g */
#define REDISMODULE_NOTIFY_STRING   (1 << 3)   /* $ */
#define REDISMODULE_NOTIFY_LIST     (1 << 4)   /* l */
#define REDISMODULE_NOTIFY_SET      (1 << 5)   /* s */
#define REDISMODULE_NOTIFY_HASH     (1 << 6)   /* h */
#define REDISMODULE_NOTIFY_ZSET     (1 << 7)   /* z */
#define REDISMODULE_NOTIFY_EXPIRED  (1 << 8)   /* x */
#define REDISMODULE_NOTIFY_EVICTED  (1 << 9)   /* e */
#define REDISMODULE_NOTIFY_STREAM   (1 << 10)  /* t */
#define REDISMODULE_NOTIFY_KEY_MISS (1 << 11)  /* m, not part of ALL */
#define REDISMODULE_NOTIFY_LOADED   (1 << 12)  /* modules only: key loaded from RDB */
#define REDISMODULE_NOTIFY_MODULE   (1 << 13)  /* d */
#define REDISMODULE_NOTIFY_NEW      (1 << 14)  /* n, not part of ALL */
/* First unused bit; modules should ask GetKeyspaceNotificationFlagsAll(). */
#define _REDISMODULE_NOTIFY_NEXT    (1 << 15)
/* The "A" class. */
#define REDISMODULE_NOTIFY_ALL \
    (REDISMODULE_NOTIFY_GENERIC | REDISMODULE_NOTIFY_STRING | \
     REDISMODULE_NOTIFY_LIST | REDISMODULE_NOTIFY_SET | REDISMODULE_NOTIFY_HASH | \
     REDISMODULE_NOTIFY_ZSET | REDISMODULE_NOTIFY_EXPIRED | \
     REDISMODULE_NOTIFY_EVICTED | REDISMODULE_NOTIFY_STREAM | \
     REDISMODULE_NOTIFY_MODULE)

/* ------------------------------------------------------------------------ */
/* Module configuration flags (RedisModule_Register*Config)                  */
/* ------------------------------------------------------------------------ */

#define REDISMODULE_CONFIG_DEFAULT      0
#define REDISMODULE_CONFIG_IMMUTABLE    (1ULL << 0)  /* set at load time only */
#define REDISMODULE_CONFIG_SENSITIVE    (1ULL << 1)  /* value is redacted */
#define REDISMODULE_CONFIG_HIDDEN       (1ULL << 4)  /* not matched by patterns */
#define REDISMODULE_CONFIG_PROTECTED    (1ULL << 5)  /* honours enable-protected-configs */
#define REDISMODULE_CONFIG_DENY_LOADING (1ULL << 6)  /* not settable while loading */
#define REDISMODULE_CONFIG_MEMORY       (1ULL << 7)  /* numeric accepts 1gb etc. */
#define REDISMODULE_CONFIG_BITFLAGS     (1ULL << 8)  /* enum accepts several values */

/* ------------------------------------------------------------------------ */
/* Cluster                                                                   */
/* ------------------------------------------------------------------------ */

#define REDISMODULE_NODE_ID_LEN 40

#define REDISMODULE_NODE_MYSELF     (1 << 0)
#define REDISMODULE_NODE_MASTER     (1 << 1)
#define REDISMODULE_NODE_SLAVE      (1 << 2)
#define REDISMODULE_NODE_PFAIL      (1 << 3)
#define REDISMODULE_NODE_FAIL       (1 << 4)
#define REDISMODULE_NODE_NOFAILOVER (1 << 5)

#define REDISMODULE_CLUSTER_FLAG_NONE           0
#define REDISMODULE_CLUSTER_FLAG_NO_FAILOVER    (1 << 1)
#define REDISMODULE_CLUSTER_FLAG_NO_REDIRECTION (1 << 2)

/* ------------------------------------------------------------------------ */
/* Miscellaneous flags and values                                            */
/* ------------------------------------------------------------------------ */

#define REDISMODULE_NOT_USED(V) ((void)(V))

/* Level strings for RedisModule_Log(). */
#define REDISMODULE_LOGLEVEL_DEBUG   "debug"
#define REDISMODULE_LOGLEVEL_VERBOSE "verbose"
#define REDISMODULE_LOGLEVEL_NOTICE  "notice"
#define REDISMODULE_LOGLEVEL_WARNING "warning"

/* When aux_save/aux_load run relative to the keyspace in an RDB file. */
#define REDISMODULE_AUX_BEFORE_RDB (1 << 0)
#define REDISMODULE_AUX_AFTER_RDB  (1 << 1)

/* RedisModule_Yield() flags. */
#define REDISMODULE_YIELD_FLAG_NONE    (1 << 0)
#define REDISMODULE_YIELD_FLAG_CLIENTS (1 << 1)

/* RedisModule_BlockClientOnKeysWithFlags() flags. */
#define REDISMODULE_BLOCK_UNBLOCK_DEFAULT 0
#define REDISMODULE_BLOCK_UNBLOCK_DELETED (1 << 0)

/* RedisModule_RegisterCommandFilter() flags. */
#define REDISMODULE_CMDFILTER_NOSELF (1 << 0)

/* RedisModule_SetModuleOptions() bits. */
#define REDISMODULE_OPTIONS_HANDLE_IO_ERRORS                    (1 << 0)
#define REDISMODULE_OPTION_NO_IMPLICIT_SIGNAL_MODIFIED          (1 << 1)
#define REDISMODULE_OPTIONS_HANDLE_REPL_ASYNC_LOAD              (1 << 2)
#define REDISMODULE_OPTIONS_ALLOW_NESTED_KEYSPACE_NOTIFICATIONS (1 << 3)
/* First unused bit; modules should ask RedisModule_GetModuleOptionsAll(). */
#define _REDISMODULE_OPTIONS_FLAGS_NEXT                         (1 << 4)

/* RedisModule_EventLoopAdd()/Del() masks. */
#define REDISMODULE_EVENTLOOP_READABLE 1
#define REDISMODULE_EVENTLOOP_WRITABLE 2

/* ------------------------------------------------------------------------ */
/* Command metadata (RedisModule_SetCommandInfo)                             */
/* ------------------------------------------------------------------------ */

/* Key-spec flags (64-bit). */
#define REDISMODULE_CMD_KEY_RO             (1ULL << 0)
#define REDISMODULE_CMD_KEY_RW             (1ULL << 1)
#define REDISMODULE_CMD_KEY_OW             (1ULL << 2)
#define REDISMODULE_CMD_KEY_RM             (1ULL << 3)
#define REDISMODULE_CMD_KEY_ACCESS         (1ULL << 4)
#define REDISMODULE_CMD_KEY_UPDATE         (1ULL << 5)
#define REDISMODULE_CMD_KEY_INSERT         (1ULL << 6)
#define REDISMODULE_CMD_KEY_DELETE         (1ULL << 7)
#define REDISMODULE_CMD_KEY_NOT_KEY        (1ULL << 8)
#define REDISMODULE_CMD_KEY_INCOMPLETE     (1ULL << 9)
#define REDISMODULE_CMD_KEY_VARIABLE_FLAGS (1ULL << 10)

/* Channel flags for RedisModule_ChannelAtPosWithFlags(). */
#define REDISMODULE_CMD_CHANNEL_PATTERN     (1ULL << 0)
#define REDISMODULE_CMD_CHANNEL_PUBLISH     (1ULL << 1)
#define REDISMODULE_CMD_CHANNEL_SUBSCRIBE   (1ULL << 2)
#define REDISMODULE_CMD_CHANNEL_UNSUBSCRIBE (1ULL << 3)

/* RedisModuleCommandArg.flags. */
#define REDISMODULE_CMD_ARG_NONE           0
#define REDISMODULE_CMD_ARG_OPTIONAL       (1 << 0)
#define REDISMODULE_CMD_ARG_MULTIPLE       (1 << 1)
#define REDISMODULE_CMD_ARG_MULTIPLE_TOKEN (1 << 2)
#define _REDISMODULE_CMD_ARG_NEXT          (1 << 3)

typedef enum RedisModuleCommandArgType {
    REDISMODULE_ARG_TYPE_STRING = 0,
    REDISMODULE_ARG_TYPE_INTEGER = 1,
    REDISMODULE_ARG_TYPE_DOUBLE = 2,
    REDISMODULE_ARG_TYPE_KEY = 3,          /* a string naming a key */
    REDISMODULE_ARG_TYPE_PATTERN = 4,
    REDISMODULE_ARG_TYPE_UNIX_TIME = 5,
    REDISMODULE_ARG_TYPE_PURE_TOKEN = 6,
    REDISMODULE_ARG_TYPE_ONEOF = 7,        /* needs subargs */
    REDISMODULE_ARG_TYPE_BLOCK = 8         /* needs subargs */
} RedisModuleCommandArgType;

/* Zero must mean "absent" so that omitted fields in a literal are invalid. */
typedef enum RedisModuleKeySpecBeginSearchType {
    REDISMODULE_KSPEC_BS_INVALID = 0,
    REDISMODULE_KSPEC_BS_UNKNOWN = 1,
    REDISMODULE_KSPEC_BS_INDEX = 2,
    REDISMODULE_KSPEC_BS_KEYWORD = 3
} RedisModuleKeySpecBeginSearchType;

typedef enum RedisModuleKeySpecFindKeysType {
    REDISMODULE_KSPEC_FK_OMITTED = 0,
    REDISMODULE_KSPEC_FK_UNKNOWN = 1,
    REDISMODULE_KSPEC_FK_RANGE = 2,
    REDISMODULE_KSPEC_FK_KEYNUM = 3
} RedisModuleKeySpecFindKeysType;

/* One argument of a command; arrays of these end with a zeroed entry. */
typedef struct RedisModuleCommandArg {
    const char *name;
    RedisModuleCommandArgType type;
    int key_spec_index;                     /* for KEY args, else -1 */
    const char *token;
    const char *summary;
    const char *since;
    int flags;                              /* REDISMODULE_CMD_ARG_* */
    const char *deprecated_since;
    struct RedisModuleCommandArg *subargs;  /* for ONEOF / BLOCK */
    const char *display_text;
} RedisModuleCommandArg;

typedef struct RedisModuleCommandHistoryEntry {
    const char *since;
    const char *changes;
} RedisModuleCommandHistoryEntry;

/* How to find the keys of a command: a begin-search step (bs) selected by
 * begin_search_type, then a find-keys step (fk) selected by find_keys_type. */
typedef struct RedisModuleCommandKeySpec {
    const char *notes;
    uint64_t flags;                         /* REDISMODULE_CMD_KEY_* */
    RedisModuleKeySpecBeginSearchType begin_search_type;
    union {
        struct {
            int pos;                        /* argv index of the first key */
        } index;
        struct {
            const char *keyword;            /* keys follow this token */
            int startfrom;                  /* where to look; <0 from the end */
        } keyword;
    } bs;
    RedisModuleKeySpecFindKeysType find_keys_type;
    union {
        struct {
            int lastkey;                    /* relative; <0 counts from the end */
            int keystep;
            int limit;                      /* with lastkey -1: 0/1 all, N = 1/N */
        } range;
        struct {
            int keynumidx;                  /* arg holding the key count */
            int firstkey;
            int keystep;
        } keynum;
    } fk;
} RedisModuleCommandKeySpec;

/* Lets the server read the arrays in RedisModuleCommandInfo with the element
 * sizes the module was compiled with. */
typedef struct RedisModuleCommandInfoVersion {
    int version;
    size_t sizeof_historyentry;
    size_t sizeof_keyspec;
    size_t sizeof_arg;
} RedisModuleCommandInfoVersion;

static const RedisModuleCommandInfoVersion RedisModule_CurrentCommandInfoVersion = {
    1,
    sizeof(RedisModuleCommandHistoryEntry),
    sizeof(RedisModuleCommandKeySpec),
    sizeof(RedisModuleCommandArg)
};

#define REDISMODULE_COMMAND_INFO_VERSION (&RedisModule_CurrentCommandInfoVersion)

typedef struct RedisModuleCommandInfo {
    const RedisModuleCommandInfoVersion *version;  /* REDISMODULE_COMMAND_INFO_VERSION */
    const char *summary;
    const char *complexity;
    const char *since;
    RedisModuleCommandHistoryEntry *history;       /* zero-terminated array */
    const char *tips;                              /* space separated */
    int arity;                                     /* -N means at least N */
    RedisModuleCommandKeySpec *key_specs;          /* zero-terminated array */
    RedisModuleCommandArg *args;                   /* zero-terminated array */
} RedisModuleCommandInfo;

/* ------------------------------------------------------------------------ */
/* Server events (RedisModule_SubscribeToServerEvent)                        */
/* ------------------------------------------------------------------------ */

/* Event ids. Modules pass the RedisModuleEvent_* objects, not these. */
#define REDISMODULE_EVENT_REPLICATION_ROLE_CHANGED 0
#define REDISMODULE_EVENT_PERSISTENCE              1
#define REDISMODULE_EVENT_FLUSHDB                  2
#define REDISMODULE_EVENT_LOADING                  3
#define REDISMODULE_EVENT_CLIENT_CHANGE            4
#define REDISMODULE_EVENT_SHUTDOWN                 5
#define REDISMODULE_EVENT_REPLICA_CHANGE           6
#define REDISMODULE_EVENT_MASTER_LINK_CHANGE       7
#define REDISMODULE_EVENT_CRON_LOOP                8
#define REDISMODULE_EVENT_MODULE_CHANGE            9
#define REDISMODULE_EVENT_LOADING_PROGRESS         10
#define REDISMODULE_EVENT_SWAPDB                   11
#define REDISMODULE_EVENT_REPL_BACKUP              12  /* never fired any more */
#define REDISMODULE_EVENT_FORK_CHILD               13
#define REDISMODULE_EVENT_REPL_ASYNC_LOAD          14
#define REDISMODULE_EVENT_EVENTLOOP                15
#define REDISMODULE_EVENT_CONFIG                   16
#define REDISMODULE_EVENT_KEY                      17
#define _REDISMODULE_EVENT_NEXT                    18

/* An event as the module names it: id plus the version of the data struct
 * the module expects. Passed by value. */
typedef struct RedisModuleEvent {
    uint64_t id;
    uint64_t dataver;
} RedisModuleEvent;

typedef void (*RedisModuleEventCallback)(RedisModuleCtx *ctx, RedisModuleEvent eid,
                                         uint64_t subevent, void *data);

/* A newer data version gets a new object name (e.g. ..._FlushDBV2) so that a
 * module built with a newer header still runs on an older server. */
static const RedisModuleEvent RedisModuleEvent_ReplicationRoleChanged = {REDISMODULE_EVENT_REPLICATION_ROLE_CHANGED, 1};
static const RedisModuleEvent RedisModuleEvent_Persistence = {REDISMODULE_EVENT_PERSISTENCE, 1};
static const RedisModuleEvent RedisModuleEvent_FlushDB = {REDISMODULE_EVENT_FLUSHDB, 1};
static const RedisModuleEvent RedisModuleEvent_Loading = {REDISMODULE_EVENT_LOADING, 1};
static const RedisModuleEvent RedisModuleEvent_ClientChange = {REDISMODULE_EVENT_CLIENT_CHANGE, 1};
static const RedisModuleEvent RedisModuleEvent_Shutdown = {REDISMODULE_EVENT_SHUTDOWN, 1};
static const RedisModuleEvent RedisModuleEvent_ReplicaChange = {REDISMODULE_EVENT_REPLICA_CHANGE, 1};
static const RedisModuleEvent RedisModuleEvent_CronLoop = {REDISMODULE_EVENT_CRON_LOOP, 1};
static const RedisModuleEvent RedisModuleEvent_MasterLinkChange = {REDISMODULE_EVENT_MASTER_LINK_CHANGE, 1};
static const RedisModuleEvent RedisModuleEvent_ModuleChange = {REDISMODULE_EVENT_MODULE_CHANGE, 1};
static const RedisModuleEvent RedisModuleEvent_LoadingProgress = {REDISMODULE_EVENT_LOADING_PROGRESS, 1};
static const RedisModuleEvent RedisModuleEvent_SwapDB = {REDISMODULE_EVENT_SWAPDB, 1};
static const RedisModuleEvent RedisModuleEvent_ReplBackup REDISMODULE__DEPRECATED = {REDISMODULE_EVENT_REPL_BACKUP, 1};
static const RedisModuleEvent RedisModuleEvent_ReplAsyncLoad = {REDISMODULE_EVENT_REPL_ASYNC_LOAD, 1};
static const RedisModuleEvent RedisModuleEvent_ForkChild = {REDISMODULE_EVENT_FORK_CHILD, 1};
static const RedisModuleEvent RedisModuleEvent_EventLoop = {REDISMODULE_EVENT_EVENTLOOP, 1};
static const RedisModuleEvent RedisModuleEvent_Config = {REDISMODULE_EVENT_CONFIG, 1};
static const RedisModuleEvent RedisModuleEvent_Key = {REDISMODULE_EVENT_KEY, 1};

/* Sub-event values, per event. The _NEXT values are the first unused ones
 * (for RedisModule_IsSubEventSupported() probing). */
#define REDISMODULE_EVENT_REPLROLECHANGED_NOW_MASTER  0
#define REDISMODULE_EVENT_REPLROLECHANGED_NOW_REPLICA 1
#define _REDISMODULE_EVENT_REPLROLECHANGED_NEXT       2

#define REDISMODULE_SUBEVENT_PERSISTENCE_RDB_START      0
#define REDISMODULE_SUBEVENT_PERSISTENCE_AOF_START      1
#define REDISMODULE_SUBEVENT_PERSISTENCE_SYNC_RDB_START 2
#define REDISMODULE_SUBEVENT_PERSISTENCE_ENDED          3
#define REDISMODULE_SUBEVENT_PERSISTENCE_FAILED         4
#define REDISMODULE_SUBEVENT_PERSISTENCE_SYNC_AOF_START 5
#define _REDISMODULE_SUBEVENT_PERSISTENCE_NEXT          6

#define REDISMODULE_SUBEVENT_FLUSHDB_START 0
#define REDISMODULE_SUBEVENT_FLUSHDB_END   1
#define _REDISMODULE_SUBEVENT_FLUSHDB_NEXT 2

#define REDISMODULE_SUBEVENT_LOADING_RDB_START  0
#define REDISMODULE_SUBEVENT_LOADING_AOF_START  1
#define REDISMODULE_SUBEVENT_LOADING_REPL_START 2
#define REDISMODULE_SUBEVENT_LOADING_ENDED      3
#define REDISMODULE_SUBEVENT_LOADING_FAILED     4
#define _REDISMODULE_SUBEVENT_LOADING_NEXT      5

#define REDISMODULE_SUBEVENT_CLIENT_CHANGE_CONNECTED    0
#define REDISMODULE_SUBEVENT_CLIENT_CHANGE_DISCONNECTED 1
#define _REDISMODULE_SUBEVENT_CLIENT_CHANGE_NEXT        2

#define _REDISMODULE_SUBEVENT_SHUTDOWN_NEXT 0

#define REDISMODULE_SUBEVENT_REPLICA_CHANGE_ONLINE  0
#define REDISMODULE_SUBEVENT_REPLICA_CHANGE_OFFLINE 1
#define _REDISMODULE_SUBEVENT_REPLICA_CHANGE_NEXT   2

#define REDISMODULE_SUBEVENT_MASTER_LINK_UP   0
#define REDISMODULE_SUBEVENT_MASTER_LINK_DOWN 1
#define _REDISMODULE_SUBEVENT_MASTER_NEXT     2

#define _REDISMODULE_SUBEVENT_CRON_LOOP_NEXT 0

#define REDISMODULE_SUBEVENT_MODULE_LOADED   0
#define REDISMODULE_SUBEVENT_MODULE_UNLOADED 1
#define _REDISMODULE_SUBEVENT_MODULE_NEXT    2

#define REDISMODULE_SUBEVENT_LOADING_PROGRESS_RDB 0
#define REDISMODULE_SUBEVENT_LOADING_PROGRESS_AOF 1
#define _REDISMODULE_SUBEVENT_LOADING_PROGRESS_NEXT 2

#define _REDISMODULE_SUBEVENT_SWAPDB_NEXT 0

#define REDISMODULE_SUBEVENT_REPL_BACKUP_CREATE  0
#define REDISMODULE_SUBEVENT_REPL_BACKUP_RESTORE 1
#define REDISMODULE_SUBEVENT_REPL_BACKUP_DISCARD 2
#define _REDISMODULE_SUBEVENT_REPL_BACKUP_NEXT   3

#define REDISMODULE_SUBEVENT_FORK_CHILD_BORN 0
#define REDISMODULE_SUBEVENT_FORK_CHILD_DIED 1
#define _REDISMODULE_SUBEVENT_FORK_CHILD_NEXT 2

#define REDISMODULE_SUBEVENT_REPL_ASYNC_LOAD_STARTED   0
#define REDISMODULE_SUBEVENT_REPL_ASYNC_LOAD_ABORTED   1
#define REDISMODULE_SUBEVENT_REPL_ASYNC_LOAD_COMPLETED 2
#define _REDISMODULE_SUBEVENT_REPL_ASYNC_LOAD_NEXT     3

#define REDISMODULE_SUBEVENT_EVENTLOOP_BEFORE_SLEEP 0
#define REDISMODULE_SUBEVENT_EVENTLOOP_AFTER_SLEEP  1
#define _REDISMODULE_SUBEVENT_EVENTLOOP_NEXT        2

#define REDISMODULE_SUBEVENT_CONFIG_CHANGE 0
#define _REDISMODULE_SUBEVENT_CONFIG_NEXT  1

#define REDISMODULE_SUBEVENT_KEY_DELETED     0
#define REDISMODULE_SUBEVENT_KEY_EXPIRED     1
#define REDISMODULE_SUBEVENT_KEY_EVICTED     2
#define REDISMODULE_SUBEVENT_KEY_OVERWRITTEN 3
#define _REDISMODULE_SUBEVENT_KEY_NEXT       4

/* Event data structs. Each starts with a version word so that the server can
 * tell which layout it was handed (or must fill in). The unsuffixed names
 * are macros for the newest version. */

/* RedisModuleClientInfo.flags */
#define REDISMODULE_CLIENTINFO_FLAG_SSL        (1 << 0)
#define REDISMODULE_CLIENTINFO_FLAG_PUBSUB     (1 << 1)
#define REDISMODULE_CLIENTINFO_FLAG_BLOCKED    (1 << 2)
#define REDISMODULE_CLIENTINFO_FLAG_TRACKING   (1 << 3)
#define REDISMODULE_CLIENTINFO_FLAG_UNIXSOCKET (1 << 4)
#define REDISMODULE_CLIENTINFO_FLAG_MULTI      (1 << 5)

/* Client-change event data; also filled by RedisModule_GetClientInfoById(),
 * where the caller must set .version first. */
#define REDISMODULE_CLIENTINFO_VERSION 1
typedef struct RedisModuleClientInfoV1 {
    uint64_t version;
    uint64_t flags;       /* REDISMODULE_CLIENTINFO_FLAG_* */
    uint64_t id;
    char addr[46];        /* text form of an IPv4/IPv6 address */
    uint16_t port;
    uint16_t db;
} RedisModuleClientInfoV1;
#define RedisModuleClientInfo RedisModuleClientInfoV1
#ifdef __cplusplus
#  define REDISMODULE_CLIENTINFO_INITIALIZER_V1 { 1, 0, 0, {0}, 0, 0 }
#else
#  define REDISMODULE_CLIENTINFO_INITIALIZER_V1 { .version = 1 }
#endif

/* Replication role change. */
#define REDISMODULE_REPLICATIONINFO_VERSION 1
typedef struct RedisModuleReplicationInfoV1 {
    uint64_t version;
    int master;           /* non-zero when this node became a master */
    char *masterhost;
    int masterport;
    char *replid1;
    char *replid2;
    uint64_t repl1_offset;
    uint64_t repl2_offset;
} RedisModuleReplicationInfoV1;
#define RedisModuleReplicationInfo RedisModuleReplicationInfoV1

/* FLUSHDB / FLUSHALL. */
#define REDISMODULE_FLUSHINFO_VERSION 1
typedef struct RedisModuleFlushInfoV1 {
    uint64_t version;
    int32_t sync;         /* non-zero for a synchronous flush */
    int32_t dbnum;        /* -1 means all databases */
} RedisModuleFlushInfoV1;
#define RedisModuleFlushInfo RedisModuleFlushInfoV1

/* Module load / unload. */
#define REDISMODULE_MODULE_CHANGE_VERSION 1
typedef struct RedisModuleModuleChangeV1 {
    uint64_t version;
    const char *module_name;
    int32_t module_version;
} RedisModuleModuleChangeV1;
#define RedisModuleModuleChange RedisModuleModuleChangeV1

/* CONFIG SET of server options. */
#define REDISMODULE_CONFIGCHANGE_VERSION 1
typedef struct RedisModuleConfigChangeV1 {
    uint64_t version;
    uint32_t num_changes;
    const char **config_names;
} RedisModuleConfigChangeV1;
#define RedisModuleConfigChange RedisModuleConfigChangeV1

/* Server cron tick. */
#define REDISMODULE_CRON_LOOP_VERSION 1
typedef struct RedisModuleCronLoopV1 {
    uint64_t version;
    int32_t hz;
} RedisModuleCronLoopV1;
#define RedisModuleCronLoop RedisModuleCronLoopV1

/* Loading progress. */
#define REDISMODULE_LOADING_PROGRESS_VERSION 1
typedef struct RedisModuleLoadingProgressV1 {
    uint64_t version;
    int32_t hz;
    int32_t progress;     /* 0..1024, or -1 when unknown */
} RedisModuleLoadingProgressV1;
#define RedisModuleLoadingProgress RedisModuleLoadingProgressV1

/* SWAPDB. */
#define REDISMODULE_SWAPDBINFO_VERSION 1
typedef struct RedisModuleSwapDbInfoV1 {
    uint64_t version;
    int32_t dbnum_first;
    int32_t dbnum_second;
} RedisModuleSwapDbInfoV1;
#define RedisModuleSwapDbInfo RedisModuleSwapDbInfoV1

/* Key deleted / expired / evicted / overwritten. */
#define REDISMODULE_KEYINFO_VERSION 1
typedef struct RedisModuleKeyInfoV1 {
    uint64_t version;
    RedisModuleKey *key;  /* opened for reading */
} RedisModuleKeyInfoV1;
#define RedisModuleKeyInfo RedisModuleKeyInfoV1

/* ------------------------------------------------------------------------ */
/* ACL                                                                       */
/* ------------------------------------------------------------------------ */

typedef enum RedisModuleACLLogEntryReason {
    REDISMODULE_ACL_LOG_AUTH = 0,
    REDISMODULE_ACL_LOG_CMD = 1,
    REDISMODULE_ACL_LOG_KEY = 2,
    REDISMODULE_ACL_LOG_CHANNEL = 3
} RedisModuleACLLogEntryReason;

/* ------------------------------------------------------------------------ */
/* Callback types (module code the server calls)                             */
/* ------------------------------------------------------------------------ */

/* Commands, blocking, notifications. */
typedef int (*RedisModuleCmdFunc)(RedisModuleCtx *ctx, RedisModuleString **argv, int argc);
typedef void (*RedisModuleDisconnectFunc)(RedisModuleCtx *ctx, RedisModuleBlockedClient *bc);
typedef int (*RedisModuleNotificationFunc)(RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key);
typedef void (*RedisModulePostNotificationJobFunc)(RedisModuleCtx *ctx, void *pd);
typedef void (*RedisModuleOnUnblocked)(RedisModuleCtx *ctx, RedisModuleCallReply *reply, void *private_data);
typedef void (*RedisModuleCommandFilterFunc)(RedisModuleCommandFilterCtx *filter);
typedef int (*RedisModuleAuthCallback)(RedisModuleCtx *ctx, RedisModuleString *username, RedisModuleString *password, RedisModuleString **err);
typedef void (*RedisModuleUserChangedFunc)(uint64_t client_id, void *privdata);

/* Native data types (see RedisModuleTypeMethods). */
typedef void *(*RedisModuleTypeLoadFunc)(RedisModuleIO *rdb, int encver);
typedef void (*RedisModuleTypeSaveFunc)(RedisModuleIO *rdb, void *value);
typedef int (*RedisModuleTypeAuxLoadFunc)(RedisModuleIO *rdb, int encver, int when);
typedef void (*RedisModuleTypeAuxSaveFunc)(RedisModuleIO *rdb, int when);
typedef void (*RedisModuleTypeRewriteFunc)(RedisModuleIO *aof, RedisModuleString *key, void *value);
typedef size_t (*RedisModuleTypeMemUsageFunc)(const void *value);
typedef size_t (*RedisModuleTypeMemUsageFunc2)(RedisModuleKeyOptCtx *ctx, const void *value, size_t sample_size);
typedef void (*RedisModuleTypeDigestFunc)(RedisModuleDigest *digest, void *value);
typedef void (*RedisModuleTypeFreeFunc)(void *value);
typedef size_t (*RedisModuleTypeFreeEffortFunc)(RedisModuleString *key, const void *value);
typedef size_t (*RedisModuleTypeFreeEffortFunc2)(RedisModuleKeyOptCtx *ctx, const void *value);
typedef void (*RedisModuleTypeUnlinkFunc)(RedisModuleString *key, const void *value);
typedef void (*RedisModuleTypeUnlinkFunc2)(RedisModuleKeyOptCtx *ctx, const void *value);
typedef void *(*RedisModuleTypeCopyFunc)(RedisModuleString *fromkey, RedisModuleString *tokey, const void *value);
typedef void *(*RedisModuleTypeCopyFunc2)(RedisModuleKeyOptCtx *ctx, const void *value);
typedef int (*RedisModuleTypeDefragFunc)(RedisModuleDefragCtx *ctx, RedisModuleString *key, void **value);

/* Server services. */
typedef void (*RedisModuleInfoFunc)(RedisModuleInfoCtx *ctx, int for_crash_report);
typedef void (*RedisModuleDefragFunc)(RedisModuleDefragCtx *ctx);
typedef void (*RedisModuleClusterMessageReceiver)(RedisModuleCtx *ctx, const char *sender_id, uint8_t type, const unsigned char *payload, uint32_t len);
typedef void (*RedisModuleTimerProc)(RedisModuleCtx *ctx, void *data);
typedef void (*RedisModuleForkDoneHandler)(int exitcode, int bysignal, void *user_data);
typedef void (*RedisModuleScanCB)(RedisModuleCtx *ctx, RedisModuleString *keyname, RedisModuleKey *key, void *privdata);
typedef void (*RedisModuleScanKeyCB)(RedisModuleKey *key, RedisModuleString *field, RedisModuleString *value, void *privdata);
typedef void (*RedisModuleEventLoopFunc)(int fd, void *user_data, int mask);
typedef void (*RedisModuleEventLoopOneShotFunc)(void *user_data);

/* Module configuration accessors. */
typedef RedisModuleString *(*RedisModuleConfigGetStringFunc)(const char *name, void *privdata);
typedef long long (*RedisModuleConfigGetNumericFunc)(const char *name, void *privdata);
typedef int (*RedisModuleConfigGetBoolFunc)(const char *name, void *privdata);
typedef int (*RedisModuleConfigGetEnumFunc)(const char *name, void *privdata);
typedef int (*RedisModuleConfigSetStringFunc)(const char *name, RedisModuleString *val, void *privdata, RedisModuleString **err);
typedef int (*RedisModuleConfigSetNumericFunc)(const char *name, long long val, void *privdata, RedisModuleString **err);
typedef int (*RedisModuleConfigSetBoolFunc)(const char *name, int val, void *privdata, RedisModuleString **err);
typedef int (*RedisModuleConfigSetEnumFunc)(const char *name, int val, void *privdata, RedisModuleString **err);
typedef int (*RedisModuleConfigApplyFunc)(RedisModuleCtx *ctx, void *privdata, RedisModuleString **err);

/* ------------------------------------------------------------------------ */
/* Native data type callbacks (RedisModule_CreateDataType)                   */
/* ------------------------------------------------------------------------ */

/* The server reads only the fields that exist in the version the module sets
 * (normally REDISMODULE_TYPE_METHOD_VERSION); later fields were appended. */
typedef struct RedisModuleTypeMethods {
    uint64_t version;
    RedisModuleTypeLoadFunc rdb_load;
    RedisModuleTypeSaveFunc rdb_save;
    RedisModuleTypeRewriteFunc aof_rewrite;
    RedisModuleTypeMemUsageFunc mem_usage;
    RedisModuleTypeDigestFunc digest;
    RedisModuleTypeFreeFunc free;
    /* version >= 2 */
    RedisModuleTypeAuxLoadFunc aux_load;
    RedisModuleTypeAuxSaveFunc aux_save;
    int aux_save_triggers;                  /* REDISMODULE_AUX_* */
    /* version >= 3 */
    RedisModuleTypeFreeEffortFunc free_effort;
    RedisModuleTypeUnlinkFunc unlink;
    RedisModuleTypeCopyFunc copy;
    RedisModuleTypeDefragFunc defrag;
    /* version >= 4: key-context aware variants, preferred when set */
    RedisModuleTypeMemUsageFunc2 mem_usage2;
    RedisModuleTypeFreeEffortFunc2 free_effort2;
    RedisModuleTypeUnlinkFunc2 unlink2;
    RedisModuleTypeCopyFunc2 copy2;
    /* version >= 5 */
    RedisModuleTypeAuxSaveFunc aux_save2;
} RedisModuleTypeMethods;

/* ------------------------------------------------------------------------ */
/* Helpers usable everywhere                                                 */
/* ------------------------------------------------------------------------ */

/* Client id the server uses for the AOF loading pseudo-client. */
#define RedisModule_IsAOFClient(id) ((id) == UINT64_MAX)

/* True when the server provided the entry point (GetApi found it). */
#define RMAPI_FUNC_SUPPORTED(func) ((func) != NULL)

#if !defined(REDISMODULE_TYPES_ONLY) && \
    (!defined(REDISMODULE_CORE) || defined(REDISMODULE_CORE_MODULE))

/* ------------------------------------------------------------------------ */
/* API entry points                                                          */
/* ------------------------------------------------------------------------ */

/* Storage of the pointer variables; see the top of the file. */
#ifndef REDISMODULE_API
#  define REDISMODULE_API
#endif
#ifndef REDISMODULE_ATTR
#  if defined(REDISMODULE_MAIN)
#    define REDISMODULE_ATTR
#  else
#    define REDISMODULE_ATTR REDISMODULE_ATTR_COMMON
#  endif
#endif

/* Older modules spell declarations as `ret REDISMODULE_API_FUNC(name)(args)`. */
#ifndef REDISMODULE_API_FUNC
#  define REDISMODULE_API_FUNC(x) (*x)
#endif

/* Memory. Allocations made through these are accounted by the server. */
REDISMODULE_API void *(*RedisModule_Alloc)(size_t bytes) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_TryAlloc)(size_t bytes) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_Calloc)(size_t nmemb, size_t size) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_TryCalloc)(size_t nmemb, size_t size) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_Realloc)(void *ptr, size_t bytes) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_TryRealloc)(void *ptr, size_t bytes) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_Free)(void *ptr) REDISMODULE_ATTR;
REDISMODULE_API char *(*RedisModule_Strdup)(const char *str) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_PoolAlloc)(RedisModuleCtx *ctx, size_t bytes) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_AutoMemory)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_MallocSize)(void *ptr) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_MallocUsableSize)(void *ptr) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_MallocSizeString)(RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_MallocSizeDict)(RedisModuleDict *dict) REDISMODULE_ATTR;
REDISMODULE_API float (*RedisModule_GetUsedMemoryRatio)(void) REDISMODULE_ATTR;

/* Module registration and API discovery. GetApi is not fetched by name: Init
 * reads it from the context. */
REDISMODULE_API int (*RedisModule_GetApi)(const char *, void *) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SetModuleAttribs)(RedisModuleCtx *ctx, const char *name, int ver, int apiver) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_IsModuleNameBusy)(const char *name) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SetModuleOptions)(RedisModuleCtx *ctx, int options) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetModuleOptionsAll)(void) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetServerVersion)(void) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetTypeMethodVersion)(void) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ExportSharedAPI)(RedisModuleCtx *ctx, const char *apiname, void *func) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_GetSharedAPI)(RedisModuleCtx *ctx, const char *apiname) REDISMODULE_ATTR;

/* Commands and command metadata. */
REDISMODULE_API int (*RedisModule_CreateCommand)(RedisModuleCtx *ctx, const char *name, RedisModuleCmdFunc cmdfunc, const char *strflags, int firstkey, int lastkey, int keystep) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCommand *(*RedisModule_GetCommand)(RedisModuleCtx *ctx, const char *name) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CreateSubcommand)(RedisModuleCommand *parent, const char *name, RedisModuleCmdFunc cmdfunc, const char *strflags, int firstkey, int lastkey, int keystep) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetCommandInfo)(RedisModuleCommand *command, const RedisModuleCommandInfo *info) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetCommandACLCategories)(RedisModuleCommand *command, const char *ctgrsflags) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_AddACLCategory)(RedisModuleCtx *ctx, const char *name) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_WrongArity)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_IsKeysPositionRequest)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_KeyAtPos)(RedisModuleCtx *ctx, int pos) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_KeyAtPosWithFlags)(RedisModuleCtx *ctx, int pos, int flags) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_IsChannelsPositionRequest)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ChannelAtPosWithFlags)(RedisModuleCtx *ctx, int pos, int flags) REDISMODULE_ATTR;
REDISMODULE_API int *(*RedisModule_GetCommandKeys)(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int *num_keys) REDISMODULE_ATTR;
REDISMODULE_API int *(*RedisModule_GetCommandKeysWithFlags)(RedisModuleCtx *ctx, RedisModuleString **argv, int argc, int *num_keys, int **out_flags) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_GetCurrentCommandName)(RedisModuleCtx *ctx) REDISMODULE_ATTR;

/* Command filters. */
REDISMODULE_API RedisModuleCommandFilter *(*RedisModule_RegisterCommandFilter)(RedisModuleCtx *ctx, RedisModuleCommandFilterFunc cb, int flags) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_UnregisterCommandFilter)(RedisModuleCtx *ctx, RedisModuleCommandFilter *filter) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CommandFilterArgsCount)(RedisModuleCommandFilterCtx *fctx) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CommandFilterArgGet)(RedisModuleCommandFilterCtx *fctx, int pos) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CommandFilterArgInsert)(RedisModuleCommandFilterCtx *fctx, int pos, RedisModuleString *arg) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CommandFilterArgReplace)(RedisModuleCommandFilterCtx *fctx, int pos, RedisModuleString *arg) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CommandFilterArgDelete)(RedisModuleCommandFilterCtx *fctx, int pos) REDISMODULE_ATTR;
REDISMODULE_API unsigned long long (*RedisModule_CommandFilterGetClientId)(RedisModuleCommandFilterCtx *fctx) REDISMODULE_ATTR;

/* Strings. */
REDISMODULE_API RedisModuleString *(*RedisModule_CreateString)(RedisModuleCtx *ctx, const char *ptr, size_t len) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromLongLong)(RedisModuleCtx *ctx, long long ll) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromULongLong)(RedisModuleCtx *ctx, unsigned long long ull) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromDouble)(RedisModuleCtx *ctx, double d) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromLongDouble)(RedisModuleCtx *ctx, long double ld, int humanfriendly) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromString)(RedisModuleCtx *ctx, const RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromStreamID)(RedisModuleCtx *ctx, const RedisModuleStreamID *id) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringPrintf)(RedisModuleCtx *ctx, const char *fmt, ...) REDISMODULE_ATTR_PRINTF(2,3) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeString)(RedisModuleCtx *ctx, RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_StringPtrLen)(const RedisModuleString *str, size_t *len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringToLongLong)(const RedisModuleString *str, long long *ll) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringToULongLong)(const RedisModuleString *str, unsigned long long *ull) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringToDouble)(const RedisModuleString *str, double *d) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringToLongDouble)(const RedisModuleString *str, long double *d) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringToStreamID)(const RedisModuleString *str, RedisModuleStreamID *id) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringAppendBuffer)(RedisModuleCtx *ctx, RedisModuleString *str, const char *buf, size_t len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_TrimStringAllocation)(RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_RetainString)(RedisModuleCtx *ctx, RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_HoldString)(RedisModuleCtx *ctx, RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringCompare)(const RedisModuleString *a, const RedisModuleString *b) REDISMODULE_ATTR;

/* Replying to the client. */
REDISMODULE_API int (*RedisModule_ReplyWithLongLong)(RedisModuleCtx *ctx, long long ll) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithError)(RedisModuleCtx *ctx, const char *err) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithErrorFormat)(RedisModuleCtx *ctx, const char *fmt, ...) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithSimpleString)(RedisModuleCtx *ctx, const char *msg) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithArray)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithMap)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithSet)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithAttribute)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithNullArray)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithEmptyArray)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ReplySetArrayLength)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ReplySetMapLength)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ReplySetSetLength)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ReplySetAttributeLength)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ReplySetPushLength)(RedisModuleCtx *ctx, long len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithStringBuffer)(RedisModuleCtx *ctx, const char *buf, size_t len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithCString)(RedisModuleCtx *ctx, const char *buf) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithString)(RedisModuleCtx *ctx, RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithEmptyString)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithVerbatimString)(RedisModuleCtx *ctx, const char *buf, size_t len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithVerbatimStringType)(RedisModuleCtx *ctx, const char *buf, size_t len, const char *ext) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithNull)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithBool)(RedisModuleCtx *ctx, int b) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithLongDouble)(RedisModuleCtx *ctx, long double d) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithDouble)(RedisModuleCtx *ctx, double d) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithBigNumber)(RedisModuleCtx *ctx, const char *bignum, size_t len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplyWithCallReply)(RedisModuleCtx *ctx, RedisModuleCallReply *reply) REDISMODULE_ATTR;

/* Calling server commands and reading their replies. The Call format string
 * selects how the variadic arguments are read. */
REDISMODULE_API RedisModuleCallReply *(*RedisModule_Call)(RedisModuleCtx *ctx, const char *cmdname, const char *fmt, ...) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_CallReplyProto)(RedisModuleCallReply *reply, size_t *len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeCallReply)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CallReplyType)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API long long (*RedisModule_CallReplyInteger)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API double (*RedisModule_CallReplyDouble)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CallReplyBool)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_CallReplyBigNumber)(RedisModuleCallReply *reply, size_t *len) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_CallReplyVerbatim)(RedisModuleCallReply *reply, size_t *len, const char **format) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCallReply *(*RedisModule_CallReplySetElement)(RedisModuleCallReply *reply, size_t idx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CallReplyMapElement)(RedisModuleCallReply *reply, size_t idx, RedisModuleCallReply **key, RedisModuleCallReply **val) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CallReplyAttributeElement)(RedisModuleCallReply *reply, size_t idx, RedisModuleCallReply **key, RedisModuleCallReply **val) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_CallReplyPromiseSetUnblockHandler)(RedisModuleCallReply *reply, RedisModuleOnUnblocked on_unblock, void *private_data) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_CallReplyPromiseAbort)(RedisModuleCallReply *reply, void **private_data) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCallReply *(*RedisModule_CallReplyAttribute)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_CallReplyLength)(RedisModuleCallReply *reply) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCallReply *(*RedisModule_CallReplyArrayElement)(RedisModuleCallReply *reply, size_t idx) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_CallReplyStringPtr)(RedisModuleCallReply *reply, size_t *len) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_CreateStringFromCallReply)(RedisModuleCallReply *reply) REDISMODULE_ATTR;

/* Replication (same format language as Call). */
REDISMODULE_API int (*RedisModule_Replicate)(RedisModuleCtx *ctx, const char *cmdname, const char *fmt, ...) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ReplicateVerbatim)(RedisModuleCtx *ctx) REDISMODULE_ATTR;

/* Keys and databases. */
REDISMODULE_API int (*RedisModule_GetSelectedDb)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SelectDb)(RedisModuleCtx *ctx, int newid) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_KeyExists)(RedisModuleCtx *ctx, RedisModuleString *keyname) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleKey *(*RedisModule_OpenKey)(RedisModuleCtx *ctx, RedisModuleString *keyname, int mode) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetOpenKeyModesAll)(void) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_CloseKey)(RedisModuleKey *kp) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_KeyType)(RedisModuleKey *kp) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_ValueLength)(RedisModuleKey *kp) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DeleteKey)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_UnlinkKey)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ResetDataset)(int restart_aof, int async) REDISMODULE_ATTR;
REDISMODULE_API unsigned long long (*RedisModule_DbSize)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_RandomKey)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SignalModifiedKey)(RedisModuleCtx *ctx, RedisModuleString *keyname) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetLRU)(RedisModuleKey *key, mstime_t lru_idle) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetLRU)(RedisModuleKey *key, mstime_t *lru_idle) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetLFU)(RedisModuleKey *key, long long lfu_freq) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetLFU)(RedisModuleKey *key, long long *lfu_freq) REDISMODULE_ATTR;
REDISMODULE_API const RedisModuleString *(*RedisModule_GetKeyNameFromModuleKey)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetDbIdFromModuleKey)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API mstime_t (*RedisModule_GetExpire)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetExpire)(RedisModuleKey *key, mstime_t expire) REDISMODULE_ATTR;
REDISMODULE_API mstime_t (*RedisModule_GetAbsExpire)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetAbsExpire)(RedisModuleKey *key, mstime_t expire) REDISMODULE_ATTR;

/* String values. */
REDISMODULE_API int (*RedisModule_StringSet)(RedisModuleKey *key, RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API char *(*RedisModule_StringDMA)(RedisModuleKey *key, size_t *len, int mode) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StringTruncate)(RedisModuleKey *key, size_t newlen) REDISMODULE_ATTR;

/* List values. */
REDISMODULE_API int (*RedisModule_ListPush)(RedisModuleKey *kp, int where, RedisModuleString *ele) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_ListPop)(RedisModuleKey *key, int where) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_ListGet)(RedisModuleKey *key, long index) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ListSet)(RedisModuleKey *key, long index, RedisModuleString *value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ListInsert)(RedisModuleKey *key, long index, RedisModuleString *value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ListDelete)(RedisModuleKey *key, long index) REDISMODULE_ATTR;

/* Hash values: NULL-terminated (field, value) pairs after flags. */
REDISMODULE_API int (*RedisModule_HashSet)(RedisModuleKey *key, int flags, ...) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_HashGet)(RedisModuleKey *key, int flags, ...) REDISMODULE_ATTR;

/* Sorted set values and range iteration. */
REDISMODULE_API int (*RedisModule_ZsetAdd)(RedisModuleKey *key, double score, RedisModuleString *ele, int *flagsptr) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetIncrby)(RedisModuleKey *key, double score, RedisModuleString *ele, int *flagsptr, double *newscore) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetScore)(RedisModuleKey *key, RedisModuleString *ele, double *score) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetRem)(RedisModuleKey *key, RedisModuleString *ele, int *deleted) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ZsetRangeStop)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetFirstInScoreRange)(RedisModuleKey *key, double min, double max, int minex, int maxex) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetLastInScoreRange)(RedisModuleKey *key, double min, double max, int minex, int maxex) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetFirstInLexRange)(RedisModuleKey *key, RedisModuleString *min, RedisModuleString *max) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetLastInLexRange)(RedisModuleKey *key, RedisModuleString *min, RedisModuleString *max) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_ZsetRangeCurrentElement)(RedisModuleKey *key, double *score) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetRangeNext)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetRangePrev)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ZsetRangeEndReached)(RedisModuleKey *key) REDISMODULE_ATTR;

/* Stream values. */
REDISMODULE_API int (*RedisModule_StreamAdd)(RedisModuleKey *key, int flags, RedisModuleStreamID *id, RedisModuleString **argv, int64_t numfields) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StreamDelete)(RedisModuleKey *key, RedisModuleStreamID *id) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StreamIteratorStart)(RedisModuleKey *key, int flags, RedisModuleStreamID *startid, RedisModuleStreamID *endid) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StreamIteratorStop)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StreamIteratorNextID)(RedisModuleKey *key, RedisModuleStreamID *id, long *numfields) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StreamIteratorNextField)(RedisModuleKey *key, RedisModuleString **field_ptr, RedisModuleString **value_ptr) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StreamIteratorDelete)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API long long (*RedisModule_StreamTrimByLength)(RedisModuleKey *key, int flags, long long length) REDISMODULE_ATTR;
REDISMODULE_API long long (*RedisModule_StreamTrimByID)(RedisModuleKey *key, int flags, RedisModuleStreamID *id) REDISMODULE_ATTR;

/* Native data types. */
REDISMODULE_API RedisModuleType *(*RedisModule_CreateDataType)(RedisModuleCtx *ctx, const char *name, int encver, RedisModuleTypeMethods *typemethods) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ModuleTypeSetValue)(RedisModuleKey *key, RedisModuleType *mt, void *value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ModuleTypeReplaceValue)(RedisModuleKey *key, RedisModuleType *mt, void *new_value, void **old_value) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleType *(*RedisModule_ModuleTypeGetType)(RedisModuleKey *key) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_ModuleTypeGetValue)(RedisModuleKey *key) REDISMODULE_ATTR;

/* RDB serialization inside type callbacks, AOF rewrite and DEBUG DIGEST. */
REDISMODULE_API int (*RedisModule_IsIOError)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveUnsigned)(RedisModuleIO *io, uint64_t value) REDISMODULE_ATTR;
REDISMODULE_API uint64_t (*RedisModule_LoadUnsigned)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveSigned)(RedisModuleIO *io, int64_t value) REDISMODULE_ATTR;
REDISMODULE_API int64_t (*RedisModule_LoadSigned)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveString)(RedisModuleIO *io, RedisModuleString *s) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveStringBuffer)(RedisModuleIO *io, const char *str, size_t len) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_LoadString)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API char *(*RedisModule_LoadStringBuffer)(RedisModuleIO *io, size_t *lenptr) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveDouble)(RedisModuleIO *io, double value) REDISMODULE_ATTR;
REDISMODULE_API double (*RedisModule_LoadDouble)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveFloat)(RedisModuleIO *io, float value) REDISMODULE_ATTR;
REDISMODULE_API float (*RedisModule_LoadFloat)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SaveLongDouble)(RedisModuleIO *io, long double value) REDISMODULE_ATTR;
REDISMODULE_API long double (*RedisModule_LoadLongDouble)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_LoadDataTypeFromString)(const RedisModuleString *str, const RedisModuleType *mt) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_LoadDataTypeFromStringEncver)(const RedisModuleString *str, const RedisModuleType *mt, int encver) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_SaveDataTypeToString)(RedisModuleCtx *ctx, void *data, const RedisModuleType *mt) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_LogIOError)(RedisModuleIO *io, const char *levelstr, const char *fmt, ...) REDISMODULE_ATTR_PRINTF(3,4) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCtx *(*RedisModule_GetContextFromIO)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API const RedisModuleString *(*RedisModule_GetKeyNameFromIO)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetDbIdFromIO)(RedisModuleIO *io) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_EmitAOF)(RedisModuleIO *io, const char *cmdname, const char *fmt, ...) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_DigestAddStringBuffer)(RedisModuleDigest *md, const char *ele, size_t len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_DigestAddLongLong)(RedisModuleDigest *md, long long ele) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_DigestEndSequence)(RedisModuleDigest *md) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetDbIdFromDigest)(RedisModuleDigest *dig) REDISMODULE_ATTR;
REDISMODULE_API const RedisModuleString *(*RedisModule_GetKeyNameFromDigest)(RedisModuleDigest *dig) REDISMODULE_ATTR;

/* Key context of the *2 type callbacks. */
REDISMODULE_API int (*RedisModule_GetDbIdFromOptCtx)(RedisModuleKeyOptCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetToDbIdFromOptCtx)(RedisModuleKeyOptCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API const RedisModuleString *(*RedisModule_GetKeyNameFromOptCtx)(RedisModuleKeyOptCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API const RedisModuleString *(*RedisModule_GetToKeyNameFromOptCtx)(RedisModuleKeyOptCtx *ctx) REDISMODULE_ATTR;

/* Active defragmentation. */
REDISMODULE_API int (*RedisModule_RegisterDefragFunc)(RedisModuleCtx *ctx, RedisModuleDefragFunc func) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RegisterDefragCallbacks)(RedisModuleCtx *ctx, RedisModuleDefragFunc start, RedisModuleDefragFunc end) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_DefragAlloc)(RedisModuleDefragCtx *ctx, void *ptr) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_DefragAllocRaw)(RedisModuleDefragCtx *ctx, size_t size) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_DefragFreeRaw)(RedisModuleDefragCtx *ctx, void *ptr) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_DefragRedisModuleString)(RedisModuleDefragCtx *ctx, RedisModuleString *str) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DefragShouldStop)(RedisModuleDefragCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DefragCursorSet)(RedisModuleDefragCtx *ctx, unsigned long cursor) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DefragCursorGet)(RedisModuleDefragCtx *ctx, unsigned long *cursor) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetDbIdFromDefragCtx)(RedisModuleDefragCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API const RedisModuleString *(*RedisModule_GetKeyNameFromDefragCtx)(RedisModuleDefragCtx *ctx) REDISMODULE_ATTR;

/* Whole-dataset RDB load and save. */
REDISMODULE_API RedisModuleRdbStream *(*RedisModule_RdbStreamCreateFromFile)(const char *filename) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_RdbStreamFree)(RedisModuleRdbStream *stream) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RdbLoad)(RedisModuleCtx *ctx, RedisModuleRdbStream *stream, int flags) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RdbSave)(RedisModuleCtx *ctx, RedisModuleRdbStream *stream, int flags) REDISMODULE_ATTR;

/* Blocking clients and thread-safe contexts. */
REDISMODULE_API RedisModuleBlockedClient *(*RedisModule_BlockClient)(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback, RedisModuleCmdFunc timeout_callback, void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleBlockedClient *(*RedisModule_BlockClientOnKeys)(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback, RedisModuleCmdFunc timeout_callback, void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms, RedisModuleString **keys, int numkeys, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleBlockedClient *(*RedisModule_BlockClientOnKeysWithFlags)(RedisModuleCtx *ctx, RedisModuleCmdFunc reply_callback, RedisModuleCmdFunc timeout_callback, void (*free_privdata)(RedisModuleCtx *, void *), long long timeout_ms, RedisModuleString **keys, int numkeys, void *privdata, int flags) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SignalKeyAsReady)(RedisModuleCtx *ctx, RedisModuleString *key) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_GetBlockedClientReadyKey)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_BlockClientGetPrivateData)(RedisModuleBlockedClient *blocked_client) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_BlockClientSetPrivateData)(RedisModuleBlockedClient *blocked_client, void *private_data) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleBlockedClient *(*RedisModule_BlockClientOnAuth)(RedisModuleCtx *ctx, RedisModuleAuthCallback reply_callback, void (*free_privdata)(RedisModuleCtx *, void *)) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_UnblockClient)(RedisModuleBlockedClient *bc, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_IsBlockedReplyRequest)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_IsBlockedTimeoutRequest)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_GetBlockedClientPrivateData)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleBlockedClient *(*RedisModule_GetBlockedClientHandle)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_AbortBlock)(RedisModuleBlockedClient *bc) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_BlockedClientMeasureTimeStart)(RedisModuleBlockedClient *bc) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_BlockedClientMeasureTimeEnd)(RedisModuleBlockedClient *bc) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_BlockedClientDisconnected)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SetDisconnectCallback)(RedisModuleBlockedClient *bc, RedisModuleDisconnectFunc callback) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCtx *(*RedisModule_GetThreadSafeContext)(RedisModuleBlockedClient *bc) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleCtx *(*RedisModule_GetDetachedThreadSafeContext)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeThreadSafeContext)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ThreadSafeContextLock)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ThreadSafeContextTryLock)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ThreadSafeContextUnlock)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_Yield)(RedisModuleCtx *ctx, int flags, const char *busy_reply) REDISMODULE_ATTR;

/* Timers and clocks. */
REDISMODULE_API RedisModuleTimerID (*RedisModule_CreateTimer)(RedisModuleCtx *ctx, mstime_t period, RedisModuleTimerProc callback, void *data) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_StopTimer)(RedisModuleCtx *ctx, RedisModuleTimerID id, void **data) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetTimerInfo)(RedisModuleCtx *ctx, RedisModuleTimerID id, uint64_t *remaining, void **data) REDISMODULE_ATTR;
REDISMODULE_API mstime_t (*RedisModule_Milliseconds)(void) REDISMODULE_ATTR;
REDISMODULE_API uint64_t (*RedisModule_MonotonicMicroseconds)(void) REDISMODULE_ATTR;
REDISMODULE_API ustime_t (*RedisModule_Microseconds)(void) REDISMODULE_ATTR;
REDISMODULE_API ustime_t (*RedisModule_CachedMicroseconds)(void) REDISMODULE_ATTR;

/* Event loop file descriptors. */
REDISMODULE_API int (*RedisModule_EventLoopAdd)(int fd, int mask, RedisModuleEventLoopFunc func, void *user_data) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_EventLoopDel)(int fd, int mask) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_EventLoopAddOneShot)(RedisModuleEventLoopOneShotFunc func, void *user_data) REDISMODULE_ATTR;

/* Server events (RedisModuleEvent is passed by value). */
REDISMODULE_API int (*RedisModule_SubscribeToServerEvent)(RedisModuleCtx *ctx, RedisModuleEvent event, RedisModuleEventCallback callback) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_IsSubEventSupported)(RedisModuleEvent event, uint64_t subevent) REDISMODULE_ATTR;

/* Keyspace notifications. */
REDISMODULE_API int (*RedisModule_SubscribeToKeyspaceEvents)(RedisModuleCtx *ctx, int types, RedisModuleNotificationFunc cb) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_NotifyKeyspaceEvent)(RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetNotifyKeyspaceEvents)(void) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetKeyspaceNotificationFlagsAll)(void) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_AddPostNotificationJob)(RedisModuleCtx *ctx, RedisModulePostNotificationJobFunc callback, void *pd, void (*free_pd)(void *)) REDISMODULE_ATTR;

/* Cluster. */
REDISMODULE_API void (*RedisModule_RegisterClusterMessageReceiver)(RedisModuleCtx *ctx, uint8_t type, RedisModuleClusterMessageReceiver callback) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SendClusterMessage)(RedisModuleCtx *ctx, const char *target_id, uint8_t type, const char *msg, uint32_t len) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetClusterNodeInfo)(RedisModuleCtx *ctx, const char *id, char *ip, char *master_id, int *port, int *flags) REDISMODULE_ATTR;
REDISMODULE_API char **(*RedisModule_GetClusterNodesList)(RedisModuleCtx *ctx, size_t *numnodes) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeClusterNodesList)(char **ids) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_GetMyClusterID)(void) REDISMODULE_ATTR;
REDISMODULE_API size_t (*RedisModule_GetClusterSize)(void) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SetClusterFlags)(RedisModuleCtx *ctx, uint64_t flags) REDISMODULE_ATTR;
REDISMODULE_API unsigned int (*RedisModule_ClusterKeySlot)(RedisModuleString *key) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_ClusterCanonicalKeyNameInSlot)(unsigned int slot) REDISMODULE_ATTR;

/* Users, ACL and authentication. */
REDISMODULE_API RedisModuleUser *(*RedisModule_CreateModuleUser)(const char *name) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeModuleUser)(RedisModuleUser *user) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SetContextUser)(RedisModuleCtx *ctx, const RedisModuleUser *user) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetModuleUserACL)(RedisModuleUser *user, const char *acl) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetModuleUserACLString)(RedisModuleCtx *ctx, RedisModuleUser *user, const char *acl, RedisModuleString **error) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_GetModuleUserACLString)(RedisModuleUser *user) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_GetCurrentUserName)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleUser *(*RedisModule_GetModuleUserFromUserName)(RedisModuleString *name) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ACLCheckCommandPermissions)(RedisModuleUser *user, RedisModuleString **argv, int argc) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ACLCheckKeyPermissions)(RedisModuleUser *user, RedisModuleString *key, int flags) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ACLCheckChannelPermissions)(RedisModuleUser *user, RedisModuleString *ch, int literal) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ACLAddLogEntry)(RedisModuleCtx *ctx, RedisModuleUser *user, RedisModuleString *object, RedisModuleACLLogEntryReason reason) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ACLAddLogEntryByUserName)(RedisModuleCtx *ctx, RedisModuleString *user, RedisModuleString *object, RedisModuleACLLogEntryReason reason) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_AuthenticateClientWithACLUser)(RedisModuleCtx *ctx, const char *name, size_t len, RedisModuleUserChangedFunc callback, void *privdata, uint64_t *client_id) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_AuthenticateClientWithUser)(RedisModuleCtx *ctx, RedisModuleUser *user, RedisModuleUserChangedFunc callback, void *privdata, uint64_t *client_id) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DeauthenticateAndCloseClient)(RedisModuleCtx *ctx, uint64_t client_id) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_RegisterAuthCallback)(RedisModuleCtx *ctx, RedisModuleAuthCallback cb) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RedactClientCommandArgument)(RedisModuleCtx *ctx, int pos) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_GetClientCertificate)(RedisModuleCtx *ctx, uint64_t id) REDISMODULE_ATTR;

/* Module configuration parameters. */
REDISMODULE_API int (*RedisModule_RegisterBoolConfig)(RedisModuleCtx *ctx, const char *name, int default_val, unsigned int flags, RedisModuleConfigGetBoolFunc getfn, RedisModuleConfigSetBoolFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RegisterNumericConfig)(RedisModuleCtx *ctx, const char *name, long long default_val, unsigned int flags, long long min, long long max, RedisModuleConfigGetNumericFunc getfn, RedisModuleConfigSetNumericFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RegisterStringConfig)(RedisModuleCtx *ctx, const char *name, const char *default_val, unsigned int flags, RedisModuleConfigGetStringFunc getfn, RedisModuleConfigSetStringFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_RegisterEnumConfig)(RedisModuleCtx *ctx, const char *name, int default_val, unsigned int flags, const char **enum_values, const int *int_values, int num_enum_vals, RedisModuleConfigGetEnumFunc getfn, RedisModuleConfigSetEnumFunc setfn, RedisModuleConfigApplyFunc applyfn, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_LoadConfigs)(RedisModuleCtx *ctx) REDISMODULE_ATTR;

/* Radix-tree dictionaries. */
REDISMODULE_API RedisModuleDict *(*RedisModule_CreateDict)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeDict)(RedisModuleCtx *ctx, RedisModuleDict *d) REDISMODULE_ATTR;
REDISMODULE_API uint64_t (*RedisModule_DictSize)(RedisModuleDict *d) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictSetC)(RedisModuleDict *d, void *key, size_t keylen, void *ptr) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictReplaceC)(RedisModuleDict *d, void *key, size_t keylen, void *ptr) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictSet)(RedisModuleDict *d, RedisModuleString *key, void *ptr) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictReplace)(RedisModuleDict *d, RedisModuleString *key, void *ptr) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_DictGetC)(RedisModuleDict *d, void *key, size_t keylen, int *nokey) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_DictGet)(RedisModuleDict *d, RedisModuleString *key, int *nokey) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictDelC)(RedisModuleDict *d, void *key, size_t keylen, void *oldval) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictDel)(RedisModuleDict *d, RedisModuleString *key, void *oldval) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleDictIter *(*RedisModule_DictIteratorStartC)(RedisModuleDict *d, const char *op, void *key, size_t keylen) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleDictIter *(*RedisModule_DictIteratorStart)(RedisModuleDict *d, const char *op, RedisModuleString *key) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_DictIteratorStop)(RedisModuleDictIter *di) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictIteratorReseekC)(RedisModuleDictIter *di, const char *op, void *key, size_t keylen) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictIteratorReseek)(RedisModuleDictIter *di, const char *op, RedisModuleString *key) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_DictNextC)(RedisModuleDictIter *di, size_t *keylen, void **dataptr) REDISMODULE_ATTR;
REDISMODULE_API void *(*RedisModule_DictPrevC)(RedisModuleDictIter *di, size_t *keylen, void **dataptr) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_DictNext)(RedisModuleCtx *ctx, RedisModuleDictIter *di, void **dataptr) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_DictPrev)(RedisModuleCtx *ctx, RedisModuleDictIter *di, void **dataptr) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictCompareC)(RedisModuleDictIter *di, const char *op, void *key, size_t keylen) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_DictCompare)(RedisModuleDictIter *di, const char *op, RedisModuleString *key) REDISMODULE_ATTR;

/* INFO: module sections and reading the server's INFO. */
REDISMODULE_API int (*RedisModule_RegisterInfoFunc)(RedisModuleCtx *ctx, RedisModuleInfoFunc cb) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoAddSection)(RedisModuleInfoCtx *ctx, const char *name) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoBeginDictField)(RedisModuleInfoCtx *ctx, const char *name) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoEndDictField)(RedisModuleInfoCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoAddFieldString)(RedisModuleInfoCtx *ctx, const char *field, RedisModuleString *value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoAddFieldCString)(RedisModuleInfoCtx *ctx, const char *field, const char *value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoAddFieldDouble)(RedisModuleInfoCtx *ctx, const char *field, double value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoAddFieldLongLong)(RedisModuleInfoCtx *ctx, const char *field, long long value) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_InfoAddFieldULongLong)(RedisModuleInfoCtx *ctx, const char *field, unsigned long long value) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleServerInfoData *(*RedisModule_GetServerInfo)(RedisModuleCtx *ctx, const char *section) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_FreeServerInfo)(RedisModuleCtx *ctx, RedisModuleServerInfoData *data) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_ServerInfoGetField)(RedisModuleCtx *ctx, RedisModuleServerInfoData *data, const char *field) REDISMODULE_ATTR;
REDISMODULE_API const char *(*RedisModule_ServerInfoGetFieldC)(RedisModuleServerInfoData *data, const char *field) REDISMODULE_ATTR;
REDISMODULE_API long long (*RedisModule_ServerInfoGetFieldSigned)(RedisModuleServerInfoData *data, const char *field, int *out_err) REDISMODULE_ATTR;
REDISMODULE_API unsigned long long (*RedisModule_ServerInfoGetFieldUnsigned)(RedisModuleServerInfoData *data, const char *field, int *out_err) REDISMODULE_ATTR;
REDISMODULE_API double (*RedisModule_ServerInfoGetFieldDouble)(RedisModuleServerInfoData *data, const char *field, int *out_err) REDISMODULE_ATTR;

/* Scanning the keyspace and the elements of a key. */
REDISMODULE_API RedisModuleScanCursor *(*RedisModule_ScanCursorCreate)(void) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ScanCursorRestart)(RedisModuleScanCursor *cursor) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_ScanCursorDestroy)(RedisModuleScanCursor *cursor) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_Scan)(RedisModuleCtx *ctx, RedisModuleScanCursor *cursor, RedisModuleScanCB fn, void *privdata) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ScanKey)(RedisModuleKey *key, RedisModuleScanCursor *cursor, RedisModuleScanKeyCB fn, void *privdata) REDISMODULE_ATTR;

/* Fork. */
REDISMODULE_API int (*RedisModule_Fork)(RedisModuleForkDoneHandler cb, void *user_data) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_SendChildHeartbeat)(double progress) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_ExitFromChild)(int retcode) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_KillForkChild)(int child_pid) REDISMODULE_ATTR;

/* Clients and execution context. GetClientInfoById's ci points to a
 * RedisModuleClientInfo whose version the caller sets. */
REDISMODULE_API unsigned long long (*RedisModule_GetClientId)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_GetClientUserNameById)(RedisModuleCtx *ctx, uint64_t id) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetClientInfoById)(void *ci, uint64_t id) REDISMODULE_ATTR;
REDISMODULE_API RedisModuleString *(*RedisModule_GetClientNameById)(RedisModuleCtx *ctx, uint64_t id) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_SetClientNameById)(uint64_t id, RedisModuleString *name) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetContextFlags)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_GetContextFlagsAll)(void) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_AvoidReplicaTraffic)(void) REDISMODULE_ATTR;

/* Pub/Sub. */
REDISMODULE_API int (*RedisModule_PublishMessage)(RedisModuleCtx *ctx, RedisModuleString *channel, RedisModuleString *message) REDISMODULE_ATTR;
REDISMODULE_API int (*RedisModule_PublishMessageShard)(RedisModuleCtx *ctx, RedisModuleString *channel, RedisModuleString *message) REDISMODULE_ATTR;

/* Logging, assertions, latency samples, randomness. */
REDISMODULE_API void (*RedisModule_Log)(RedisModuleCtx *ctx, const char *level, const char *fmt, ...) REDISMODULE_ATTR_PRINTF(3,4) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule__Assert)(const char *estr, const char *file, int line) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_LatencyAddSample)(const char *event, mstime_t latency) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_GetRandomBytes)(unsigned char *dst, size_t len) REDISMODULE_ATTR;
REDISMODULE_API void (*RedisModule_GetRandomHexChars)(char *dst, size_t len) REDISMODULE_ATTR;

/* ------------------------------------------------------------------------ */
/* RedisModule_Init                                                          */
/* ------------------------------------------------------------------------ */

/* Fetch one entry point by its full exported name. Leaves the pointer
 * untouched (NULL) when the server does not know the name. */
#define REDISMODULE_GET_API(name) \
    RedisModule_GetApi("RedisModule_" #name, ((void **)&RedisModule_##name))

/* Every entry point RedisModule_Init() asks the server for, in the order it
 * asks (GetApi itself comes from the context, not from this list). */
#define REDISMODULE__FOR_EACH_API(X) \
    X(Alloc) X(TryAlloc) X(Calloc) X(TryCalloc) X(Free) X(Realloc) \
    X(TryRealloc) X(Strdup) X(CreateCommand) X(GetCommand) \
    X(CreateSubcommand) X(SetCommandInfo) X(SetCommandACLCategories) \
    X(AddACLCategory) X(SetModuleAttribs) X(IsModuleNameBusy) X(WrongArity) \
    X(ReplyWithLongLong) X(ReplyWithError) X(ReplyWithErrorFormat) \
    X(ReplyWithSimpleString) X(ReplyWithArray) X(ReplyWithMap) \
    X(ReplyWithSet) X(ReplyWithAttribute) X(ReplyWithNullArray) \
    X(ReplyWithEmptyArray) X(ReplySetArrayLength) X(ReplySetMapLength) \
    X(ReplySetSetLength) X(ReplySetAttributeLength) X(ReplySetPushLength) \
    X(ReplyWithStringBuffer) X(ReplyWithCString) X(ReplyWithString) \
    X(ReplyWithEmptyString) X(ReplyWithVerbatimString) \
    X(ReplyWithVerbatimStringType) X(ReplyWithNull) X(ReplyWithBool) \
    X(ReplyWithCallReply) X(ReplyWithDouble) X(ReplyWithBigNumber) \
    X(ReplyWithLongDouble) X(GetSelectedDb) X(SelectDb) X(KeyExists) \
    X(OpenKey) X(GetOpenKeyModesAll) X(CloseKey) X(KeyType) X(ValueLength) \
    X(ListPush) X(ListPop) X(ListGet) X(ListSet) X(ListInsert) X(ListDelete) \
    X(StringToLongLong) X(StringToULongLong) X(StringToDouble) \
    X(StringToLongDouble) X(StringToStreamID) X(Call) X(CallReplyProto) \
    X(FreeCallReply) X(CallReplyInteger) X(CallReplyDouble) X(CallReplyBool) \
    X(CallReplyBigNumber) X(CallReplyVerbatim) X(CallReplySetElement) \
    X(CallReplyMapElement) X(CallReplyAttributeElement) \
    X(CallReplyPromiseSetUnblockHandler) X(CallReplyPromiseAbort) \
    X(CallReplyAttribute) X(CallReplyType) X(CallReplyLength) \
    X(CallReplyArrayElement) X(CallReplyStringPtr) \
    X(CreateStringFromCallReply) X(CreateString) X(CreateStringFromLongLong) \
    X(CreateStringFromULongLong) X(CreateStringFromDouble) \
    X(CreateStringFromLongDouble) X(CreateStringFromString) \
    X(CreateStringFromStreamID) X(CreateStringPrintf) X(FreeString) \
    X(StringPtrLen) X(AutoMemory) X(Replicate) X(ReplicateVerbatim) \
    X(DeleteKey) X(UnlinkKey) X(StringSet) X(StringDMA) X(StringTruncate) \
    X(GetExpire) X(SetExpire) X(GetAbsExpire) X(SetAbsExpire) \
    X(ResetDataset) X(DbSize) X(RandomKey) X(ZsetAdd) X(ZsetIncrby) \
    X(ZsetScore) X(ZsetRem) X(ZsetRangeStop) X(ZsetFirstInScoreRange) \
    X(ZsetLastInScoreRange) X(ZsetFirstInLexRange) X(ZsetLastInLexRange) \
    X(ZsetRangeCurrentElement) X(ZsetRangeNext) X(ZsetRangePrev) \
    X(ZsetRangeEndReached) X(HashSet) X(HashGet) X(StreamAdd) \
    X(StreamDelete) X(StreamIteratorStart) X(StreamIteratorStop) \
    X(StreamIteratorNextID) X(StreamIteratorNextField) \
    X(StreamIteratorDelete) X(StreamTrimByLength) X(StreamTrimByID) \
    X(IsKeysPositionRequest) X(KeyAtPos) X(KeyAtPosWithFlags) \
    X(IsChannelsPositionRequest) X(ChannelAtPosWithFlags) X(GetClientId) \
    X(GetClientUserNameById) X(GetContextFlags) X(AvoidReplicaTraffic) \
    X(PoolAlloc) X(CreateDataType) X(ModuleTypeSetValue) \
    X(ModuleTypeReplaceValue) X(ModuleTypeGetType) X(ModuleTypeGetValue) \
    X(IsIOError) X(SetModuleOptions) X(SignalModifiedKey) X(SaveUnsigned) \
    X(LoadUnsigned) X(SaveSigned) X(LoadSigned) X(SaveString) \
    X(SaveStringBuffer) X(LoadString) X(LoadStringBuffer) X(SaveDouble) \
    X(LoadDouble) X(SaveFloat) X(LoadFloat) X(SaveLongDouble) \
    X(LoadLongDouble) X(SaveDataTypeToString) X(LoadDataTypeFromString) \
    X(LoadDataTypeFromStringEncver) X(EmitAOF) X(Log) X(LogIOError) \
    X(_Assert) X(LatencyAddSample) X(StringAppendBuffer) \
    X(TrimStringAllocation) X(RetainString) X(HoldString) X(StringCompare) \
    X(GetContextFromIO) X(GetKeyNameFromIO) X(GetKeyNameFromModuleKey) \
    X(GetDbIdFromModuleKey) X(GetDbIdFromIO) X(GetKeyNameFromOptCtx) \
    X(GetToKeyNameFromOptCtx) X(GetDbIdFromOptCtx) X(GetToDbIdFromOptCtx) \
    X(Milliseconds) X(MonotonicMicroseconds) X(Microseconds) \
    X(CachedMicroseconds) X(DigestAddStringBuffer) X(DigestAddLongLong) \
    X(DigestEndSequence) X(GetKeyNameFromDigest) X(GetDbIdFromDigest) \
    X(CreateDict) X(FreeDict) X(DictSize) X(DictSetC) X(DictReplaceC) \
    X(DictSet) X(DictReplace) X(DictGetC) X(DictGet) X(DictDelC) X(DictDel) \
    X(DictIteratorStartC) X(DictIteratorStart) X(DictIteratorStop) \
    X(DictIteratorReseekC) X(DictIteratorReseek) X(DictNextC) X(DictPrevC) \
    X(DictNext) X(DictPrev) X(DictCompare) X(DictCompareC) \
    X(RegisterInfoFunc) X(RegisterAuthCallback) X(InfoAddSection) \
    X(InfoBeginDictField) X(InfoEndDictField) X(InfoAddFieldString) \
    X(InfoAddFieldCString) X(InfoAddFieldDouble) X(InfoAddFieldLongLong) \
    X(InfoAddFieldULongLong) X(GetServerInfo) X(FreeServerInfo) \
    X(ServerInfoGetField) X(ServerInfoGetFieldC) X(ServerInfoGetFieldSigned) \
    X(ServerInfoGetFieldUnsigned) X(ServerInfoGetFieldDouble) \
    X(GetClientInfoById) X(GetClientNameById) X(SetClientNameById) \
    X(PublishMessage) X(PublishMessageShard) X(SubscribeToServerEvent) \
    X(SetLRU) X(GetLRU) X(SetLFU) X(GetLFU) X(BlockClientOnKeys) \
    X(BlockClientOnKeysWithFlags) X(SignalKeyAsReady) \
    X(GetBlockedClientReadyKey) X(ScanCursorCreate) X(ScanCursorRestart) \
    X(ScanCursorDestroy) X(Scan) X(ScanKey) X(GetContextFlagsAll) \
    X(GetModuleOptionsAll) X(GetKeyspaceNotificationFlagsAll) \
    X(IsSubEventSupported) X(GetServerVersion) X(GetTypeMethodVersion) \
    X(Yield) X(GetThreadSafeContext) X(GetDetachedThreadSafeContext) \
    X(FreeThreadSafeContext) X(ThreadSafeContextLock) \
    X(ThreadSafeContextTryLock) X(ThreadSafeContextUnlock) X(BlockClient) \
    X(BlockClientGetPrivateData) X(BlockClientSetPrivateData) \
    X(BlockClientOnAuth) X(UnblockClient) X(IsBlockedReplyRequest) \
    X(IsBlockedTimeoutRequest) X(GetBlockedClientPrivateData) \
    X(GetBlockedClientHandle) X(AbortBlock) X(BlockedClientMeasureTimeStart) \
    X(BlockedClientMeasureTimeEnd) X(SetDisconnectCallback) \
    X(SubscribeToKeyspaceEvents) X(AddPostNotificationJob) \
    X(NotifyKeyspaceEvent) X(GetNotifyKeyspaceEvents) \
    X(BlockedClientDisconnected) X(RegisterClusterMessageReceiver) \
    X(SendClusterMessage) X(GetClusterNodeInfo) X(GetClusterNodesList) \
    X(FreeClusterNodesList) X(CreateTimer) X(StopTimer) X(GetTimerInfo) \
    X(GetMyClusterID) X(GetClusterSize) X(GetRandomBytes) \
    X(GetRandomHexChars) X(SetClusterFlags) X(ClusterKeySlot) \
    X(ClusterCanonicalKeyNameInSlot) X(ExportSharedAPI) X(GetSharedAPI) \
    X(RegisterCommandFilter) X(UnregisterCommandFilter) \
    X(CommandFilterArgsCount) X(CommandFilterArgGet) \
    X(CommandFilterArgInsert) X(CommandFilterArgReplace) \
    X(CommandFilterArgDelete) X(CommandFilterGetClientId) X(Fork) \
    X(SendChildHeartbeat) X(ExitFromChild) X(KillForkChild) \
    X(GetUsedMemoryRatio) X(MallocSize) X(MallocUsableSize) \
    X(MallocSizeString) X(MallocSizeDict) X(CreateModuleUser) \
    X(FreeModuleUser) X(SetContextUser) X(SetModuleUserACL) \
    X(SetModuleUserACLString) X(GetModuleUserACLString) \
    X(GetCurrentUserName) X(GetModuleUserFromUserName) \
    X(ACLCheckCommandPermissions) X(ACLCheckKeyPermissions) \
    X(ACLCheckChannelPermissions) X(ACLAddLogEntry) \
    X(ACLAddLogEntryByUserName) X(DeauthenticateAndCloseClient) \
    X(AuthenticateClientWithACLUser) X(AuthenticateClientWithUser) \
    X(RedactClientCommandArgument) X(GetClientCertificate) X(GetCommandKeys) \
    X(GetCommandKeysWithFlags) X(GetCurrentCommandName) \
    X(RegisterDefragFunc) X(RegisterDefragCallbacks) X(DefragAlloc) \
    X(DefragAllocRaw) X(DefragFreeRaw) X(DefragRedisModuleString) \
    X(DefragShouldStop) X(DefragCursorSet) X(DefragCursorGet) \
    X(GetKeyNameFromDefragCtx) X(GetDbIdFromDefragCtx) X(EventLoopAdd) \
    X(EventLoopDel) X(EventLoopAddOneShot) X(RegisterBoolConfig) \
    X(RegisterNumericConfig) X(RegisterStringConfig) X(RegisterEnumConfig) \
    X(LoadConfigs) X(RdbStreamCreateFromFile) X(RdbStreamFree) X(RdbLoad) \
    X(RdbSave)

/* Uses # and ## directly so that module macros named like an entry point
 * (e.g. `Free`) cannot change the requested names. */
#define REDISMODULE__INIT_FETCH(name) \
    (void)RedisModule_GetApi("RedisModule_" #name, ((void **)&RedisModule_##name));

/* Called first thing from RedisModule_OnLoad(). Returns REDISMODULE_ERR only
 * when the server says the module name is already taken. */
static REDISMODULE__INLINE int RedisModule_Init(RedisModuleCtx *ctx, const char *name,
                                                int ver, int apiver) REDISMODULE_ATTR_UNUSED;
static REDISMODULE__INLINE int RedisModule_Init(RedisModuleCtx *ctx, const char *name,
                                                int ver, int apiver) {
    /* The server keeps its GetApi entry point in the first word of ctx. The
     * detour through uintptr_t keeps -pedantic quiet about converting a data
     * pointer into a function pointer. */
    void *getapi = ((void **)ctx)[0];
    RedisModule_GetApi = (int (*)(const char *, void *))(uintptr_t)getapi;

    REDISMODULE__FOR_EACH_API(REDISMODULE__INIT_FETCH)

    /* Servers without IsModuleNameBusy cannot refuse a name. */
    if (RedisModule_IsModuleNameBusy && RedisModule_IsModuleNameBusy(name))
        return REDISMODULE_ERR;
    RedisModule_SetModuleAttribs(ctx, name, ver, apiver);
    return REDISMODULE_OK;
}

/* Like assert(), but reports through the server (which logs and crashes);
 * exit(1) only keeps compilers aware that this does not return. */
#define RedisModule_Assert(_e) \
    ((_e) ? (void)0 : (RedisModule__Assert(#_e, __FILE__, __LINE__), exit(1)))

#endif /* API entry points */

#ifdef __cplusplus
}
#endif

#endif /* REDISMODULE_H */
