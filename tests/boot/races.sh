# SPDX-License-Identifier: MIT
# Races between vCPUs in the event and timer code (tests/kernels/racetest),
# each run hard enough to fail within its rounds on the code before the fix
# (issue 27), some on a test build that widens the race window (KCFLAGS).

RACETEST=$TOP/build/racetest.elf

# timer_cancel of a timer whose function re-arms it: a timer on vCPU 1
# whose function spins 1 ms and arms it again is cancelled from vCPU 0,
# 20 times; each cancel returns with it neither armed nor running, and it
# does not fire again (Linux's del_timer_sync loops for the same reason).
test_boot_dom0_race_timer_cancel_rearming() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-300} boot "$RACETEST" timer-rearm
    expect_rc 0
    expect '^timer-rearm: 0 of 20 cancels left the timer armed or running$'
    expect '^timer-rearm: ok$'
}

# Bind and close on 3 vCPUs at once, each binding an IPI port on its own
# vCPU, sending on it and closing it, 400 times: Xen recycles the lowest
# free port, so one vCPU's closed numbers are bound again by another. A test
# build holds each close 1 ms after EVTCHNOP_close (the window in which the
# port may already be another's); no event may be lost, which it was when
# evtchn_close cleared the handler after EVTCHNOP_close.
test_boot_dom0_race_evtchn_bind_close() {
    local build=build/races-closedelay out="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory BUILD=$build KCFLAGS="-DEVENTS_TEST_CLOSE_DELAY_NS=1000000" \
        APP=tests/kernels/racetest "$build/racetest.elf" > "$out" 2>&1 ||
        { fail "the close-delay build failed"; tail -n 20 "$out"; return; }
    VCPUS=3 TIMEOUT=${TIMEOUT:-400} boot "$TOP/$build/racetest.elf" bind-close 400
    expect_rc 0
    expect '^bind-close: 3 vCPUs, 400 rounds each, [1-9][0-9]* ports reused across vCPUs, 0 events lost$'
    expect '^bind-close: ok$'
}
