#!/bin/sh
# SPDX-License-Identifier: MIT
# The application boundary's link check (Makefile, docs/api.md).
#
#   api-symbols.sh list CFLAGS...       print every symbol the public headers
#                                       declare (api/, libc/include/), one a line
#   api-symbols.sh check LIST OBJ...    fail, naming the file and the symbol,
#                                       if an application object uses a symbol
#                                       that is neither in LIST nor defined by
#                                       the application's own objects
#
# Functions come from GCC's -aux-info (every prototype the headers declare,
# with the header it is in), variables from their `extern` declarations, and
# assembler names from __asm__("...") labels. Kernel functions that the
# headers do not declare stay out of reach even if an application declares
# them itself.
set -eu

case ${1:-} in
list)
    shift
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    {
        echo '#include <mote.h>'
        for h in libc/include/*.h; do echo "#include <${h#libc/include/}>"; done
        # API_EXTRA: more public headers (a network app's <mote/net.h> and
        # lwIP's), from the directories in API_EXTRA_DIRS.
        for h in ${API_EXTRA:-}; do echo "#include <$h>"; done
    } > "$tmp/all.c"
    ${CC:-cc} "$@" -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c"
    {
        # /* api/mote/thread.h:27:NC */ extern struct thread *thread_create (const char *, ...);
        dirs='api|libc/include'
        for d in ${API_EXTRA_DIRS:-}; do dirs="$dirs|$(printf '%s' "$d" | sed 's/[.]/[.]/g')"; done
        grep -E "^/\* ($dirs)/" "$tmp/aux" | grep -v ' static ' \
            | sed -E 's|^/\*[^*]*\*/ ||; s/\(.*//; s/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*) *$/\1/'
        cat api/*.h api/mote/*.h libc/include/*.h | tr -d '\n' | grep -oE '__asm__\("[A-Za-z0-9_]+"\)' \
            | sed -E 's/__asm__\("(.*)"\)/\1/'
        # extern T *const a, *const b;   (variables: no parenthesis)
        cat api/*.h api/mote/*.h libc/include/*.h | grep -E '^extern [^(]*;' \
            | sed -E 's/^extern //; s/;.*//' | tr ',' '\n' | grep -oE '[A-Za-z_][A-Za-z0-9_]*$'
        # Called by the compiler, not the application's code: the stack
        # overflow check in every function's prologue (-fsplit-stack,
        # arch/x86_64/stack_check.S).
        echo __morestack
    } | sort -u
    ;;
check)
    list=$2
    shift 2
    own=$(${NM:-nm} --defined-only -g "$@" 2>/dev/null | awk 'NF == 3 { print $3 }')
    status=0
    for obj in "$@"; do
        src=${obj#build/}
        src=${src%.o}
        for sym in $(${NM:-nm} -u "$obj" | awk '{ print $2 }'); do
            grep -qx "$sym" "$list" && continue
            printf '%s\n' "$own" | grep -qx "$sym" && continue
            echo "error: $src uses '$sym', which is not part of mote's public API" >&2
            echo "       (declared in <mote.h> or the C library headers; see docs/api.md)" >&2
            status=1
        done
    done
    exit $status
    ;;
*)
    echo "usage: $0 list CFLAGS... | check LIST OBJ..." >&2
    exit 2
    ;;
esac
