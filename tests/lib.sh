# SPDX-License-Identifier: MIT
# Helpers for boot tests (sourced by tests/run.sh).
#
# A boot test is a shell function named test_NAME in tests/boot/*.sh. It boots
# a mote image on real Xen in QEMU with `boot`, then asserts on the serial log
# and on how the domain ended. Any failed assertion fails the test; the runner
# prints the log tail of failed tests.
#
#   boot ELF [ARGS...]     boot as dom0; sets BOOT_LOG (file) and BOOT_RC
#                          (0 poweroff, 1 reboot, 3 crash, 124 timeout,
#                          125 machine reset, 126 QEMU failed).
#                          Environment: DOM0_MEM, QEMU_MEM, TIMEOUT (default 60).
#   boot_icount ELF [ARGS...]
#                          boot under QEMU's -icount (ICOUNT_QEMU): the
#                          guest's clocks (TSC, HPET, PIT, RTC) follow the
#                          instructions it executes, not the host's time, so
#                          a timing assertion holds on a loaded host. Every
#                          test that asserts on time uses it (issue 27);
#                          with VCPUS > 1 it is a plain boot (see below).
#   boot_with_input INPUT READY ELF [ARGS...]
#                          boot, and once the log has a line matching READY
#                          (grep -E; lines still end in \r here) type the
#                          bytes of file INPUT into the serial port, in chunks
#                          of INPUT_CHUNK bytes (default 64) every INPUT_DELAY
#                          seconds (default 0.05): Xen keeps only 128 bytes
#                          of serial input for dom0 (SERIAL_RX_SIZE) and
#                          drops the rest if dom0 falls behind.
#   expect REGEX           the log has a line matching REGEX (grep -E)
#   expect_not REGEX       no line matches
#   expect_rc N            the boot ended with status N
#   fail MESSAGE           fail the test with a message

TEST_FAILURES=0

fail() {
    echo "  FAILED: $*"
    TEST_FAILURES=$((TEST_FAILURES + 1))
}

rc_name() {
    case $1 in
        0) echo poweroff ;; 1) echo reboot ;; 3) echo crash ;; 124) echo "timeout" ;;
        125) echo "machine reset" ;; 126) echo "qemu failure" ;; *) echo "status $1" ;;
    esac
}

next_boot_log() {
    BOOT_LOG="$LOG_DIR/${CURRENT_TEST}.log"
    [ -n "${BOOT_COUNT:-}" ] && BOOT_LOG="$LOG_DIR/${CURRENT_TEST}.$BOOT_COUNT.log"
    BOOT_COUNT=$(( ${BOOT_COUNT:-0} + 1 ))
}

boot() {
    local elf=$1
    shift
    next_boot_log
    TIMEOUT=${TIMEOUT:-60} "$TOP/scripts/qemu-dom0" "$elf" "$@" > "$BOOT_LOG" 2>&1 < /dev/null
    BOOT_RC=$?
    # Serial output has \r\n line ends; assertions want plain lines.
    sed -i 's/\r$//' "$BOOT_LOG"
    echo "  booted $(basename "$elf") $*: $(rc_name $BOOT_RC) (log: ${BOOT_LOG#$TOP/})"
}

# As bench/run.sh: shift=7 is 128 ns of virtual time per instruction;
# sleep=off lets an idle guest's clock jump to its next timer; the RTC
# follows virtual time from a fixed date (Xen reads it at boot).
ICOUNT_QEMU="-icount shift=7,sleep=off -rtc base=2026-01-01T00:00:00,clock=vm"

# One vCPU only: with VCPUS=2, QEMU runs the CPUs round-robin under icount,
# and boot_2vcpus_threads_sleep_interleave saw a sleep on the second vCPU
# wake over 50 ms of virtual time late (order aaaba), which it never does in
# real time; multi-vCPU timing tests stay on the host's time (not yet load
# independent).
boot_icount() {
    if [ "${VCPUS:-1}" != 1 ]; then
        boot "$@"
        return
    fi
    QEMU_EXTRA="${QEMU_EXTRA:+$QEMU_EXTRA }$ICOUNT_QEMU" boot "$@"
}

boot_with_input() {
    local input=$1 ready=$2 elf=$3
    shift 3
    next_boot_log
    local fifo="$BOOT_LOG.stdin" in pid
    rm -f "$fifo" && mkfifo "$fifo"
    TIMEOUT=${TIMEOUT:-60} "$TOP/scripts/qemu-dom0" "$elf" "$@" > "$BOOT_LOG" 2>&1 < "$fifo" &
    pid=$!
    # Held open until QEMU exits, so QEMU never sees end of input.
    exec {in}> "$fifo"
    (
        trap '' PIPE    # QEMU may exit while we type
        while kill -0 $pid 2>/dev/null && ! grep -Eq -- "$ready" "$BOOT_LOG"; do sleep 0.05; done
        local size chunk=${INPUT_CHUNK:-64} off=0
        size=$(stat -c %s "$input")
        while [ $off -lt "$size" ] && kill -0 $pid 2>/dev/null; do
            tail -c +$((off + 1)) "$input" | head -c "$chunk" >&$in || break
            off=$((off + chunk))
            sleep "${INPUT_DELAY:-0.05}"
        done
    )
    wait $pid
    BOOT_RC=$?
    exec {in}>&-
    rm -f "$fifo"
    sed -i 's/\r$//' "$BOOT_LOG"
    echo "  booted $(basename "$elf") $* with input $(basename "$input"): $(rc_name $BOOT_RC) (log: ${BOOT_LOG#$TOP/})"
}

expect() {
    grep -Eq -- "$1" "$BOOT_LOG" || fail "log has no line matching: $1"
}

expect_not() {
    grep -Eq -- "$1" "$BOOT_LOG" && fail "log has a line matching: $1"
    return 0
}

expect_rc() {
    [ "$BOOT_RC" = "$1" ] || fail "expected the boot to end with $(rc_name "$1"), got $(rc_name "$BOOT_RC")"
}

# --- domU tests: mote booted by xl in a Linux dom0 (scripts/qemu-domu).
#
#   boot_domu ELF ACTION [GUEST_ARGS]
#                          xl create ELF with scripts/mote.cfg, GUEST_ARGS as
#                          its command line, then run the dom0 shell script
#                          ACTION (text; GUEST_NAME, DOMID and the helpers of
#                          scripts/domu/helpers.sh are available). Sets
#                          BOOT_LOG, GUEST_LOG (the guest console, prefix
#                          removed) and BOOT_RC (the action's exit status,
#                          124 timeout, 125 dom0 failure, 126 QEMU failure).
#                          Environment: DOMU_CFG (an xl config instead of
#                          scripts/mote.cfg), DOMU_PREPARE (dom0 script text
#                          run before xl create: disk images).
#   expect_guest REGEX     the guest console has a line matching REGEX
#   expect_action REGEX    the action's output has a line matching REGEX

boot_domu() {
    local elf=$1 action=$2
    BOOT_LOG="$LOG_DIR/${CURRENT_TEST}.log"
    GUEST_LOG="$LOG_DIR/${CURRENT_TEST}.guest.log"
    printf '%s\n' "$action" > "$LOG_DIR/${CURRENT_TEST}.action.sh"
    local prepare=
    if [ -n "${DOMU_PREPARE:-}" ]; then
        prepare=$LOG_DIR/${CURRENT_TEST}.prepare.sh
        printf '%s\n' "$DOMU_PREPARE" > "$prepare"
    fi
    PREPARE=$prepare GUEST_EXTRA=${3:-} TIMEOUT=${TIMEOUT:-120} "$TOP/scripts/qemu-domu" "$elf" \
        "${DOMU_CFG:-$TOP/scripts/mote.cfg}" "$LOG_DIR/${CURRENT_TEST}.action.sh" > "$BOOT_LOG" 2>&1 < /dev/null
    BOOT_RC=$?
    # Lines from dom0 programs pass two tty layers: \r\r\n.
    sed -i 's/\r*$//' "$BOOT_LOG"
    sed -n 's/^guest| //p' "$BOOT_LOG" > "$GUEST_LOG"
    echo "  xl create $(basename "$elf") ${3:-}: action exit $BOOT_RC (log: ${BOOT_LOG#$TOP/})"
}

expect_guest() {
    grep -Eq -- "$1" "$GUEST_LOG" || fail "guest console has no line matching: $1"
}

expect_action() {
    grep -Eq -- "^mote-domu: action: $1" "$BOOT_LOG" || fail "action output has no line matching: $1"
}
