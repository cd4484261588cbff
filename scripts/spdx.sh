#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file carries an SPDX license line (LICENSE: MIT) near its top.
#
#   scripts/spdx.sh --check   list the tracked source files without one; exit 1 if any
#   scripts/spdx.sh --add     add the line to those files (C, assembly, shell,
#                             linker script, Makefile), after a #! line if present
set -euo pipefail
cd "$(dirname "$0")/.."

TAG='SPDX-License-Identifier: MIT'

sources() {
    git ls-files | grep -E '\.(c|h|S|sh|ld)$|(^|/)Makefile$|^scripts/[^.]+$|^tests/boot/[^.]+$|^\.ci/run$' |
        while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done
}

missing() {
    sources | while IFS= read -r f; do
        head -n 3 "$f" | grep -q "$TAG" || echo "$f"
    done
}

case ${1:-} in
    --check)
        m=$(missing)
        if [ -n "$m" ]; then
            echo "files without an SPDX line ($TAG):"
            echo "$m"
            exit 1
        fi
        echo "spdx: every source file has its license line" ;;
    --add)
        missing | while IFS= read -r f; do
            case $f in
                *.c|*.h|*.S|*.ld) line="/* $TAG */" ;;
                *) line="# $TAG" ;;
            esac
            if head -n 1 "$f" | grep -q '^#!'; then
                sed -i "1a $line" "$f"
            else
                sed -i "1i $line" "$f"
            fi
        done ;;
    *) echo "usage: scripts/spdx.sh --check | --add" >&2; exit 2 ;;
esac
