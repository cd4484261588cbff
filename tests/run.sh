#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mote's test runner (make test): host unit tests, then boot tests that boot
# mote on real Xen under QEMU. Prints PASS/FAIL per test, the log tail of each
# failure, and ends with the 15 slowest boot tests (each one's wall time is in
# build/test-logs/NAME.seconds) and "N passed, N failed". Exits non-zero on
# any failure.
#
#   tests/run.sh [PATTERN]   run only tests whose name contains PATTERN
#   JOBS=N                   dom0 boot tests to run at once (default: 2)
#   DOMU_JOBS=N              domU boot tests to run at once (default: 1)
#   FUZZ_SECONDS=N           how long each fuzz target runs (default: 20)
#   HOST_ONLY=1              no boot tests: unit tests, fuzz, docs (make check)
# The domU test stack (scripts/domu-stack.sh) is built here, and only when a
# selected test boots a domU.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LOG_DIR="$TOP/build/test-logs"
PATTERN=${1:-}
JOBS=${JOBS:-2}
# domU tests one at a time: each boots a whole Linux dom0 and keeps a CPU
# busy, and the block tests' timeouts assume the machine to themselves.
DOMU_JOBS=${DOMU_JOBS:-1}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
export TOP LOG_DIR
rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"

passed=0
failed=0
failed_names=()

record() {  # record NAME STATUS OUTPUT_FILE
    if [ "$2" = 0 ]; then
        echo "PASS $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1"
        sed 's/^/    /' "$3"
        failed=$((failed + 1))
        failed_names+=("$1")
    fi
}

# --- Host unit tests: each binary prints PASS/FAIL lines itself.
for t in "$TOP"/build/host/test_*; do
    [ -x "$t" ] || continue
    out="$LOG_DIR/unit-$(basename "$t").out"
    "$t" > "$out" 2>&1
    status=$?
    while read -r verdict name rest; do
        case $verdict in
            PASS) [[ $name == *"$PATTERN"* ]] && record "$name" 0 /dev/null ;;
            FAIL) [[ $name == *"$PATTERN"* ]] && record "$name" 1 "$out" ;;
        esac
    done < <(grep -E '^(PASS|FAIL) ' "$out")
    # A crash (sanitizer report, signal) after the last line is a failure too.
    if [ $status -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
        record "unit/$(basename "$t")" 1 "$out"
    fi
done

# --- Fuzz targets: each runs for FUZZ_SECONDS; a sanitizer report or a
# broken invariant fails it. $JOBS at a time (each on a core of its own, for
# its whole FUZZ_SECONDS), not beside the boot tests, whose timing
# assertions a busy CPU would disturb.
fuzz_one() {  # fuzz_one TARGET OUT: status in OUT.rc, the report's end in OUT.tail
    "$1" -max_total_time="$FUZZ_SECONDS" -timeout=10 -artifact_prefix="$LOG_DIR/" > "$2" 2>&1
    echo $? > "$2.rc"
    grep -v '^#' "$2" | tail -n 30 > "$2.tail"
}
fuzz_targets=() running=0
for t in "$TOP"/build/fuzz/fuzz_*; do
    [ -x "$t" ] && [[ fuzz/${t##*/fuzz_} == *"$PATTERN"* ]] || continue
    fuzz_targets+=("$t")
    fuzz_one "$t" "$LOG_DIR/${t##*/}.out" &
    running=$((running + 1))
    if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
for t in "${fuzz_targets[@]}"; do
    out="$LOG_DIR/${t##*/}.out"
    record "fuzz/${t##*/fuzz_}" "$(cat "$out.rc")" "$out.tail"
done

# --- Docs: every path, function, header and step the docs name exists
# (scripts/check-docs.sh); and the checker does catch a bad reference.
if [[ docs/references == *"$PATTERN"* ]]; then
    "$TOP/scripts/check-docs.sh" > "$LOG_DIR/docs-references.out" 2>&1
    record docs/references $? "$LOG_DIR/docs-references.out"
    planted="$LOG_DIR/planted.md"
    # Names made up at run time: written here literally, a name would exist.
    bad=planted$$x
    printf 'See `kernel/%s.c`, `%s()`, `<mote/%s.h>` and step 99.\n' $bad $bad $bad > "$planted"
    "$TOP/scripts/check-docs.sh" "$planted" > "$LOG_DIR/docs-planted.out" 2>&1
    [ $? -ne 0 ] && [ "$(grep -c "^$planted:1: " "$LOG_DIR/docs-planted.out")" = 4 ]
    record docs/checker_catches_planted_references $? "$LOG_DIR/docs-planted.out"
    # A tour step naming a function that is not in its *File*.
    mkdir -p "$LOG_DIR/planted"
    printf '## 3. start\n\n*File:* `kernel/boot.c`.\n\nIt calls `evtchn_do_upcall()`.\n' \
        > "$LOG_DIR/planted/tour.md"
    "$TOP/scripts/check-docs.sh" "$LOG_DIR/planted/tour.md" > "$LOG_DIR/docs-tour-planted.out" 2>&1
    [ $? -ne 0 ] && grep -q 'step 3 names evtchn_do_upcall(), which is in none of its files' \
        "$LOG_DIR/docs-tour-planted.out"
    record docs/checker_catches_tour_step_drift $? "$LOG_DIR/docs-tour-planted.out"
fi

# --- Layers: every upward call between the kernel's folders, derived from
# the objects of the last build, is named in README (scripts/check-layers.sh);
# and the checker does catch one that README does not name (the row of
# start_kernel's xenbus_init taken out of a copy of README).
if [[ layers/upward_calls == *"$PATTERN"* ]]; then
    "$TOP/scripts/check-layers.sh" > "$LOG_DIR/layers.out" 2>&1
    record layers/upward_calls $? "$LOG_DIR/layers.out"
    grep -v '^| `kernel/` → `xenstore/` | `xenbus_init` |' "$TOP/README.md" > "$LOG_DIR/layers-README.md"
    README="$LOG_DIR/layers-README.md" "$TOP/scripts/check-layers.sh" > "$LOG_DIR/layers-planted.out" 2>&1
    [ $? -ne 0 ] && grep -q 'upward call kernel/ -> xenstore/ (xenbus_init) is not named' "$LOG_DIR/layers-planted.out"
    record layers/checker_catches_unnamed_call $? "$LOG_DIR/layers-planted.out"
fi

# Every source file carries its license line (LICENSE, scripts/spdx.sh).
if [[ repo/spdx_lines == *"$PATTERN"* ]]; then
    "$TOP/scripts/spdx.sh" --check > "$LOG_DIR/spdx.out" 2>&1
    record repo/spdx_lines $? "$LOG_DIR/spdx.out"
fi

if [ -n "${HOST_ONLY:-}" ]; then
    echo
    [ $failed -ne 0 ] && echo "failed: ${failed_names[*]}"
    echo "$passed passed, $failed failed"
    [ $failed -eq 0 ] && [ $passed -gt 0 ]
    exit
fi

# --- Boot tests: functions test_* from tests/boot/*.sh, JOBS at a time.
source "$TOP/tests/lib.sh"
for f in "$TOP"/tests/boot/*.sh; do source "$f"; done
mapfile -t tests < <(declare -F | awk '{print $3}' | grep '^test_' | grep -F -- "$PATTERN" || true)

run_one() {  # runs in a subshell; result in $LOG_DIR/NAME.{out,status,seconds}
    local name=$1 start=$SECONDS
    CURRENT_TEST=${name#test_}
    TEST_FAILURES=0
    "$name" > "$LOG_DIR/$CURRENT_TEST.out" 2>&1
    if [ "$TEST_FAILURES" -ne 0 ] && [ -n "${BOOT_LOG:-}" ]; then
        { echo "  last lines of ${BOOT_LOG#$TOP/}:"; tail -n 25 "$BOOT_LOG" | sed 's/^/  | /'; } \
            >> "$LOG_DIR/$CURRENT_TEST.out"
    fi
    echo "$TEST_FAILURES" > "$LOG_DIR/$CURRENT_TEST.status"
    echo $((SECONDS - start)) > "$LOG_DIR/$CURRENT_TEST.seconds"
}

run_pool() {  # run_pool TEST...: $JOBS at a time, returns when all are done
    local running=0 t
    for t in "$@"; do
        ( run_one "$t" ) &
        running=$((running + 1))
        if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
    done
    wait
}

# domU tests (test_boot_domu_*, and those a test file lists in DOMU_TESTS,
# as tests/boot/labs.sh does for a lab whose checker boots a domU) boot a
# whole Linux dom0 and keep the CPUs busy; run them after the others, whose
# timing assertions they would disturb.
dom0_tests=() domu_tests=()
for t in "${tests[@]}"; do
    if [[ $t == test_boot_domu_* || " ${DOMU_TESTS[*]:-} " == *" $t "* ]]; then
        domu_tests+=("$t")
    else
        dom0_tests+=("$t")
    fi
done
# The Linux dom0 the domU tests boot, built (or found in the cache) before
# any boot test runs: building it beside them would disturb their timing.
if [ ${#domu_tests[@]} -gt 0 ] && ! "$TOP/scripts/domu-stack.sh" > "$LOG_DIR/domu-stack.out" 2>&1; then
    tail -n 30 "$LOG_DIR/domu-stack.out"
    echo "domU test stack failed to build: the domU tests fail"
    for t in "${domu_tests[@]}"; do echo 1 > "$LOG_DIR/${t#test_}.status"; done
    domu_tests=()
fi
phase_start=$SECONDS
run_pool "${dom0_tests[@]}"
dom0_seconds=$((SECONDS - phase_start)) phase_start=$SECONDS
JOBS=$DOMU_JOBS run_pool "${domu_tests[@]}"
domu_seconds=$((SECONDS - phase_start))

for t in "${tests[@]}"; do
    name=${t#test_}
    status=$(cat "$LOG_DIR/$name.status" 2>/dev/null || echo 1)
    record "boot/$name" "$status" "$LOG_DIR/$name.out"
done

# Where the time went: each boot test's wall time (its .seconds file), the
# slowest first, and each phase's.
if [ ${#tests[@]} -gt 0 ]; then
    echo
    echo "boot tests: dom0 ones ${dom0_seconds} s ($JOBS at a time), domU ones ${domu_seconds} s ($DOMU_JOBS at a time); the slowest:"
    for t in "${tests[@]}"; do
        echo "$(cat "$LOG_DIR/${t#test_}.seconds" 2>/dev/null || echo 0) ${t#test_}"
    done | sort -rn | head -n 15 | awk '{ printf "  %5d s  %s\n", $1, $2 }'
fi

echo
if [ $failed -ne 0 ]; then
    echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
