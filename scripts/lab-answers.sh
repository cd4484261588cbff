#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The labs' reference answers (the ```diff block under "Answer" in each
# docs/labs/NAME.md) against the current tree.
#
#   scripts/lab-answers.sh extract NAME   print lab NAME's answer diff
#   scripts/lab-answers.sh refresh [NAME...]
#       re-base answers on the committed tree: apply each (offsets and fuzz
#       allowed) to a scratch copy of HEAD and write the resulting diff back
#       into the page. Stops at an answer that no longer applies; that one
#       needs a person. The labs test (tests/boot/labs.sh) then checks that
#       every answer applies exactly and makes its checker pass.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

extract() {  # extract NAME
    awk '/<summary>Answer<\/summary>/ { a = 1 }
         a && /^```diff/ { d = 1; next }
         d && /^```/ { exit }
         d { print }' "docs/labs/$1.md"
}

refresh() {  # refresh NAME
    local name=$1 scratch
    scratch=$(mktemp -d)
    git archive HEAD | tar -x -C "$scratch"
    (cd "$scratch" && git init -q && git add -A &&
     git -c user.name=lab -c user.email=lab@localhost commit -qm base)
    if ! extract "$name" | (cd "$scratch" && patch -p1 --forward --no-backup-if-mismatch -s); then
        echo "lab-answers: the answer of $name no longer applies; see $scratch" >&2
        return 1
    fi
    (cd "$scratch" && git add -A && git diff --cached --no-color) |
        grep -vE '^index [0-9a-f]+\.\.[0-9a-f]+' > "$scratch.diff"
    # Put the new diff in place of the old one, leaving the rest of the page.
    awk -v new="$scratch.diff" '
        /<summary>Answer<\/summary>/ { a = 1 }
        a && /^```diff/ { print; while ((getline l < new) > 0) print l; skip = 1; next }
        skip && /^```/ { skip = 0; a = 0 }
        !skip { print }' "docs/labs/$name.md" > "$scratch.md"
    mv "$scratch.md" "docs/labs/$name.md"
    rm -rf "$scratch" "$scratch.diff"
    echo "lab-answers: $name refreshed"
}

case ${1:-} in
    extract) extract "${2:?lab name}" ;;
    refresh)
        shift
        if [ $# -eq 0 ]; then
            set -- $(ls docs/labs/*.md | xargs -n1 basename | sed 's/\.md$//' | grep -vx README)
        fi
        for n in "$@"; do refresh "$n"; done ;;
    *) echo "usage: scripts/lab-answers.sh extract NAME | refresh [NAME...]" >&2; exit 2 ;;
esac
