#!/bin/sh
# Runs a fuzz target for a bounded time and prints one PASS or FAIL line for
# tests/run.sh (the Makefile generates build/host/test_fuzz_NAME to call this).
#
#   run-fuzzer.sh BINARY libfuzzer|random SECONDS
set -eu
bin=$1 kind=$2 seconds=$3
name="fuzz/$(basename "$bin" | sed 's/^fuzz_//')"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if [ "$kind" = libfuzzer ]; then
    # No corpus directory: each run starts from scratch, bounded by time.
    set +e; "$bin" -max_total_time="$seconds" -print_final_stats=1 > "$out" 2>&1; rc=$?; set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out")
else
    set +e; "$bin" "$seconds" > "$out" 2>&1; rc=$?; set -e
    runs=$(sed -n 's/^inputs: //p' "$out")
fi
if [ "$rc" = 0 ] && [ -n "$runs" ]; then
    echo "PASS $name ($kind, $runs inputs in ${seconds} s)"
else
    tail -n 40 "$out"
    echo "FAIL $name ($kind exited with status $rc)"
    exit 1
fi
