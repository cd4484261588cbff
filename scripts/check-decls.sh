#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One contract per function (make check, make test): no function is
# declared (or defined inline) in two of the tree's headers, where two
# comments would drift apart. Prints each name declared twice with both
# places, and fails if there is one.
#
# What it reads: every line of a header that starts at column 0 with a
# type and has a '(' (a prototype or an inline definition; typedefs,
# struct members and macros are not), the name being the identifier before
# the first '(' once __attribute__((...)) is taken off. Not counted:
#   - the `#else` side of `#ifdef MOTE_KERNEL`: an application's out-of-line
#     face of a kernel inline (api/mote/thread.h's local_irq_save beside
#     include/xen_shared.h's); a build sees one of the two, and kernel/api.c
#     checks that they agree;
#   - tests/.
# Usage: scripts/check-decls.sh [HEADER...]   (default: git ls-files '*.h')
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2

if [ $# -gt 0 ]; then
    headers=("$@")
else
    mapfile -t headers < <(git ls-files '*.h' | grep -v -e '^tests/')
fi

declarations() {  # declarations HEADER: "name header:line" per declaration
    awk -v f="$1" '
    # Depth of #if nesting, and the depth at which an #ifdef MOTE_KERNEL
    # went into its #else (0: not in one).
    /^[ \t]*#[ \t]*if/ { depth++; kernel_if[depth] = ($0 ~ /^[ \t]*#[ \t]*ifdef[ \t]+MOTE_KERNEL/) ; next }
    /^[ \t]*#[ \t]*else/ { if (kernel_if[depth]) app_side = depth; next }
    /^[ \t]*#[ \t]*endif/ { if (app_side == depth) app_side = 0; depth--; next }
    app_side { next }
    /^[A-Za-z_]/ && /\(/ && !/^(typedef|#)/ {
        line = $0
        while (sub(/__attribute__ *\(\([^()]*(\([^()]*\)[^()]*)*\)\) */, "", line)) ;
        sub(/\(.*/, "", line)
        n = split(line, w, /[ *]+/)
        if (n > 1 && w[n] ~ /^[A-Za-z_][A-Za-z0-9_]*$/) print w[n], f ":" NR
    }' "$1"
}

for h in "${headers[@]}"; do declarations "$h"; done | sort -k1,1 -k2,2 |
awk '
    # A name counts once per header (its #if alternatives inside one file
    # are one contract).
    { split($2, p, ":"); if (seen[$1, p[1]]++) next; where[$1] = where[$1] " " $2; count[$1]++ }
    END {
        bad = 0
        for (name in count)
            if (count[name] > 1) { print "declared in " count[name] " headers: " name ":" where[name]; bad = 1 }
        if (bad) exit 1
        print "every function is declared in one header"
    }'
