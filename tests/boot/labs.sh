# SPDX-License-Identifier: MIT
# Boot tests of the labs (docs/labs/*.md, checked by scripts/lab-check.sh).
# For each lab, in a scratch copy of the tree under build/labs/NAME: the
# checker (make lab-NAME) must fail on the tree as it is, the reference
# answer folded into the lab's page (the ```diff block after
# <summary>Answer</summary>) must apply with patch -p1 without fuzz or
# offset, and the checker must then pass. So a lab whose checker cannot
# fail, or whose answer no longer fits the code, fails here.
#
# One test per lab page: test_lab_NAME_fails_unchanged_passes_with_answer.

LABS_DIR=$TOP/build/labs

# A copy of the tree as it is now (tracked and new files, not ignored ones:
# uncommitted edits are tested too), with the kernel built once per test
# run; each lab starts from a copy of it, so a checker rebuilds only what
# its lab touches. Xen comes from this tree's .cache (a symlink, no
# download). Built once, under a lock: the lab tests run in parallel.
labs_pristine() {
    local done=$LOG_DIR/labs-pristine.done
    (
        flock 9
        [ -e "$done" ] && exit 0
        rm -rf "$LABS_DIR" && mkdir -p "$LABS_DIR/pristine" || exit 1
        (cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
             tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$LABS_DIR/pristine" || exit 1
        ln -s "$(readlink -f "$TOP/.cache")" "$LABS_DIR/pristine/.cache"
        # nice: boot tests with timing assertions may be running beside us.
        nice make -C "$LABS_DIR/pristine" --no-print-directory > "$LOG_DIR/labs-pristine.build.log" 2>&1 &&
            touch "$done"
    ) 9> "$LOG_DIR/labs-pristine.lock"
    [ -e "$done" ]
}

# lab_answer_text PAGE: the diff in the page's folded answer.
lab_answer_text() {
    awk '/<summary>Answer<\/summary>/ { answer = 1 }
         answer && /^```diff$/ { in_diff = 1; next }
         in_diff && /^```$/ { exit }
         in_diff { print }' "$1"
}

# lab_check DIR NAME WANT: run make lab-NAME in DIR; its status must be WANT
# (0 pass, 1 fail) with the matching verdict line.
lab_check() {
    local dir=$1 lab=$2 want=$3 out verdict rc
    out=$LOG_DIR/$CURRENT_TEST.$([ "$want" = 0 ] && echo answer || echo unchanged).out
    make -C "$dir" --no-print-directory "lab-$lab" > "$out" 2>&1
    rc=$?
    BOOT_LOG=$out       # the runner shows its tail if the test fails
    verdict=$(grep -E "^lab $lab: (pass|fail)" "$out" | tail -n1)
    echo "  $([ "$want" = 0 ] && echo "with the answer" || echo "unchanged"): $verdict"
    if [ "$want" = 0 ]; then
        [ "$rc" = 0 ] && [ "$verdict" = "lab $lab: pass" ] ||
            fail "with the answer applied, make lab-$lab did not pass (status $rc)"
    else
        [ "$rc" != 0 ] && [[ $verdict == "lab $lab: fail ("*")" ]] ||
            fail "on the unchanged tree, make lab-$lab did not fail (status $rc): the checker cannot fail"
    fi
}

lab_answer_test() {
    local lab=$1 dir=$LABS_DIR/$1
    labs_pristine || { fail "cannot build the copy of the tree (log: ${LOG_DIR#$TOP/}/labs-pristine.build.log)"; return; }
    rm -rf "$dir" && cp -a "$LABS_DIR/pristine" "$dir"

    lab_check "$dir" "$lab" 1

    local diff=$LOG_DIR/$CURRENT_TEST.answer.diff
    lab_answer_text "$dir/docs/labs/$lab.md" > "$diff"
    [ -s "$diff" ] || { fail "docs/labs/$lab.md has no \`\`\`diff block in its Answer"; return; }
    # --forward: a hunk already in the tree is an error, not a reversed patch
    # to undo. Cleanly: patch says nothing but the files it patches.
    if ! (cd "$dir" && patch -p1 --batch --forward --fuzz=0 < "$diff") > "$diff.out" 2>&1; then
        fail "the answer in docs/labs/$lab.md does not apply: $(tr '\n' ' ' < "$diff.out")"
        return
    fi
    grep -qv '^patching file ' "$diff.out" &&
        fail "the answer does not apply cleanly: $(grep -v '^patching file ' "$diff.out" | tr '\n' ' ')"

    lab_check "$dir" "$lab" 0
}

# A lab whose checker boots a domU (its check_NAME calls boot_domu) runs
# with the domU tests (tests/run.sh, DOMU_TESTS): after the dom0 tests,
# with the Linux dom0 stack built first.
lab_boots_domu() {
    sed -n "/^check_$1() {/,/^}/p" "$TOP/scripts/lab-check.sh" | grep -q 'boot_domu '
}

for _lab_page in "$TOP"/docs/labs/*.md; do
    _lab=$(basename "$_lab_page" .md)
    [ "$_lab" = README ] && continue
    eval "test_lab_${_lab}_fails_unchanged_passes_with_answer() { lab_answer_test $_lab; }"
    if lab_boots_domu "$_lab"; then
        DOMU_TESTS+=("test_lab_${_lab}_fails_unchanged_passes_with_answer")
    fi
done
unset _lab_page _lab
