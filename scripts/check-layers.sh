#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The layer checker (make check, make test): derives the calls between the
# kernel's folders from the build and fails when one goes up the layer
# picture of README.md without being named there.
#
#   scripts/check-layers.sh [--list]   (after a build; --list prints every upward call)
#   README=FILE picks another README (the test plants a missing row so).
#
# The layers are the lines of README's diagram (between <!-- layers:begin -->
# and <!-- layers:end -->): each line starts with one or more folders, the
# top line is the highest layer, and folders on one line are one layer. An
# object file belongs to the longest folder of the diagram its source path
# starts with (lwIP, built from .cache/lwip, belongs to net/). For each
# object, every undefined symbol (nm -u) defined by an object of another
# folder is a call (or a data reference) from its folder to that one; a
# call to a higher layer is an upward call, and README's table of upward
# calls (between <!-- upcalls:begin --> and <!-- upcalls:end -->, rows of
# `from` -> `to` | `symbol`, ... | why) must name it. A row naming a call
# the build no longer makes is reported too, so the table stays exact.
# net/ is checked only when a network application has been built (make
# test builds them all; make check only build/mote.elf).
# Prints one line per problem; exits 1 if any.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
NM=${CROSS_COMPILE:-}nm
build=${BUILD:-build}
readme=${README:-README.md}

# The diagram's folders, with their layer (0 is the top).
declare -A rank=()
layer=0
while IFS= read -r line; do
    read -ra words <<< "$line"
    found=0
    for w in "${words[@]}"; do
        [[ $w == */ ]] || break
        rank[${w%/}]=$layer
        found=1
    done
    ((found)) && layer=$((layer + 1))
done < <(sed -n '/<!-- layers:begin -->/,/<!-- layers:end -->/p' "$readme" | grep -v '^<!--\|^```')

folder_of() {  # folder_of SOURCE-PATH: the longest diagram folder it is in
    local p=$1 best=
    [[ $p == .cache/lwip/* ]] && p=net/lwip
    for f in "${!rank[@]}"; do
        [[ $p == "$f"/* && ${#f} -gt ${#best} ]] && best=$f
    done
    echo "$best"
}

mapfile -t objs < <(find "$build" -name '*.o' \( -path "$build/arch/*" -o -path "$build/kernel/*" \
    -o -path "$build/lib/*" -o -path "$build/libc/*" -o -path "$build/drivers/*" \
    -o -path "$build/lifecycle/*" -o -path "$build/xenstore/*" -o -path "$build/net/*" \
    -o -path "$build/musl/kernel/posix/*" \
    -o -path "$build/.cache/lwip/*" \) | sort)
if [ ${#objs[@]} -eq 0 ]; then
    echo "check-layers: no kernel objects under $build/ (build first)"
    exit 1
fi

problems=0
declare -A defined_in=() folder=() seen_from=()
for o in "${objs[@]}"; do
    src=${o#"$build"/}
    src=${src%.o}
    src=${src#musl/kernel/}     # a musl image's second build of the kernel (mk/musl.mk)
    # Objects of sources since moved or removed are left over, not built.
    [[ $src == .cache/* || -e $src ]] || continue
    f=$(folder_of "$src")
    if [ -z "$f" ]; then
        echo "check-layers: $src is in no folder of README's layer diagram"
        problems=$((problems + 1))
        continue
    fi
    folder[$o]=$f
    seen_from[$f]=1
    while read -r _ _ sym; do
        defined_in[$sym]=$f
    done < <($NM --defined-only "$o" | awk '$2 ~ /^[A-Z]$/')
done

# Upward calls found: "from to symbol" lines.
declare -A found=()
for o in "${!folder[@]}"; do
    f=${folder[$o]}
    while read -r _ sym; do
        t=${defined_in[$sym]:-}
        [[ -n $t && $t != "$f" ]] || continue
        (( rank[$t] < rank[$f] )) && found["$f $t $sym"]=1
    done < <($NM -u "$o")
done

if [ "${1:-}" = --list ]; then
    printf '%s\n' "${!found[@]}" | sort
    exit 0
fi

# Named in README: "from to symbol" for every symbol of every row.
declare -A named=()
while IFS='|' read -r _ edge syms _; do
    read -r from _ to <<< "$(tr -d '`' <<< "$edge")"
    from=${from%/}
    to=${to%/}
    for s in $(grep -oE '`[A-Za-z_][A-Za-z0-9_]*`' <<< "$syms" | tr -d '`'); do
        named["$from $to $s"]=1
    done
done < <(sed -n '/<!-- upcalls:begin -->/,/<!-- upcalls:end -->/p' "$readme" | grep '^| `')

for k in $(printf '%s\n' "${!found[@]}" | sort | tr ' ' '@'); do
    k=${k//@/ }
    [[ -n ${named[$k]:-} ]] && continue
    read -r f t s <<< "$k"
    echo "$readme: upward call $f/ -> $t/ ($s) is not named in the table of upward calls"
    problems=$((problems + 1))
done
for k in $(printf '%s\n' "${!named[@]}" | sort | tr ' ' '@'); do
    k=${k//@/ }
    read -r f t s <<< "$k"
    [[ -n ${seen_from[$f]:-} && -z ${found[$k]:-} ]] || continue
    echo "$readme: the table of upward calls names $f/ -> $t/ ($s), which the build does not make"
    problems=$((problems + 1))
done
if ((problems)); then
    echo "check-layers: $problems problem(s)"
    exit 1
fi
