# SPDX-License-Identifier: MIT
# Boot tests of the domain lifecycle under the real xl toolstack: xl sysrq
# (kernel/sysrq.c), xl mem-set (ballooning) and xl save / restore / migrate
# (suspend and resume). Each runs mote as a domU (scripts/qemu-domu) and
# asserts on both dom0's view (xl, xenstore) and the guest's console.

# The guest watches control/shutdown once it has advertised feature-poweroff.
LIFE_WAIT_GUEST='wait_key /local/domain/$DOMID/control/feature-poweroff 30'

# send_sysrq KEY: xl sysrq, then wait (10 s) until the guest has taken the
# key, which it shows by clearing control/sysrq; a second key written before
# that would coalesce with the first in the guest's watch queue.
LIFE_SYSRQ='send_sysrq() {
    xl sysrq "$GUEST_NAME" "$1"
    _tries=100
    until [ -z "$(xenstore-read /local/domain/$DOMID/control/sysrq 2>/dev/null)" ]; do
        _tries=$((_tries - 1))
        [ $_tries -gt 0 ] || { echo "guest never took sysrq $1"; return 1; }
        sleep 0.1
    done
    echo "sysrq $1 taken"
}'

test_boot_domu_sysrq() {
    boot_domu "$TOP/build/clock.elf" "$LIFE_WAIT_GUEST
$LIFE_SYSRQ
for key in t m e q x; do send_sysrq \$key; sleep 1; done
wait_log 'sysrq: keys:'
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"" "1000"
    expect_rc 0
    for key in t m e q x; do expect_action "sysrq $key taken$"; done
    # t: every thread with its state and a backtrace; the watch thread runs
    # the report, main sleeps in the clock's sleep_until (or was just woken).
    expect_guest '^sysrq: t: threads$'
    expect_guest '^sysrq: [0-9]+ threads \([0-9]+ created, [0-9]+ switches, [0-9]+ idle blocks\)$'
    expect_guest '^thread main: (waiting|runnable)$'
    expect_guest '^thread xenbus-watches: running$'
    expect_guest '^    #[0-9]+ +[0-9a-f]+ sleep_until\+0x'
    expect_guest '^    #[0-9]+ +[0-9a-f]+ sysrq_watch_fired\+0x'
    # m: the memory figures and the allocator's.
    expect_guest '^sysrq: m: memory$'
    expect_guest '^sysrq: memory: 8192 pages total, [0-9]+ free after boot'
    expect_guest '^  page allocator: [0-9]+ of 8192 pages free; free blocks by order: '
    expect_guest '^  heap: [0-9]+ bytes in use, [0-9]+ free in [0-9]+ arenas'
    # e: the bound ports: the console, xenstore and the timer VIRQ.
    expect_guest '^sysrq: e: event channels$'
    expect_guest '^port +[0-9]+: timer_virq'
    expect_guest '^port +[0-9]+: store_event'
    expect_guest '^port +[0-9]+: domu_event'
    # q: the clock's one-second timer.
    expect_guest '^sysrq: q: timers$'
    expect_guest '^sysrq: timers: 1 armed, now [0-9]+ ns$'
    expect_guest '^  next deadline [0-9]+ ns \(in [0-9]+ ns\), function [a-z_]+$'
    expect_guest '^  Xen single-shot timer set for [0-9]+ ns'
    # Unknown key: the help line.
    expect_guest "^sysrq: unknown key 'x'$"
    expect_guest '^sysrq: keys: t threads, m memory, e event channels, q timers, b reboot, o poweroff, c crash$'
    expect_guest '^mote: shutdown: poweroff$'
}

# wait_mem MIB: waits (30 s) until xl list shows the guest holding MIB.
LIFE_WAIT_MEM='wait_mem() {
    _end=$(( $(date +%s) + 30 ))
    until [ "$(xl list "$GUEST_NAME" | awk "NR == 2 { print \$3 }")" = "$1" ]; do
        [ "$(date +%s)" -lt $_end ] || { echo "xl list never showed $1 MiB"; xl list; return 1; }
        sleep 0.2
    done
    echo "xl list: $1 MiB"
}'

# xl mem-set down to half and back: dom0's figure (xl list, Xen's count of
# the domain's pages) and the guest's own agree at each step.
test_boot_domu_balloon_down_up() {
    boot_domu "$TOP/build/clock.elf" "$LIFE_WAIT_GUEST
$LIFE_SYSRQ
$LIFE_WAIT_MEM
wait_mem 32
xl mem-set \"\$GUEST_NAME\" 16
wait_mem 16
send_sysrq m
xl mem-set \"\$GUEST_NAME\" 32
wait_mem 32
send_sysrq m
sleep 1
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"" "1000"
    expect_rc 0
    expect_action 'xl list: 16 MiB$'
    expect_action 'xl list: 32 MiB$'
    expect_guest '^balloon: 8192 -> 4096 pages \(16384 KiB\), target 4096 pages, [0-9]+ free$'
    expect_guest '^  balloon: 4096 pages held, target 4096, 4096 given back to Xen$'
    expect_guest '^balloon: 4096 -> 8192 pages \(32768 KiB\), target 8192 pages, [0-9]+ free$'
    expect_guest '^  balloon: 8192 pages held, target 8192, 0 given back to Xen$'
    # The clock ran on through both (it prints every second).
    sed -n '/^balloon: 4096 -> 8192/,$p' "$GUEST_LOG" | grep -q '^clock: ' ||
        fail "the clock printed nothing after the balloon grew back"
    expect_guest '^mote: shutdown: poweroff$'
}
