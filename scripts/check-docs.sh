#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The docs drift checker (make check, make test): what README.md and
# docs/**/*.md name in backticks must exist, so the docs cannot quietly fall
# behind the code.
#
#   scripts/check-docs.sh [FILE.md ...]   default: README.md and docs/**/*.md
#
# Checked, in `backticks`:
#   - paths into the tree: a token whose first component is a top-level
#     directory of the repository (kernel/timer.c, tests/boot/, apps/blk),
#     or a file name with a source extension (boot.c, entry.h, run.sh), which
#     must name a tracked file or directory (a bare name may be anywhere; a
#     .h may also be one of Xen's public headers, fetched into
#     .cache/deps/include/xen by scripts/deps.sh);
#   - <mote/NAME.h> and <NAME.h> headers, in the application or kernel
#     include paths;
#   - functions and macros, `name()` or `name(args)`: the name must appear in
#     the sources;
# and, in the text, "step N" must be a numbered section of docs/tour.md and
# "lab N" a lab under docs/labs/.
# Not checked: what the text says is not there ("no `<math.h>`"), tokens
# with spaces (commands, output lines), placeholders
# (`...`, `*`, `$`, `NAME`), absolute paths (/etc, xenstore's /local), and
# build products (build/, .cache/).
# Prints one line per dangling reference, FILE:LINE: what; exits 1 if any.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(ls README.md; find docs -name '*.md' | sort)
fi

xen_inc=.cache/deps/include/xen
cc_inc=$(${CROSS_COMPILE:-}gcc -print-file-name=include 2>/dev/null)
mapfile -t tracked < <(git ls-files)

# Lookup tables, built once: every tracked file and directory (with and
# without the directory's trailing slash), each of their trailing parts
# (so `events.c` or `console/` match drivers/console/...), the top-level
# directories, and every identifier in the sources.
declare -A in_tree=() top_dirs=() symbols=()
while IFS= read -r p; do
    in_tree[$p]=1
    while [[ $p == */?* ]]; do
        p=${p#*/}
        in_tree[$p]=1
    done
done < <(printf '%s\n' "${tracked[@]}" |
         awk -F/ '{ p = ""; for (i = 1; i <= NF; i++) { p = (i == 1 ? $1 : p "/" $i); print p; if (i < NF) print p "/" } }' | sort -u)
for p in "${tracked[@]}"; do
    [[ $p == */* ]] && top_dirs[${p%%/*}]=1
done
while IFS= read -r w; do
    symbols[$w]=1
done < <(printf '%s\n' "${tracked[@]}" | grep -E '\.(c|h|S|sh|ld)$|^Makefile$' | grep -v '^docs/' |
         xargs -d '\n' grep -ohE '[A-Za-z_][A-Za-z0-9_]*' | sort -u)

# Identifiers of the C and assembly sources only (the tour check).
declare -A code_symbols=()
while IFS= read -r w; do
    code_symbols[$w]=1
done < <(printf '%s\n' "${tracked[@]}" | grep -E '\.(c|h|S)$' | grep -v '^docs/' |
         xargs -d '\n' grep -ohE '[a-z][a-z0-9]*_[a-z0-9_]+' | sort -u)

problems=0
report() {  # report FILE LINE MESSAGE
    echo "$1:$2: $3"
    problems=$((problems + 1))
}

path_exists() {  # path_exists TOKEN: a tracked path, or a trailing part of one
    local t=$1
    [[ -n ${in_tree[$t]:-} || -n ${in_tree[$t/]:-} ]] && return 0
    # Xen's public headers (xen.h, io/ring.h, arch-x86/xen-x86_64.h).
    [[ $t == *.h && ( -e $xen_inc/$t || -e $xen_inc/../$t || -e $xen_inc/io/$t ||
                      -e $xen_inc/arch-x86/$t || -e $xen_inc/hvm/$t ) ]] && return 0
    return 1
}

header_exists() {  # header_exists NAME.h (as in #include <NAME.h>)
    local h=$1 d
    for d in api include lifecycle xenstore drivers/xenbus drivers/console drivers/block drivers/net lib libc/include arch/x86_64/include "$xen_inc/.." "$cc_inc"; do
        [ -n "$d" ] && [ -e "$d/$h" ] && return 0
    done
    return 1
}

tour_steps=$(sed -nE 's/^## ([0-9]+)\. .*/\1/p' docs/tour.md)
lab_count=$(find docs/labs -maxdepth 1 -name '*.md' ! -name 'README.md' 2>/dev/null | wc -l)

# One pass over the docs: "FILE LINE step|lab N" for cross-references and
# "FILE LINE tok TOKEN" for backticked tokens, outside ``` code blocks.
refs() {
    awk '
        FNR == 1 { code = 0 }
        /^```/ { code = !code; next }
        code { next }
        {
            line = $0
            while (match(tolower(line), /(step|lab) [0-9]+/)) {
                ref = substr(line, RSTART, RLENGTH)
                split(ref, w, " ")
                print FILENAME "\t" FNR "\t" tolower(w[1]) "\t" w[2]
                line = substr(line, RSTART + RLENGTH)
            }
            line = $0
            while (match(line, /`[^`]+`/)) {
                # "no `<math.h>`" says a thing is missing on purpose.
                kind = substr(line, 1, RSTART - 1) ~ /(^|[^a-z])no $/ ? "absent" : "tok"
                print FILENAME "\t" FNR "\t" kind "\t" substr(line, RSTART + 1, RLENGTH - 2)
                line = substr(line, RSTART + RLENGTH)
            }
        }' "${files[@]}"
}

while IFS=$'\t' read -r f lineno kind tok; do
    case $kind in
        absent)
            continue ;;
        step)
            grep -qx "$tok" <<< "$tour_steps" ||
                report "$f" "$lineno" "step $tok: docs/tour.md has no section $tok"
            continue ;;
        lab)
            [ "$tok" -ge 1 ] && [ "$tok" -le "$lab_count" ] ||
                report "$f" "$lineno" "lab $tok: docs/labs has $lab_count labs"
            continue ;;
    esac
    [[ -z $tok || $tok == *' '* || $tok == *'...'* || $tok == *'*'* || $tok == *'$'* ]] && continue
    if [[ $tok =~ ^\<([A-Za-z0-9_/.-]+\.h)\>$ ]]; then
        header_exists "${BASH_REMATCH[1]}" || report "$f" "$lineno" "header <${BASH_REMATCH[1]}> not found"
        continue
    fi
    if [[ $tok =~ ^([A-Za-z_][A-Za-z0-9_]*)\(.*\)$ ]]; then
        [ -n "${symbols[${BASH_REMATCH[1]}]:-}" ] ||
            report "$f" "$lineno" "function ${BASH_REMATCH[1]}() not in the sources"
        continue
    fi
    [[ $tok == /* || $tok == .* || $tok == build/* ]] && continue
    [[ $tok == *[A-Z][A-Z]* && $tok != *.* ]] && continue
    local_path=${tok%/}
    if { [[ $local_path == */* ]] && [ -n "${top_dirs[${local_path%%/*}]:-}" ]; } ||
       [[ $local_path =~ \.(c|h|S|sh|md|ld|json|svg|cfg)$ ]]; then
        path_exists "$local_path" || report "$f" "$lineno" "path $tok not in the tree"
    fi
done < <(refs)

# The tour's steps, beyond names: each step's *File:* / *Files:* line names
# files (or folders) of the tree, and every function the step names,
# `name()`, must occur in one of them (defined or called there), so a step
# cannot keep describing code that moved to another file. Paths without a
# folder (`console.c` after `drivers/console/`) are found under the step's
# folders. Checked for every file named tour.md among the files.
tour_step_files() {  # prints "LINE<TAB>STEP<TAB>files|names<TAB>TOKEN"
    awk '
        /^```/ { code = !code; next }
        code { next }
        /^## [0-9]+\./ { step = $2; sub(/\.$/, "", step); in_files = 0; next }
        /^## / { step = ""; next }
        step == "" { next }
        /^\*Files?:\*/ { in_files = 1 }
        in_files && (/^\*Rule/ || /^$/) { in_files = 0 }
        {
            line = $0
            while (match(line, /`[^`]+`/)) {
                tok = substr(line, RSTART + 1, RLENGTH - 2)
                line = substr(line, RSTART + RLENGTH)
                if (in_files && tok ~ /\/|\.(c|h|S|ld)$/)
                    print FNR "\t" step "\tfile\t" tok
                else if (in_files && tok ~ /^[A-Za-z_][A-Za-z0-9_]*$/)
                    print FNR "\t" step "\tsubject\t" tok
                else if (tok ~ /^[A-Za-z_][A-Za-z0-9_]*\(\)$/)
                    print FNR "\t" step "\tname\t" substr(tok, 1, length(tok) - 2)
                else if (tok ~ /^[a-z][a-z0-9]*_[a-z0-9_]+$/)
                    print FNR "\t" step "\tident\t" tok
            }
        }' "$1"
}

check_tour_steps() {
    local tour=$1 lineno step kind tok cur="" f
    local -a step_paths=()
    local -A subjects=()
    # What a step's *File* line names it is about (`start_kernel`); any step
    # may refer to it.
    while IFS=$'\t' read -r lineno step kind tok; do
        [ "$kind" = subject ] && subjects[$tok]=1
    done < <(tour_step_files "$tour")
    while IFS=$'\t' read -r lineno step kind tok; do
        [ "$kind" = subject ] && continue
        [ -n "${subjects[$tok]:-}" ] && continue
        if [ "$step" != "$cur" ]; then
            cur=$step
            step_paths=()
        fi
        if [ "$kind" = file ]; then
            if [ -e "$tok" ]; then
                step_paths+=("$tok")
                continue
            fi
            # A name relative to one of the step's folders.
            for f in "${step_paths[@]}"; do
                [ -d "$f" ] && [ -e "$f/$tok" ] && step_paths+=("$f/$tok") && continue 2
            done
            report "$tour" "$lineno" "step $step: *File* $tok is not in the tree"
            continue
        fi
        [ ${#step_paths[@]} -eq 0 ] && continue
        # A lower-case name with an underscore is the code's when the
        # sources have it (else it is a field of Xen's, a xenstore node...).
        [ "$kind" = ident ] && [ -z "${code_symbols[$tok]:-}" ] && continue
        grep -rqw -- "$tok" "${step_paths[@]}" 2>/dev/null ||
            report "$tour" "$lineno" "step $step names $tok(), which is in none of its files (${step_paths[*]})"
    done < <(tour_step_files "$tour")
}
for f in "${files[@]}"; do
    [ "${f##*/}" = tour.md ] && check_tour_steps "$f"
done

if [ $problems -ne 0 ]; then
    echo "check-docs: $problems dangling reference(s)"
    exit 1
fi
echo "check-docs: ${#files[@]} files, every reference resolves"
