#!/bin/sh
# Consistency and behaviour checks of native/include/redismodule.h:
#   1. the pointer variables declared, the names RedisModule_Init fetches and
#      native/include/api-names.txt all agree (362 pointers = 361 fetched
#      names + GetApi, which comes from the context);
#   2. the header is clean under -Wall -Wextra -pedantic as C99, C11 and C++,
#      with and without REDISMODULE_MAIN, and in REDISMODULE_TYPES_ONLY mode;
#   3. RedisModule_Init behaves as the ABI requires (init_check.c, C and C++)
#      and asks for exactly the names in api-names.txt, in that order;
#   4. a module made of several translation units links (-fno-common) in the
#      declaration styles modules use.
# Exits non-zero on the first failure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
inc="$here/../include"
hdr="$inc/redismodule.h"
names="$inc/api-names.txt"
CC=${CC:-gcc}
CXX=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "check-api: FAILED: $*" >&2; exit 1; }

# 1. Name lists --------------------------------------------------------------
grep -o '(\*RedisModule_[A-Za-z0-9_]*)' "$hdr" | sed 's/(\*RedisModule_\(.*\))/\1/' \
    | sort > "$tmp/declared"
[ "$(wc -l < "$tmp/declared")" -eq 362 ] || fail "expected 362 pointer declarations, got $(wc -l < "$tmp/declared")"
[ -z "$(uniq -d "$tmp/declared")" ] || fail "duplicate declarations: $(uniq -d "$tmp/declared")"

printf '#include "redismodule.h"\n#define N_(n) n\nAPI_NAMES: REDISMODULE__FOR_EACH_API(N_)\n' \
    | "$CC" -E -P -I"$inc" -x c - | sed -n 's/^API_NAMES: //p' | tr -s ' ' '\n' \
    | sed '/^$/d' > "$tmp/fetched"
[ -z "$(sort "$tmp/fetched" | uniq -d)" ] || fail "Init fetches a name twice"
{ sort "$tmp/fetched"; echo GetApi; } | sort > "$tmp/fetched+getapi"
diff -u "$tmp/declared" "$tmp/fetched+getapi" || fail "declared pointers != names fetched by Init + GetApi"
diff -u "$names" "$tmp/fetched" || fail "api-names.txt is out of date (regenerate from the header)"
echo "check-api: names OK ($(wc -l < "$tmp/declared") pointers, $(wc -l < "$names") fetched by name)"

# 2. Strict compiles ----------------------------------------------------------
cat > "$tmp/use.c" <<'EOF'
#include "redismodule.h"
#ifndef REDISMODULE_TYPES_ONLY
int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc);
int RedisModule_OnLoad(RedisModuleCtx *ctx, RedisModuleString **argv, int argc) {
    RedisModuleClientInfo ci = REDISMODULE_CLIENTINFO_INITIALIZER_V1;
    REDISMODULE_NOT_USED(argv);
    REDISMODULE_NOT_USED(argc);
    REDISMODULE_NOT_USED(ci);
    if (RedisModule_Init(ctx, "use", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR)
        return REDISMODULE_ERR;
    RedisModule_Assert(RedisModule_Alloc != NULL);
    return REDISMODULE_OK;
}
#endif
EOF
W="-Wall -Wextra -pedantic -Werror"
for defs in "" "-DREDISMODULE_MAIN" "-DREDISMODULE_TYPES_ONLY"; do
    for std in c99 c11; do
        "$CC" -fsyntax-only $W -std=$std $defs -I"$inc" "$tmp/use.c" \
            || fail "C $std $defs"
    done
    for std in c++11 c++17; do
        "$CXX" -fsyntax-only $W -std=$std $defs -I"$inc" -x c++ "$tmp/use.c" \
            || fail "C++ $std $defs"
    done
done
echo "check-api: strict C99/C11/C++ compiles OK"

# 3. Init behaviour -----------------------------------------------------------
"$CC" -std=c99 $W -I"$inc" -o "$tmp/init_c" "$here/init_check.c"
"$tmp/init_c" > "$tmp/requested_c" || fail "init_check (C)"
diff -u "$names" "$tmp/requested_c" || fail "Init (C) requested names differ from api-names.txt"
"$CXX" -std=c++11 $W -I"$inc" -x c++ -o "$tmp/init_cxx" "$here/init_check.c"
"$tmp/init_cxx" > "$tmp/requested_cxx" || fail "init_check (C++)"
diff -u "$names" "$tmp/requested_cxx" || fail "Init (C++) requested names differ from api-names.txt"
echo "check-api: RedisModule_Init behaviour OK (C and C++)"

# 4. Multi-file modules -------------------------------------------------------
link() { # $1 = compiler, rest = flags
    c=$1; shift
    "$c" -fPIC -shared -fno-common -Wall -Werror -Wl,--no-undefined -I"$inc" "$@" \
        -o "$tmp/multi.so" "$tmp/a.src" "$tmp/b.src" \
        || fail "multi-TU link: $c $*"
    nm -D --defined-only "$tmp/multi.so" | grep -q ' RedisModule_OnLoad$' \
        || fail "RedisModule_OnLoad not exported ($c $*)"
}
cp "$here/multi_tu_a.c" "$tmp/a.src"
cp "$here/multi_tu_b.c" "$tmp/b.src"
link "$CC" -x c
link "$CC" -x c -DUSE_MAIN
link "$CC" -x c -DUSE_MAIN -DB_EXTERN
link "$CXX" -x c++
link "$CXX" -x c++ -DUSE_MAIN -DB_EXTERN
echo "check-api: multi-file module links OK"
echo "check-api: OK"
