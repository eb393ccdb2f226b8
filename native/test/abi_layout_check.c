/*
 * Prints the size, alignment and field offsets of every struct a module
 * shares with the server by memory, as laid out by our redismodule.h.
 * check-abi-layout.sh diffs this against abi-struct-layouts.expected, the
 * x86-64 numbers of the Redis module ABI, so a layout slip fails the build.
 */
#include <stddef.h>
#include <stdio.h>

#define REDISMODULE_TYPES_ONLY
#include "redismodule.h"

#define MEMBER_SIZE(T, m) sizeof(((T *)0)->m)

#define STRUCT(T) \
    printf("\n%s: sizeof=%zu align=%zu\n", #T, sizeof(T), (size_t)_Alignof(T))

#define FIELD(T, m) \
    printf("  %-28s off=%3zu size=%zu\n", #m, (size_t)offsetof(T, m), MEMBER_SIZE(T, m))

int main(void) {
    STRUCT(RedisModuleTypeMethods);
    FIELD(RedisModuleTypeMethods, version);
    FIELD(RedisModuleTypeMethods, rdb_load);
    FIELD(RedisModuleTypeMethods, rdb_save);
    FIELD(RedisModuleTypeMethods, aof_rewrite);
    FIELD(RedisModuleTypeMethods, mem_usage);
    FIELD(RedisModuleTypeMethods, digest);
    FIELD(RedisModuleTypeMethods, free);
    FIELD(RedisModuleTypeMethods, aux_load);
    FIELD(RedisModuleTypeMethods, aux_save);
    FIELD(RedisModuleTypeMethods, aux_save_triggers);
    FIELD(RedisModuleTypeMethods, free_effort);
    FIELD(RedisModuleTypeMethods, unlink);
    FIELD(RedisModuleTypeMethods, copy);
    FIELD(RedisModuleTypeMethods, defrag);
    FIELD(RedisModuleTypeMethods, mem_usage2);
    FIELD(RedisModuleTypeMethods, free_effort2);
    FIELD(RedisModuleTypeMethods, unlink2);
    FIELD(RedisModuleTypeMethods, copy2);
    FIELD(RedisModuleTypeMethods, aux_save2);

    STRUCT(RedisModuleCommandInfoVersion);
    FIELD(RedisModuleCommandInfoVersion, version);
    FIELD(RedisModuleCommandInfoVersion, sizeof_historyentry);
    FIELD(RedisModuleCommandInfoVersion, sizeof_keyspec);
    FIELD(RedisModuleCommandInfoVersion, sizeof_arg);

    STRUCT(RedisModuleCommandInfo);
    FIELD(RedisModuleCommandInfo, version);
    FIELD(RedisModuleCommandInfo, summary);
    FIELD(RedisModuleCommandInfo, complexity);
    FIELD(RedisModuleCommandInfo, since);
    FIELD(RedisModuleCommandInfo, history);
    FIELD(RedisModuleCommandInfo, tips);
    FIELD(RedisModuleCommandInfo, arity);
    FIELD(RedisModuleCommandInfo, key_specs);
    FIELD(RedisModuleCommandInfo, args);

    STRUCT(RedisModuleCommandHistoryEntry);
    FIELD(RedisModuleCommandHistoryEntry, since);
    FIELD(RedisModuleCommandHistoryEntry, changes);

    STRUCT(RedisModuleCommandKeySpec);
    FIELD(RedisModuleCommandKeySpec, notes);
    FIELD(RedisModuleCommandKeySpec, flags);
    FIELD(RedisModuleCommandKeySpec, begin_search_type);
    FIELD(RedisModuleCommandKeySpec, bs.index.pos);
    FIELD(RedisModuleCommandKeySpec, bs.keyword.keyword);
    FIELD(RedisModuleCommandKeySpec, bs.keyword.startfrom);
    FIELD(RedisModuleCommandKeySpec, find_keys_type);
    FIELD(RedisModuleCommandKeySpec, fk.range.lastkey);
    FIELD(RedisModuleCommandKeySpec, fk.range.keystep);
    FIELD(RedisModuleCommandKeySpec, fk.range.limit);
    FIELD(RedisModuleCommandKeySpec, fk.keynum.keynumidx);
    FIELD(RedisModuleCommandKeySpec, fk.keynum.firstkey);
    FIELD(RedisModuleCommandKeySpec, fk.keynum.keystep);

    STRUCT(RedisModuleCommandArg);
    FIELD(RedisModuleCommandArg, name);
    FIELD(RedisModuleCommandArg, type);
    FIELD(RedisModuleCommandArg, key_spec_index);
    FIELD(RedisModuleCommandArg, token);
    FIELD(RedisModuleCommandArg, summary);
    FIELD(RedisModuleCommandArg, since);
    FIELD(RedisModuleCommandArg, flags);
    FIELD(RedisModuleCommandArg, deprecated_since);
    FIELD(RedisModuleCommandArg, subargs);
    FIELD(RedisModuleCommandArg, display_text);

    STRUCT(RedisModuleEvent);
    FIELD(RedisModuleEvent, id);
    FIELD(RedisModuleEvent, dataver);

    STRUCT(RedisModuleStreamID);
    FIELD(RedisModuleStreamID, ms);
    FIELD(RedisModuleStreamID, seq);

    STRUCT(RedisModuleClientInfoV1);
    FIELD(RedisModuleClientInfoV1, version);
    FIELD(RedisModuleClientInfoV1, flags);
    FIELD(RedisModuleClientInfoV1, id);
    FIELD(RedisModuleClientInfoV1, addr);
    FIELD(RedisModuleClientInfoV1, port);
    FIELD(RedisModuleClientInfoV1, db);

    STRUCT(RedisModuleReplicationInfoV1);
    FIELD(RedisModuleReplicationInfoV1, version);
    FIELD(RedisModuleReplicationInfoV1, master);
    FIELD(RedisModuleReplicationInfoV1, masterhost);
    FIELD(RedisModuleReplicationInfoV1, masterport);
    FIELD(RedisModuleReplicationInfoV1, replid1);
    FIELD(RedisModuleReplicationInfoV1, replid2);
    FIELD(RedisModuleReplicationInfoV1, repl1_offset);
    FIELD(RedisModuleReplicationInfoV1, repl2_offset);

    STRUCT(RedisModuleFlushInfoV1);
    FIELD(RedisModuleFlushInfoV1, version);
    FIELD(RedisModuleFlushInfoV1, sync);
    FIELD(RedisModuleFlushInfoV1, dbnum);

    STRUCT(RedisModuleModuleChangeV1);
    FIELD(RedisModuleModuleChangeV1, version);
    FIELD(RedisModuleModuleChangeV1, module_name);
    FIELD(RedisModuleModuleChangeV1, module_version);

    STRUCT(RedisModuleConfigChangeV1);
    FIELD(RedisModuleConfigChangeV1, version);
    FIELD(RedisModuleConfigChangeV1, num_changes);
    FIELD(RedisModuleConfigChangeV1, config_names);

    STRUCT(RedisModuleCronLoopV1);
    FIELD(RedisModuleCronLoopV1, version);
    FIELD(RedisModuleCronLoopV1, hz);

    STRUCT(RedisModuleLoadingProgressV1);
    FIELD(RedisModuleLoadingProgressV1, version);
    FIELD(RedisModuleLoadingProgressV1, hz);
    FIELD(RedisModuleLoadingProgressV1, progress);

    STRUCT(RedisModuleSwapDbInfoV1);
    FIELD(RedisModuleSwapDbInfoV1, version);
    FIELD(RedisModuleSwapDbInfoV1, dbnum_first);
    FIELD(RedisModuleSwapDbInfoV1, dbnum_second);

    STRUCT(RedisModuleKeyInfoV1);
    FIELD(RedisModuleKeyInfoV1, version);
    FIELD(RedisModuleKeyInfoV1, key);

    /* Scalars whose width the server side must match. */
    printf("\nsizeof(long double)=%zu align=%zu  sizeof(RedisModuleTimerID)=%zu "
           "sizeof(mstime_t)=%zu sizeof(enum RedisModuleCommandArgType)=%zu\n",
           sizeof(long double), (size_t)_Alignof(long double),
           sizeof(RedisModuleTimerID), sizeof(mstime_t),
           sizeof(enum RedisModuleCommandArgType));
    return 0;
}
