#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The labs' checker (make lab-NAME): builds the one image lab NAME needs from
# the tree as the student left it, boots it on real Xen in QEMU as dom0
# (scripts/qemu-dom0, through the boot helpers of tests/lib.sh; lab
# handshake as a domU, scripts/qemu-domu), and ends
# with one line, "lab NAME: pass" (exit 0) or "lab NAME: fail (why)" (exit 1).
# The labs are docs/labs/NAME.md; the checks are the check_NAME functions
# below, one per lab, each saying what it asserts.
#
#   scripts/lab-check.sh NAME     (make lab-NAME runs this)
#
# No `set -e`: a boot that ends in a crash is an answer to look at, not an
# error (the helpers of tests/lib.sh record statuses and go on).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LAB=${1:?usage: scripts/lab-check.sh NAME (a lab of docs/labs/)}
LOG_DIR="$TOP/build/lab-logs"
CURRENT_TEST="lab-$LAB"
export TOP LOG_DIR
mkdir -p "$LOG_DIR"
# boot, boot_with_input, BOOT_LOG and BOOT_RC: the same as the boot tests.
source "$TOP/tests/lib.sh"

pass() {
    echo "lab $LAB: pass"
    exit 0
}

# fail_lab WHY: the verdict, then where to look.
fail_lab() {
    echo "lab $LAB: fail ($*)"
    [ -n "${BOOT_LOG:-}" ] && echo "  boot log: ${BOOT_LOG#$TOP/}"
    exit 1
}

# build APP: the kernel with that application, as `make APP=APP` builds it.
# A tree that does not compile is a failed lab; the compiler's errors show.
build() {
    local log="$LOG_DIR/lab-$LAB.build.log"
    echo "  building the kernel with $1"
    if ! make -C "$TOP" --no-print-directory APP="$1" > "$log" 2>&1; then
        grep -E 'error|undefined' "$log" | head -n 15 | sed 's/^/  | /'
        fail_lab "the kernel with $1 does not build; full log: ${log#$TOP/}"
    fi
}

# line REGEX: the first log line matching REGEX (empty if none).
line() {
    grep -Em1 -- "$1" "$BOOT_LOG" || true
}

# --- lab upcalls (docs/labs/upcalls.md): one pass per upcall.
# Asserts that a handler re-raising its own port 10,000 times took an upcall
# per event: the dispatch loop stops after one pass (UPCALL_MAX_PASSES in
# kernel/events.c is 1). With 8 passes the same run takes about 1,250.
check_upcalls() {
    build docs/labs/upcalls
    boot "$TOP/build/upcalls.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "the lab program ended with $(rc_name "$BOOT_RC"), not poweroff"
    local l
    l=$(line '^upcalls: events=')
    [ -n "$l" ] || fail_lab "no 'upcalls: events=' line"
    echo "  $l"
    local events upcalls
    events=$(sed -E 's/.*events=([0-9]+).*/\1/' <<< "$l")
    upcalls=$(sed -E 's/.*upcalls=([0-9]+).*/\1/' <<< "$l")
    [ "$upcalls" -ge "$events" ] ||
        fail_lab "$events events took $upcalls upcalls: more than one event per upcall, so the loop still makes several passes"
    pass
}

# --- lab unmask (docs/labs/unmask.md): break the re-raise, predict the line.
# Asserts that evtest's masked scenario sees the change (its line after the
# unmask is no longer handler_calls=1 pending=0) and that the student's
# prediction in docs/labs/unmask/prediction is exactly what the boot printed.
check_unmask() {
    local pred="$TOP/docs/labs/unmask/prediction"
    local want_calls want_pending
    want_calls=$(sed -nE 's/^handler_calls=([0-9]+)$/\1/p' "$pred")
    want_pending=$(sed -nE 's/^pending=([01])$/\1/p' "$pred")
    [ -n "$want_calls" ] && [ -n "$want_pending" ] ||
        fail_lab "docs/labs/unmask/prediction has no prediction yet (lines handler_calls=N and pending=0 or 1)"
    build tests/kernels/evtest
    boot "$TOP/build/evtest.elf" masked
    local l
    l=$(line '^masked: after unmask ')
    [ -n "$l" ] || fail_lab "no 'masked: after unmask' line (the boot ended with $(rc_name "$BOOT_RC"))"
    echo "  $l"
    echo "  predicted: handler_calls=$want_calls pending=$want_pending"
    [ "$l" != "masked: after unmask handler_calls=1 pending=0" ] ||
        fail_lab "the handler still ran once at unmask: the re-raise in evtchn_unmask still works"
    [ "$l" = "masked: after unmask handler_calls=$want_calls pending=$want_pending" ] ||
        fail_lab "the prediction does not match what the boot printed"
    pass
}

# --- lab param (docs/labs/param.md): mote.on_error=reboot.
# Asserts that with the parameter a main returning non-zero reboots the
# domain (status 1), the parameter is taken (not reported unknown), and
# without it the same program still crashes the domain (status 3).
check_param() {
    build tests/kernels/evtest
    boot "$TOP/build/evtest.elf" mote.on_error=reboot
    [ -z "$(line 'unknown kernel parameter mote\.on_error')" ] ||
        fail_lab "mote reports mote.on_error=reboot as an unknown kernel parameter"
    [ -n "$(line '^mote: main returned 2$')" ] || fail_lab "no 'mote: main returned 2' line"
    [ "$BOOT_RC" = 1 ] ||
        fail_lab "with mote.on_error=reboot, main returning 2 ended in $(rc_name "$BOOT_RC"), not reboot"
    boot "$TOP/build/evtest.elf"
    [ "$BOOT_RC" = 3 ] ||
        fail_lab "without the parameter, main returning 2 ended in $(rc_name "$BOOT_RC"), not crash"
    pass
}

# --- lab banner (docs/labs/banner.md): Xen's capabilities in the banner.
# Asserts a banner line "  capabilities  xen-3.0-x86_64 ..." (the ABIs Xen
# runs, XENVER_capabilities), printed among the other banner fields (before
# the cmdline line), once.
check_banner() {
    build apps/hello
    boot "$TOP/build/mote.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "hello ended with $(rc_name "$BOOT_RC"), not poweroff"
    local l
    l=$(line '^  capabilities ')
    [ -n "$l" ] || fail_lab "the banner has no '  capabilities' line"
    echo "  $l"
    # Xen ends its list with a space (xen/arch/x86/setup.c), so may we.
    [[ $l =~ ^\ \ capabilities\ +xen-3\.0-x86_64(\ [a-z0-9._-]+)*\ ?$ ]] ||
        fail_lab "the line is not '  capabilities  xen-3.0-x86_64 ...' with Xen's words"
    [ "$(grep -c '^  capabilities ' "$BOOT_LOG")" = 1 ] || fail_lab "the line is printed more than once"
    local caps_at cmdline_at
    caps_at=$(grep -n '^  capabilities ' "$BOOT_LOG" | cut -d: -f1)
    cmdline_at=$(grep -n '^  cmdline ' "$BOOT_LOG" | head -n1 | cut -d: -f1)
    [ -n "$cmdline_at" ] && [ "$caps_at" -lt "$cmdline_at" ] ||
        fail_lab "the line is not in the banner (before its cmdline line)"
    pass
}

# --- lab virq (docs/labs/virq.md): answer Xen's 'q' debug key.
# Asserts that when the checker presses Xen's 'q' key on the serial console
# (Ctrl-A three times gives the input to Xen), Xen notifies mote's
# VIRQ_DEBUG port and mote prints "mote: debug: upcalls=N ..." after Xen's
# notification, once, and the clock program runs on to its normal poweroff.
check_virq() {
    build apps/clock
    local keys="$LOG_DIR/lab-virq.keys"
    # Ctrl-A x3: serial input to Xen; 'q': dump domains (and VIRQ_DEBUG to
    # each); Ctrl-A x3: input back to dom0.
    printf '\001\001\001q\001\001\001' > "$keys"
    INPUT_CHUNK=1 INPUT_DELAY=0.2 boot_with_input "$keys" '^clock: 1 ' "$TOP/build/clock.elf" 5
    local notified debug
    notified=$(grep -nEm1 'Notifying guest 0:0 \(virq 1, port [0-9]+\)' "$BOOT_LOG" | cut -d: -f1)
    [ -n "$notified" ] || fail_lab "Xen did not say 'Notifying guest 0:0 (virq 1, ...)': the key did not reach Xen"
    debug=$(grep -nEm1 '^mote: debug: upcalls=[0-9]+ ' "$BOOT_LOG" | cut -d: -f1)
    [ -n "$debug" ] || fail_lab "no 'mote: debug: upcalls=N ...' line after Xen's VIRQ_DEBUG ($(sed -n "${notified}p" "$BOOT_LOG" | sed 's/^(XEN) //'))"
    sed -n "${debug}p" "$BOOT_LOG" | sed 's/^/  /'
    [ "$debug" -gt "$notified" ] || fail_lab "the debug line came before Xen sent VIRQ_DEBUG"
    [ "$(grep -cE '^mote: debug: ' "$BOOT_LOG")" = 1 ] || fail_lab "one key press printed more than one debug line"
    [ "$BOOT_RC" = 0 ] && [ -n "$(line '^clock: 5 ')" ] ||
        fail_lab "clock did not run on to its poweroff after the key ($(rc_name "$BOOT_RC"))"
    pass
}

# --- lab sched (docs/labs/sched.md): a woken thread runs next.
# Asserts that a thread woken by an event handler runs right after the
# thread that was running (trace xwyxyxy; first come, first served gives
# xywxyxy), while threads that yield still take turns (ababab).
check_sched() {
    build docs/labs/sched
    boot "$TOP/build/sched.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "the lab program ended with $(rc_name "$BOOT_RC"), not poweroff"
    local wake yield
    wake=$(line '^sched: wake trace=')
    yield=$(line '^sched: yield trace=')
    [ -n "$wake" ] && [ -n "$yield" ] || fail_lab "no 'sched: wake trace=' or 'sched: yield trace=' line"
    echo "  $wake"
    echo "  $yield"
    [ "$yield" = "sched: yield trace=ababab" ] || fail_lab "threads that yield no longer take turns"
    [ "$wake" = "sched: wake trace=xwyxyxy" ] ||
        fail_lab "the woken thread w did not run right after x, which woke it (want xwyxyxy)"
    pass
}

# --- lab late (docs/labs/late.md): how late the timer handler runs timers.
# Asserts that the kernel keeps timer_stats.max_late_ns (the lab's program
# does not build without it), that it was set (not 0) over twenty 10 ms
# sleeps, and that it is at most the worst lateness the sleeping thread saw
# itself: the handler runs before the thread it wakes, so it cannot see a
# timer later than the thread does.
check_late() {
    build docs/labs/late
    boot "$TOP/build/late.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "the lab program ended with $(rc_name "$BOOT_RC"), not poweroff"
    local l kernel thread
    l=$(line '^late: sleeps=')
    [ -n "$l" ] || fail_lab "no 'late: sleeps=' line"
    echo "  $l"
    l=$(line '^late: kernel_max_ns=')
    kernel=$(sed -nE 's/^late: kernel_max_ns=([0-9]+) .*/\1/p' <<< "$l")
    thread=$(sed -nE 's/.* thread_max_ns=([0-9]+)$/\1/p' <<< "$l")
    [ -n "$kernel" ] && [ -n "$thread" ] || fail_lab "no 'late: kernel_max_ns=N thread_max_ns=N' line"
    [ "$kernel" -gt 0 ] || fail_lab "timer_stats.max_late_ns stayed 0: the VIRQ_TIMER handler does not update it"
    [ "$kernel" -le "$thread" ] ||
        fail_lab "the kernel saw a timer $kernel ns late, later than any wakeup the thread saw ($thread ns): not measured when the handler runs the timer"
    pass
}

# --- lab sysrq (docs/labs/sysrq.md): Ctrl-O and a key are the kernel's.
# Types into apps/echo, one byte at a time (so Ctrl-O and its key arrive in
# separate input events): "abc", Enter, Ctrl-O x (an unknown key), "def",
# Enter, Ctrl-O b, Enter, "quit", Enter. Asserts that echo wrote back "abc"
# and exactly "def" (Ctrl-O x never reached it), and that Ctrl-O b rebooted
# the domain at once (status 1): the "quit" after it, which would power
# off, was never read.
check_sysrq() {
    build apps/echo
    local keys="$LOG_DIR/lab-sysrq.keys"
    printf 'abc\r\017xdef\r\017b\rquit\r' > "$keys"
    INPUT_CHUNK=1 INPUT_DELAY=0.05 boot_with_input "$keys" '^echo: ready' "$TOP/build/echo.elf"
    [ -n "$(line '^abc$')" ] || fail_lab "echo did not write back 'abc' (the input before any Ctrl-O)"
    [ -n "$(line '^def$')" ] ||
        fail_lab "echo did not write back exactly 'def': Ctrl-O x reached the application ($(line 'def$' | od -An -c | tr -s ' ' | head -c 60))"
    [ "$BOOT_RC" = 1 ] ||
        fail_lab "Ctrl-O b did not reboot the domain: it ended with $(rc_name "$BOOT_RC")"
    pass
}

# --- lab grant (docs/labs/grant.md): a freed reference is reused last.
# Asserts that after page A's grant is ended and page B granted, B got a
# different reference than A had, and that a backend mapping A's old
# reference is refused (today the free list hands A's number straight to
# B, and the stale mapping reads B's page, "bravo").
check_grant() {
    build docs/labs/grant
    boot "$TOP/build/grant.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "the lab program ended with $(rc_name "$BOOT_RC"), not poweroff"
    local a b stale
    a=$(line '^grant: page A ')
    b=$(line '^grant: page B ')
    stale=$(line '^grant: a backend mapping reference ')
    [ -n "$a" ] && [ -n "$b" ] && [ -n "$stale" ] || fail_lab "no 'grant: page A', 'grant: page B' or 'grant: a backend mapping' line"
    printf '  %s\n' "$a" "$b" "$stale"
    [[ $a == *"access ended: 0" ]] || fail_lab "ending page A's grant failed"
    local ref_a ref_b
    ref_a=$(sed -nE 's/.* as reference ([0-9]+),.*/\1/p' <<< "$a")
    ref_b=$(sed -nE 's/.* as reference ([0-9]+)$/\1/p' <<< "$b")
    [ "$ref_a" != "$ref_b" ] ||
        fail_lab "B got reference $ref_a, the one A's grant just gave back: a freed reference is reused first"
    [[ $stale == *" is refused" ]] || fail_lab "a backend holding A's old reference could still map a page"
    pass
}

# --- lab ipi (docs/labs/ipi.md): smp_call_all calls every vCPU at once.
# Boots dom0 with 2 vCPUs and asserts that a rendezvous run by
# smp_call_all (each vCPU waits, up to 3 s, until all have arrived) is met
# on both: today vCPU 1 runs it alone, gives up, and only then does vCPU 0.
check_ipi() {
    build docs/labs/ipi
    VCPUS=2 boot "$TOP/build/ipi.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "the lab program ended with $(rc_name "$BOOT_RC"), not poweroff"
    [ -n "$(line '^ipi: 2 vCPUs, ')" ] || fail_lab "no 'ipi: 2 vCPUs' line: the second vCPU did not come up"
    local v l
    for v in 0 1; do
        l=$(line "^ipi: vCPU $v ")
        [ -n "$l" ] || fail_lab "no 'ipi: vCPU $v' line"
        echo "  $l"
        [[ $l == "ipi: vCPU $v met the others "* ]] ||
            fail_lab "vCPU $v waited alone: the vCPUs did not run the call at the same time"
    done
    pass
}

# --- lab loopback (docs/labs/loopback.md): lwIP's lo interface.
# Asserts that in dom0 (no vif) a UDP datagram sent to 127.0.0.1 is
# accepted by sendto and received back on the same socket, whole: today
# lwIP has no route to 127.0.0.1 and sendto fails.
check_loopback() {
    build docs/labs/loopback
    boot "$TOP/build/loopback.elf"
    [ "$BOOT_RC" = 0 ] || fail_lab "the lab program ended with $(rc_name "$BOOT_RC"), not poweroff"
    local sent got
    sent=$(line '^loopback: sendto ')
    got=$(line '^loopback: (received|recv)')
    [ -n "$sent" ] && [ -n "$got" ] || fail_lab "no 'loopback: sendto' or 'loopback: received' line"
    printf '  %s\n' "$sent" "$got"
    [ "$sent" = "loopback: sendto 127.0.0.1:7777: ok" ] || fail_lab "sendto to 127.0.0.1 failed"
    [ "$got" = 'loopback: received "over the loopback"' ] ||
        fail_lab "the datagram did not come back to the socket"
    pass
}

# --- lab handshake (docs/labs/handshake.md): trace the XenbusState steps.
# Boots apps/blk as a domU with one disk (the real toolstack and Linux's
# xen-blkback in the test dom0: a minute or more) and asserts the trace
# lines of xenbus_frontend_switch_state for device/vbd/51712, in order:
# each switch names the state it leaves, the one it enters, and the
# backend's state just before; the protocol (io/xenbus.h) fixes what the
# backend must be at each step.
check_handshake() {
    build apps/blk
    local cfg="$LOG_DIR/lab-handshake.cfg"
    { cat "$TOP/scripts/mote.cfg"; echo "disk = [ 'file:/tmp/a.img,xvda,w' ]"; } > "$cfg"
    DOMU_CFG=$cfg DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=1 2>/dev/null' \
        boot_domu "$TOP/build/blk.elf" "wait_gone 60" info
    BOOT_LOG=$GUEST_LOG
    [ -n "$(line '^blk: xvda sectors=2048 ')" ] && [ -n "$(line '^mote: shutdown: poweroff$')" ] ||
        fail_lab "the guest did not read its disk's size and power off"
    local trace
    trace=$(grep -E '^xenbus: device/vbd/51712 \(xvda\): [A-Za-z]+ -> ' "$BOOT_LOG" | sed 's/^xenbus: device\/vbd\/51712 (xvda): //')
    [ -n "$trace" ] || fail_lab "no trace lines 'xenbus: device/vbd/51712 (xvda): FROM -> TO (backend STATE)'"
    sed 's/^/  /' <<< "$trace"
    # Closing -> Closed: blkback answers our Closing with Closing, and goes
    # Closed only after our Closed; either is allowed, as the close allows.
    local -a want=('Unknown -> Initialising \(backend [A-Za-z]+\)'
                   'Initialising -> Initialised \(backend InitWait\)'
                   'Initialised -> Connected \(backend Connected\)'
                   'Connected -> Closing \(backend Connected\)'
                   'Closing -> Closed \(backend (Closing|Closed)\)')
    local -a got
    mapfile -t got <<< "$trace"
    [ "${#got[@]}" = "${#want[@]}" ] ||
        fail_lab "${#got[@]} state switches, not the ${#want[@]} of a connect and a close"
    local i
    for i in "${!want[@]}"; do
        [[ ${got[i]} =~ ^${want[i]}$ ]] ||
            fail_lab "switch $((i + 1)) is '${got[i]}'; io/xenbus.h wants '${want[i]//\\/}'"
    done
    pass
}

declare -F "check_$LAB" > /dev/null ||
    { echo "lab $LAB: no such lab (labs: $(declare -F | awk '/ check_/{sub("check_","",$3); printf "%s ", $3}'))"; exit 2; }
"check_$LAB"
