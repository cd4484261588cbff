# SPDX-License-Identifier: MIT
# Boot tests of several vCPUs (kernel/smp.c, arch/x86_64/smp_boot.c): dom0
# with Xen's dom0_max_vcpus=N on QEMU -smp N (VCPUS=N, scripts/qemu-dom0),
# and a domU with xl's `vcpus =`. QEMU runs one host thread per emulated
# CPU on a shared 2-core machine, so the timeouts are generous.

SMPTEST=$TOP/build/smptest.elf

# Each vCPU the domain has comes up, reports in from its own code, and runs
# a function sent to it (smp_call_all).
smp_boot_n() {
    local n=$1
    VCPUS=$n TIMEOUT=${TIMEOUT:-180} boot "$SMPTEST" up
    expect_rc 0
    expect "^mote: smp: $n of $n vCPUs up$"
    local i
    for ((i = 1; i < n; i++)); do expect "^mote: smp: vCPU $i reporting in$"; done
    for ((i = 0; i < n; i++)); do expect "^smptest: vCPU $i answers$"; done
    expect "^smptest: $n answered$"
    # VCPUOP_register_vcpu_info: each vCPU's upcall mask is in its own
    # struct cpu, and masked there while it runs the call.
    expect "^mote: smp: vcpu_info of $n of $n vCPUs in per-CPU memory$"
    expect "^smptest: $n masked in their own vcpu_info$"
    expect_not "reporting in.*vCPU $n\b|^mote: smp: vCPU $n reporting in$"
}

test_boot_dom0_smp_1_vcpu() {
    smp_boot_n 1
    expect_not 'reporting in'
}

test_boot_dom0_smp_2_vcpus() {
    smp_boot_n 2
}

test_boot_dom0_smp_4_vcpus() {
    smp_boot_n 4
}

# More vCPUs than the shared info page has vcpu_info slots (32): dom0 gets
# 36 on QEMU's 2 CPUs (Xen's later dom0_max_vcpus wins); the ones above 31
# only work with their vcpu_info placed by VCPUOP_register_vcpu_info.
test_boot_dom0_smp_36_vcpus() {
    local n=36 i
    VCPUS=2 XEN_EXTRA="dom0_max_vcpus=$n" TIMEOUT=${TIMEOUT:-400} boot "$SMPTEST" up
    expect_rc 0
    expect "^mote: smp: vcpu_info of $n of $n vCPUs in per-CPU memory$"
    expect "^mote: smp: $n of $n vCPUs up$"
    for ((i = 0; i < n; i++)); do expect "^smptest: vCPU $i answers$"; done
    expect "^smptest: $n answered$"
    expect "^smptest: $n masked in their own vcpu_info$"
}

# A port moved with evtchn_bind_to_cpu (EVTCHNOP_bind_vcpu) is handled on
# the vCPU it was moved to: each of 1,000 sends on a loopback channel, on
# vCPU 1 and then back on vCPU 0; a vCPU that is not up is refused.
test_boot_dom0_smp_evtchn_rebind() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" rebind
    expect_rc 0
    expect '^rebind: port [0-9]+ on vCPU 1 \(rc=0\): 1000 of 1000 sends handled there, 0 elsewhere'
    expect '^rebind: port [0-9]+ on vCPU 0 \(rc=0\): 1000 of 1000 sends handled there, 0 elsewhere'
    expect '^mote: evtchn_bind_to_cpu: vCPU 2 is not up$'
    expect '^rebind: ok$'
}

# When the vCPU a port was moved to goes offline, vCPU 0 takes the port
# over (events_cpu_offline): sends go on being handled, there, and still
# after the vCPU is back.
test_boot_dom0_smp_evtchn_rebind_offline() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" rebind-offline
    expect_rc 0
    expect '^mote: smp: vCPU 1 offline$'
    expect '^mote: smp: event channel [0-9]+ moved from vCPU 1 to vCPU 0$'
    expect '^mote: smp: vCPU 1 online$'
    expect '^rebind-offline: ok$'
}

# smp_call to a vCPU being taken offline: a thread on vCPU 2 calls vCPU 1
# and waits, again and again, while vCPU 0 takes vCPU 1 down and back 40
# times. A call that lands after vCPU 1's last look at its slots is refused
# rather than waited for until it is back (the caller goes on while it is
# down), and every call reported run ran once.
test_boot_dom0_smp_call_offline() {
    VCPUS=3 TIMEOUT=${TIMEOUT:-400} boot "$SMPTEST" call-offline
    expect_rc 0
    expect '^call-offline: 40 cycles, [0-9]+ calls: [1-9][0-9]* run, [0-9]+ refused, [0-9]+ ran; 0 stuck$'
    expect_not 'is stuck in smp_call'
    expect '^call-offline: ok$'
}

# evtchn_close waits for the port's handler running on another vCPU: a
# port on vCPU 1 whose handler spins 200 ms is closed from vCPU 0 while it
# runs, 3 times; the handler has finished when the close returns. A handler
# closing its own port does not wait for itself.
test_boot_dom0_smp_evtchn_close_waits() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" close-wait
    expect_rc 0
    local r
    for r in 0 1 2; do
        expect "^close-wait: round $r: handler on vCPU 1, closed from vCPU 0 after [0-9]+ ms, handler finished when the close returned$"
    done
    expect '^close-wait: a handler on vCPU 1 closing its own port: returned$'
    expect '^close-wait: ok$'
}

# A first bring-up that fails is undone, and hotplug refuses the vCPU: a
# test build (KCFLAGS) has Xen refuse vCPU 1's context (a non-canonical
# entry point; VCPUOP_initialise fails for real) and vCPU 2 report in only
# after the boot vCPU gave up on it. Neither is taken for up afterwards.
test_boot_dom0_smp_bringup_failed() {
    local build=build/smp-badstart out="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory BUILD=$build \
        KCFLAGS="-DSMP_TEST_BAD_CONTEXT_CPU=1 -DSMP_TEST_LATE_CPU=2" \
        APP=tests/kernels/smptest "$build/smptest.elf" > "$out" 2>&1 ||
        { fail "the failing-bring-up build failed"; tail -n 20 "$out"; return; }
    VCPUS=3 TIMEOUT=${TIMEOUT:-300} boot "$TOP/$build/smptest.elf" bringup-failed
    expect_rc 0
    expect '^mote: hypercall vcpu_op\(VCPUOP_initialise, .*\) failed: -EINVAL'
    expect '^mote: smp: vCPU 1 left down: its bring-up failed$'
    expect '^mote: smp: vCPU 2 did not report in$'
    expect '^mote: smp: vCPU 2 left down: its bring-up failed$'
    expect '^mote: smp: 1 of 3 vCPUs up$'
    expect_not '^mote: smp: vCPU [12] reporting in$'
    expect '^mote: smp: vCPU 1 never came up: it stays down$'
    expect '^mote: smp: vCPU 2 never came up: it stays down$'
    expect '^bringup-failed: vCPU 1: smp_cpu_up -1, not up, smp_call -1, pin -1, times -1$'
    expect '^bringup-failed: vCPU 2: smp_cpu_up -1, not up, smp_call -1, pin -1, times -1$'
    expect '^bringup-failed: ok$'
}

# A vCPU that has claimed its start (STARTED) runs our code and is never
# abandoned, however late it sets `online` (issue 27: cpu_start took it down
# after 10 s, perhaps holding a lock): a test build (KCFLAGS) has vCPU 1 set
# `online` 12 s after it started; the boot vCPU waits for it, and it is up.
test_boot_dom0_smp_started_late_online() {
    local build=build/smp-lateonline out="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory BUILD=$build KCFLAGS="-DSMP_TEST_LATE_ONLINE_CPU=1" \
        APP=tests/kernels/smptest "$build/smptest.elf" > "$out" 2>&1 ||
        { fail "the late-online build failed"; tail -n 20 "$out"; return; }
    VCPUS=2 TIMEOUT=${TIMEOUT:-300} boot "$TOP/$build/smptest.elf" up
    expect_rc 0
    expect '^mote: smp: vCPU 1 reporting in$'
    expect '^mote: smp: 2 of 2 vCPUs up$'
    expect_not 'did not report in|left down'
    expect '^smptest: 2 answered$'
}

# Runstate areas (VCPUOP_register_runstate_memory_area): 300 ms of a spin
# pinned to vCPU 1 show as running time, 300 ms idle as blocked time.
test_boot_dom0_smp_runstate() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" runstate
    expect_rc 0
    expect '^runstate: vCPU 1 spinning 300 ms: running \+[0-9]+ ms'
    expect '^runstate: ok$'
}

# 100,000 IPI round trips between vCPU 0 and vCPU 1: each ping waits for its
# pong, so one lost IPI would hang the test until the timeout.
test_boot_dom0_smp_ipi_pingpong() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-900} boot "$SMPTEST" ipi 100000
    expect_rc 0
    expect '^ipi: vCPU 1 idle, 100000 round trips, pings=100000 pongs=100000 ipis=200000,'
}

# 4 threads pinned to 4 vCPUs add 1 to one counter 1,000,000 times each.
test_boot_dom0_smp_counter_lock() {
    VCPUS=4 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" lock
    expect_rc 0
    expect '^lock: 4 threads on vCPUs 0 1 2 3, total=4000000 expected=4000000 lost=0,'
}

# The same without the lock loses increments: the test above can fail.
test_boot_dom0_smp_counter_without_lock_races() {
    VCPUS=4 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" nolock
    expect_rc 0
    expect '^nolock: 4 threads on vCPUs 0 1 2 3, total=[0-9]+ expected=4000000 lost=[1-9][0-9]*,'
}

# A timer fires on the vCPU that armed it (each vCPU has its own queue and
# Xen single-shot timer), never before its deadline.
test_boot_dom0_smp_timers_on_arming_vcpu() {
    VCPUS=4 TIMEOUT=${TIMEOUT:-300} boot "$SMPTEST" timers
    expect_rc 0
    local i
    for i in 0 1 2 3; do
        expect "^timers: armed on vCPU $i, fired on vCPU $i, 20 rounds ok$"
    done
}

# As a domU: xl creates it with vcpus = 4; the guest brings all up and
# xl vcpu-list in dom0 shows each of them.
test_boot_domu_smp_4_vcpus() {
    local cfg=$LOG_DIR/${CURRENT_TEST}.cfg
    sed 's/^vcpus .*/vcpus   = 4/' "$TOP/scripts/mote.cfg" > "$cfg"
    DOMU_CFG=$cfg QEMU_EXTRA="-smp 2" TIMEOUT=${TIMEOUT:-300} boot_domu "$SMPTEST" '
wait_log "smptest: 4 answered" 120
xl vcpu-list "$GUEST_NAME"
xl destroy "$GUEST_NAME"' "up-idle"
    expect_rc 0
    expect_guest '^mote: smp: 4 of 4 vCPUs up$'
    expect_guest '^smptest: 4 answered$'
    local i
    for i in 0 1 2 3; do
        expect_action "mote +[1-9][0-9]* +$i +[0-9]+ +[-rb]+ "
    done
}

# xl vcpu-set takes vCPUs 1-3 offline while a thread pinned to each runs;
# they go on on vCPU 0, and are back on their own once xl vcpu-set 4 has
# brought the vCPUs back (--ignore-host: QEMU gives Xen 2 CPUs, and xl
# refuses more vCPUs than that without it).
test_boot_domu_smp_hotplug() {
    local cfg=$LOG_DIR/${CURRENT_TEST}.cfg
    sed 's/^vcpus .*/vcpus   = 4/' "$TOP/scripts/mote.cfg" > "$cfg"
    DOMU_CFG=$cfg QEMU_EXTRA="-smp 2" TIMEOUT=${TIMEOUT:-400} boot_domu "$SMPTEST" '
wait_log "hotplug: 4 workers running" 120
xl vcpu-set "$GUEST_NAME" 1
wait_log "vCPU 1 offline" 60 && wait_log "vCPU 2 offline" 60 && wait_log "vCPU 3 offline" 60
echo "with 1:"; xl vcpu-list "$GUEST_NAME"
wait_log "hotplug: settled on 1 vCPU" 120
xl vcpu-set --ignore-host "$GUEST_NAME" 4
wait_log "hotplug: done" 120
wait_gone 60' "hotplug"
    expect_rc 0
    expect_guest '^mote: smp: 4 of 4 vCPUs up$'
    local i
    for i in 1 2 3; do
        expect_guest "^mote: smp: vCPU $i offline$"
        expect_guest "^mote: smp: vCPU $i online$"
        expect_guest "^hotplug: worker $i: [1-9][0-9]* slices on vCPU 0 and 0 elsewhere with 1 vCPU up, [1-9][0-9]* on vCPU $i after$"
    done
    expect_guest '^hotplug: done, ok$'
}

# Everything that passes on one vCPU passes on two: the event, timer,
# thread and console tests again, with VCPUS=2, as boot_2vcpus_NAME for
# boot_dom0_NAME (make test T=2vcpus runs them all).
for smp_t in $(declare -F | awk '{print $3}' |
               grep -E '^test_boot_dom0_(evtchn|hypercall|time|upcall|threads|fpu|console)_'); do
    eval "test_boot_2vcpus_${smp_t#test_boot_dom0_}() { VCPUS=2 $smp_t; }"
done
unset smp_t
