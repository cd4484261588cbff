# SPDX-License-Identifier: MIT
# Boot tests of mote as a domU under the real xl toolstack (Linux dom0 from
# scripts/domu-stack.sh, booted by scripts/qemu-domu): xl create from the
# repo's scripts/mote.cfg, the xenstore client, and the toolstack's shutdown,
# reboot and destroy, and the console ring through xenconsoled. Assertions
# are made on both sides: dom0's (xl, xenstore-read, the console log file)
# and the guest's console, relayed to the serial line.

XSTEST=$TOP/build/xstest.elf

# The guest's xenstore client is up once it has advertised feature-poweroff
# (kernel/control.c writes it, then sets the control/shutdown watch).
WAIT_GUEST='wait_key /local/domain/$DOMID/control/feature-poweroff 30
echo "feature-poweroff=$(xenstore-read /local/domain/$DOMID/control/feature-poweroff)"
echo "feature-reboot=$(xenstore-read /local/domain/$DOMID/control/feature-reboot)"'

test_boot_domu_create_list() {
    boot_domu "$XSTEST" "$WAIT_GUEST
xl list | grep \"^\$GUEST_NAME \"
xl destroy \"\$GUEST_NAME\"" idle
    expect_rc 0
    expect '^mote-domu: \| mote +[1-9][0-9]* +32 +1 '
    expect_action 'mote +[1-9][0-9]* +32 +1 +[-rb]+ '
    # Written by the guest's xenstore client: it found its home and can write.
    expect_action 'feature-poweroff=1$'
    expect_action 'feature-reboot=1$'
    # The guest console, through the ring and xenconsoled.
    expect_guest '^mote 0\.1 on Xen 4\.17'
    expect_guest '^  flags        0 \(unprivileged domU\)$'
    expect_guest '^  domid        [1-9][0-9]*$'
    expect_guest '^  name         mote$'
    expect_guest '^xstest: idle$'
}

test_boot_domu_shutdown_poweroff() {
    boot_domu "$XSTEST" "$WAIT_GUEST
# Bounded: a guest ignoring the request would make xl wait forever.
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"
echo \"after: \$(xl list | grep -c \"^\$GUEST_NAME \" || true) domains named \$GUEST_NAME\"" idle
    expect_rc 0
    expect_action "Domain [0-9]+ has been shut down, reason code 0$"
    expect '^mote-domu: xl-log\| Domain [0-9]+ has shut down, reason code 0 0x0$'
    expect_action 'after: 0 domains named mote$'
    expect_guest '^control: shutdown request "poweroff"$'
    expect_guest '^mote: shutdown: poweroff$'
    # "Within a few seconds" of the request, on an emulated CPU.
    local took
    took=$(sed -n 's/^mote-domu: action: took \([0-9]*\) s: timeout 30 xl shutdown.*/\1/p' "$BOOT_LOG")
    [ -n "$took" ] && [ "$took" -le 10 ] || fail "xl shutdown -w took '${took:-?}' s (limit 10)"
}

test_boot_domu_reboot() {
    # on_reboot is xl's default, "restart": the domain comes back with a new id.
    boot_domu "$XSTEST" "$WAIT_GUEST
old=\$DOMID
xl reboot \"\$GUEST_NAME\"
tries=0
until [ \"\$(xl domid \"\$GUEST_NAME\" 2>/dev/null)\" != \"\" ] && [ \"\$(xl domid \"\$GUEST_NAME\")\" != \"\$old\" ]; do
    tries=\$((tries + 1)); [ \$tries -lt 100 ] || { echo 'no restarted domain'; exit 1; }
    sleep 0.1
done
echo \"restarted as domid \$(xl domid \"\$GUEST_NAME\") (was \$old)\"
xl destroy \"\$GUEST_NAME\"" idle
    expect_rc 0
    expect '^mote-domu: xl-log\| Domain [0-9]+ has shut down, reason code 1 0x1$'
    expect '^mote-domu: xl-log\| Action for shutdown reason code 1 is restart$'
    expect_action 'restarted as domid [0-9]+ \(was [0-9]+\)$'
    expect_guest '^control: shutdown request "reboot"$'
    expect_guest '^mote: shutdown: reboot$'
}

test_boot_domu_destroy() {
    boot_domu "$XSTEST" "$WAIT_GUEST
xl destroy \"\$GUEST_NAME\"
if xl list | grep \"^\$GUEST_NAME \"; then echo 'still listed'; exit 1; fi
echo destroyed" idle
    expect_rc 0
    expect_action 'destroyed$'
}

test_boot_domu_xenstore() {
    boot_domu "$XSTEST" 'wait_key /local/domain/$DOMID/data/xstest/watching 60
xenstore-write /local/domain/$DOMID/data/xstest/poke "from dom0"
wait_key /local/domain/$DOMID/data/xstest/done 60
for t in write_read missing_key directory_rm large_value transaction watch unwatch_waits unwatch_self; do
    echo "result $t: $(xenstore-read /local/domain/$DOMID/data/xstest/result/$t 2>&1)"
done
xl destroy "$GUEST_NAME"' xenstore
    expect_rc 0
    local t
    for t in write_read missing_key directory_rm large_value transaction watch unwatch_waits unwatch_self; do
        expect_action "result $t: pass$"
        expect_guest "^xstest: PASS $t$"
    done
    expect_guest '^xstest: 0 failed, 0 stray replies$'
}

# The watch table is shared by every vCPU: two threads pinned to vCPUs 0
# and 1 set a watch each at the same moment, 200 times, and never get the
# same id (each takes its slot under the table's lock).
test_boot_domu_xs_watch_race() {
    local cfg=$LOG_DIR/$CURRENT_TEST.cfg
    sed 's/^vcpus .*/vcpus   = 2/' "$TOP/scripts/mote.cfg" > "$cfg"
    DOMU_CFG=$cfg QEMU_EXTRA="-smp 2" TIMEOUT=${TIMEOUT:-300} boot_domu "$XSTEST" 'wait_gone 200' watch-race
    expect_rc 0
    expect_guest '^mote: smp: 2 of 2 vCPUs up$'
    expect_guest '^xstest: watch-race: 200 rounds, 0 with the same id twice, 0 failed$'
    expect_guest '^mote: shutdown: poweroff$'
}

# A reply must not be stranded when the thread it is for (here the watch
# thread, in a callback) finds the pump held by another: a test build
# (KCFLAGS) has xenbus_dispatch_watches hold the pump 1 s after its last
# look at the ring, and main calls it while the callback's read is answered. The holder looks
# again after letting go and delivers the reply.
test_boot_domu_xs_pump_strand() {
    local build=build/xs-pumpdelay out="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory BUILD=$build KCFLAGS=-DXENBUS_TEST_DISPATCH_HOLD_NS=1000000000 \
        APP=tests/kernels/xstest "$build/xstest.elf" > "$out" 2>&1 ||
        { fail "the pump-delay build failed"; tail -n 20 "$out"; return; }
    TIMEOUT=${TIMEOUT:-300} boot_domu "$TOP/$build/xstest.elf" 'wait_gone 200' pump-strand
    expect_rc 0
    expect_guest '^xstest: pump-strand: the watch thread.s read was answered$'
    expect_guest '^mote: shutdown: poweroff$'
}

# The 1 MiB pattern through the console ring and xenconsoled: every line
# arrives, in order, unaltered (no byte lost under back-pressure).
pattern_md5() {
    awk 'BEGIN { for (i = 0; i < 16384; i++) { s = "";
                 for (k = 0; k < 56; k++) s = s sprintf("%c", 97 + (i + k) % 26);
                 printf "bulk|%06d %s\n", i, s } }' | md5sum | cut -d' ' -f1
}

test_boot_domu_console_1mib() {
    boot_domu "$XSTEST" 'wait_log "^xstest: pattern done" 90
log=/var/log/xen/console/guest-$GUEST_NAME.log
echo "bulk lines: $(tr -d "\r" < "$log" | grep -c "^bulk|")"
echo "bulk md5: $(tr -d "\r" < "$log" | grep "^bulk|" | md5sum | cut -d" " -f1)"
xl destroy "$GUEST_NAME"' pattern
    expect_rc 0
    expect_guest '^xstest: pattern done$'
    expect_action 'bulk lines: 16384$'
    expect_action "bulk md5: $(pattern_md5)\$"
}

# An application that never thinks of xenstore (clock only sleeps and
# prints) still obeys xl shutdown: the kernel's watch thread runs the
# control/shutdown callback while the app sleeps.
test_boot_domu_shutdown_app_unaware() {
    boot_domu "$TOP/build/clock.elf" "$WAIT_GUEST
sleep 2
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"" 600
    expect_rc 0
    expect_action "Domain [0-9]+ has been shut down, reason code 0$"
    expect_guest '^clock: 1 '
    expect_guest '^control: shutdown request "poweroff"$'
    expect_guest '^mote: shutdown: poweroff$'
}

# An `xl shutdown` that arrives before the guest has run at all is honoured.
# The guest is created paused, the request written, then the guest let go:
# the kernel sets up toolstack control in a thread while main() runs
# (lifecycle/control.c), and the control/shutdown watch fires once
# when it is set, so the callback finds the request already there.
test_boot_domu_shutdown_early() {
    boot_domu "$XSTEST" "xl destroy \"\$GUEST_NAME\"
wait_gone 30
xl create -p /guest/guest.cfg >/dev/null
id=\$(xl domid \"\$GUEST_NAME\")
# xl waits for the guest to acknowledge (clear the node); it cannot while paused.
xl shutdown \"\$GUEST_NAME\" &
until [ \"\$(xenstore-read /local/domain/\$id/control/shutdown 2>/dev/null)\" = poweroff ]; do sleep 0.1; done
echo \"request before unpause: \$(xenstore-read /local/domain/\$id/control/shutdown)\"
xl unpause \"\$GUEST_NAME\"
wait
echo \"xl shutdown acknowledged\"
wait_gone 60" idle
    expect_rc 0
    expect_action 'request before unpause: poweroff$'
    expect_action 'xl shutdown acknowledged$'
    expect_action 'mote has ended$'
    expect '^mote-domu: xl-log\| Domain [0-9]+ has shut down, reason code 0 0x0$'
    expect_guest '^xstest: idle$'
    expect_guest '^control: shutdown request "poweroff"$'
    expect_guest '^mote: shutdown: poweroff$'
}

# The xsls example lists its own xenstore home as a domU: nodes libxl
# always writes (name) and ones mote wrote itself (control/feature-*).
# xsls ends by itself, and its xenstore home goes with it, so dom0 only
# waits for the end (waiting for a key first would race with the listing).
test_boot_domu_app_xsls() {
    boot_domu "$TOP/build/xsls.elf" "wait_gone 60"
    expect_rc 0
    expect_action 'mote has ended$'
    expect_guest '^xsls: /local/domain/[0-9]+$'
    expect_guest '^  name = "mote"$'
    expect_guest '^  control = ""$'
    expect_guest '^    feature-poweroff = "1"$'
    expect_guest '^mote: shutdown: poweroff$'
}

# Console input as a domU, end to end: dom0 writes to the guest's pty (its
# path is in xenstore, console/tty), xenconsoled copies the bytes into the
# ring's in[] and notifies, and the echo app writes each line back through
# out[]. A terminal ends lines with "\r", a pipe with "\n": both are sent.
test_boot_domu_app_echo() {
    local long
    long=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "%c", 97 + i % 26 }')
    boot_domu "$TOP/build/echo.elf" "wait_log '^echo: ready'
tty=\$(xenstore-read /local/domain/\$DOMID/console/tty)
echo \"guest tty: \$tty\"
printf 'typed in dom0\\r' > \"\$tty\"
printf '$long\\n' > \"\$tty\"
wait_log '^$long'
printf 'quit\\r' > \"\$tty\"
wait_gone 30"
    expect_rc 0
    expect_action 'guest tty: /dev/pts/[0-9]+$'
    expect_guest '^echo: ready \(console xen console ring\)'
    expect_guest '^typed in dom0$'
    expect_guest "^$long\$"
    expect_guest '^mote: shutdown: poweroff$'
    expect_action 'mote has ended$'
}

# Memory totals as a domU: nr_pages is the xl config's memory= in 4 KiB
# pages, and hello runs in the smallest domain tested, 4 MiB.
domu_memory() {  # domu_memory MIB
    sed "s/^memory *=.*/memory  = $1/" "$TOP/scripts/mote.cfg" > "$LOG_DIR/$CURRENT_TEST.cfg"
    DOMU_CFG="$LOG_DIR/$CURRENT_TEST.cfg" boot_domu "$TOP/build/mote.elf" "wait_gone 60"
    expect_rc 0
    expect_guest "^  nr_pages     $(( $1 * 256 )) \\("
    expect_action 'mote has ended$'
    expect_guest "^mote: memory: $(( $1 * 256 )) pages total, [1-9][0-9]* free, "
    expect_guest '^hello from mote$'
    expect_guest '^mote: shutdown: poweroff$'
}

test_boot_domu_memory_4M()  { domu_memory 4; }
test_boot_domu_memory_64M() { domu_memory 64; }

# The ordinary C program (apps/stats) as a domU: the same output through
# the console ring, and exit(0) ends the domain cleanly under xl.
test_boot_domu_app_stats() {
    boot_domu "$TOP/build/stats.elf" "wait_gone 60" "5 x 1 4"
    expect_rc 0
    expect_action 'mote has ended$'
    expect_guest '^stats: skipping "x": Invalid argument$'
    expect_guest '^stats: n=3 min=1 median=4.000 max=5 mean=3.333$'
    expect_guest '^stats: slept [0-9]+\.[0-9]{3} ms for 50 ms$'
    expect_guest '^stats: done$'
    expect_guest '^mote: shutdown: poweroff$'
}

# No watch event is lost (xenstore/xenstore.c, the watch queue). The
# guest's callback takes 500 ms; dom0 writes the watched node 100 times, one
# xenstore-write each (one xenstore-write of many values is one transaction,
# and fires the watch once). The callback must read the last value. Then
# dom0 writes again with `xl shutdown` running in the middle: with the old
# 8-entry queue such an event was dropped behind the burst (67 of 102 burst
# events were) and the guest could miss the shutdown; now nothing is dropped
# (identical events coalesce) and the guest powers off.
burst_writes() {  # burst_writes FIRST LAST: xenstore-write each value in turn
    printf 'i=%d; while [ $i -le %d ]; do xenstore-write /local/domain/$DOMID/data/xstest/burst $i; i=$((i + 1)); done\n' "$1" "$2"
}

test_boot_domu_watch_burst_and_shutdown() {
    boot_domu "$XSTEST" "wait_key /local/domain/\$DOMID/data/xstest/burst-ready 60
$(burst_writes 1 100)
wait_key /local/domain/\$DOMID/data/xstest/burst-done 60
$(burst_writes 1 50)
xl shutdown \"\$GUEST_NAME\" &
$(burst_writes 51 100) || true
wait
wait_gone 60" burst
    expect_rc 0
    expect_guest '^xstest: burst read 100 after [0-9]+ callbacks \(events [0-9]+, coalesced [1-9][0-9]*, dropped 0, queue max [0-9]+\)$'
    expect_guest '^control: shutdown request "poweroff"$'
    expect_guest '^mote: shutdown: poweroff$'
    expect_action "mote has ended$"
}

# A hostile reply (longer than XENSTORE_PAYLOAD_MAX) breaks the connection
# for good: the request that meets it, and every later one, fail with EIO
# at once instead of hanging or reading past the reply buffer, and the watch
# thread stops. The guest then powers itself off.
test_boot_domu_xenstore_broken_ring() {
    boot_domu "$XSTEST" 'wait_gone 60' broken
    expect_rc 0
    expect_guest '^xenbus: reply longer than XENSTORE_PAYLOAD_MAX; xenstore connection disabled$'
    expect_guest '^xstest: broken ring: read returned -5$'
    expect_guest '^xstest: broken ring: later write returned -5, available 0$'
    expect_guest '^xenbus: ring broken, watch thread stops$'
    expect_guest '^xstest: broken ring: done$'
    expect_guest '^mote: shutdown: poweroff$'
}

# Stack overflows as a domU (issue 27, defect 12): the guest's own report
# reaches its console ring, then xl sees a crash (reason code 3). Before the
# stack check Xen crashed the domain while pushing the #PF frame onto the
# guard page, and the console showed nothing.
#   expect_domu_stack_overflow THREAD FUNCTION
expect_domu_stack_overflow() {
    expect_rc 0
    expect_action 'mote has ended$'
    expect '^mote-domu: xl-log\| Domain [0-9]+ has shut down, reason code 3 0x3$'
    expect_guest "^mote: fault: stack overflow in thread $1\$"
    expect_guest "^  rip [0-9a-f]{16} $2\\+0x[0-9a-f]+\$"
    expect_guest '^  rsp [0-9a-f]{16} rflags [0-9a-f]{16} cs e030 ss [0-9a-f]{4}$'
    expect_guest "^    #1  [0-9a-f]{16} $2\\+0x[0-9a-f]+\$"
    expect_guest "^mote: crash: stack overflow in thread $1\$"
}

test_boot_domu_stack_overflow_app_main() {
    boot_domu "$TOP/build/stacktest.elf" "wait_gone 60" main
    expect_domu_stack_overflow main main
}

test_boot_domu_stack_overflow_thread() {
    boot_domu "$TOP/build/stacktest.elf" "wait_gone 60" runaway
    expect_domu_stack_overflow runaway recurse
}
