#!/bin/sh
# Compiles abi_layout_check.c against native/include/redismodule.h and diffs
# its output with abi-struct-layouts.expected (x86-64 Redis module ABI
# numbers). Exits non-zero on any compile error or layout difference.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$CC" -std=c11 -Wall -Wextra -Werror -I"$here/../include" \
    -o "$tmp/abi_layout_check" "$here/abi_layout_check.c"
"$tmp/abi_layout_check" > "$tmp/actual.txt"

if diff -u "$here/abi-struct-layouts.expected" "$tmp/actual.txt"; then
    echo "ABI layout check: OK"
else
    echo "ABI layout check: FAILED (see diff above)" >&2
    exit 1
fi
