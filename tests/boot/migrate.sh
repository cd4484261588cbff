# SPDX-License-Identifier: MIT
# Boot tests of live migration: `xl migrate NAME localhost` inside the test
# stack's dom0, through scripts/domu/migrate-here (no ssh), on the
# hypervisor built with shadow paging (XEN=shadow, scripts/xen-shadow.sh):
# Debian's binary has no PV log-dirty mode, so no live migration.

MIGTEST=$TOP/build/migtest.elf

# The guest answers control/shutdown = "suspend" once it advertises feature-suspend.
MIGRATE_WAIT_GUEST='wait_key /local/domain/$DOMID/control/feature-suspend 30'

# wait_status_after_resume N: waits (60 s) until migtest has printed N
# status lines after the guest's last resume line.
MIGRATE_WAIT_STATUS='wait_status_after_resume() {
    _end=$(( $(date +%s) + 60 ))
    until [ "$(awk "/resumed in a new domain/ { n = 0 } /^migtest: busy: [0-9]/ { n++ } END { print n + 0 }" \
               /var/log/xen/console/guest-$GUEST_NAME.log)" -ge "$1" ]; do
        [ "$(date +%s)" -lt $_end ] || { echo "fewer than $1 status lines after the resume"; return 1; }
        sleep 0.2
    done
}'

# The "migtest: busy: N passes, M mismatches, ..." lines after the line
# matching $1, as "N M" pairs, into $LOG_DIR/$CURRENT_TEST.busy.
busy_counts_after() {
    sed -n "/$1/,\$p" "$GUEST_LOG" |
        sed -n 's/^migtest: busy: \([0-9]*\) passes, \([0-9]*\) mismatches, .*/\1 \2/p' \
        > "$LOG_DIR/$CURRENT_TEST.busy"
}

# A guest rewriting an 8 MiB buffer (of 32 MiB) page after page moves to a
# new domain while it writes: log-dirty mode must send the pages it dirties
# again in later rounds, and the last round, with the guest paused, what is
# still dirty. The writer then finds every word as its last pass left it
# (0 mismatches) and goes on, and the guest says how long it was paused.
# Then, in the same dom0 boot (one boot for both: each costs a dom0 boot on
# the shadow-paging Xen), the receiver is killed mid-stream, while memory is
# copied live: xl migrate fails, and the guest runs on at the sender, in its
# own domain, under its own name, its buffer intact; it then moves for real.
test_boot_domu_migrate_localhost_busy() {
    XEN=shadow TIMEOUT=${TIMEOUT:-900} boot_domu "$MIGTEST" "$MIGRATE_WAIT_GUEST
$MIGRATE_WAIT_STATUS
wait_log 'migtest: busy: [1-9][0-9]* passes' 120
old=\$DOMID
migrate_here
echo \"migrated: domid \$old -> \$DOMID, \$(xl list | grep -c \"^\$GUEST_NAME \") domains named \$GUEST_NAME\"
wait_log 'resumed in a new domain' 60
wait_status_after_resume 3
old=\$DOMID
rm -f /tmp/migrate-here.pid
xl migrate -s migrate-here \"\$GUEST_NAME\" localhost > /tmp/mig.out 2>&1 &
mig=\$!
_tries=600
until grep -q 'Saving domain' /tmp/mig.out; do
    _tries=\$((_tries - 1)); [ \$_tries -gt 0 ] || { echo 'the save never started'; cat /tmp/mig.out; exit 1; }
    sleep 0.1
done
sleep 2
kill -9 \$(cat /tmp/migrate-here.pid)
echo 'receiver killed'
if wait \$mig; then echo 'xl migrate exit 0'; else echo \"xl migrate exit \$?\"; fi
cat /tmp/mig.out
echo \"after the failure: domid \$(xl domid \"\$GUEST_NAME\") (was \$old), \$(xl list | grep -c \"^\$GUEST_NAME \") domains named \$GUEST_NAME\"
# The killed receiver's half-made domain: the receiving host's to clean up.
xl list | grep -q \"^\$GUEST_NAME--incoming \" && xl destroy \"\$GUEST_NAME--incoming\"
lines=\$(grep -c 'migtest: busy: [0-9]' /var/log/xen/console/guest-\$GUEST_NAME.log)
sleep 3
echo \"status lines after the failure: \$(( \$(grep -c 'migtest: busy: [0-9]' /var/log/xen/console/guest-\$GUEST_NAME.log) - lines ))\"
migrate_here
wait_log 'suspend [23]: resumed in a new domain' 60
wait_status_after_resume 3
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"" "busy"
    expect_rc 0
    # The first move.
    expect_action 'migration sender: Target reports successful startup'
    expect_action 'migrated: domid ([0-9]+) -> ([0-9]+), 1 domains named mote$'
    grep -Eq '^mote-domu: action: migrated: domid ([0-9]+) -> \1,' "$BOOT_LOG" &&
        fail "the guest kept its domid: it did not move"
    expect_guest '^migtest: busy: rewriting 8 MiB \(2048 pages\)$'
    expect_guest '^control: shutdown request "suspend"$'
    expect_guest '^mote: suspend 1: resumed in a new domain, monotonic '
    expect_guest '^mote: suspend 1: paused for [0-9]+\.[0-9]{3} ms$'
    expect_monotonic_across_suspends
    busy_counts_after '^migtest: busy: rewriting'
    awk '$2 != 0 { bad++ } END { exit bad }' "$LOG_DIR/$CURRENT_TEST.busy" ||
        fail "the buffer did not hold what the writer wrote"
    # While log-dirty mode copied memory (from libxc's "Saving domain" to
    # the suspend request) the writer rewrote the whole buffer at least
    # twice: every page of it was dirtied again after being sent.
    sed -n '/^mote-domu: action: xc: info: Saving domain/,/^guest| control: shutdown request "suspend"/{p;/^guest| control: shutdown request "suspend"/q}' \
        "$BOOT_LOG" | sed -n 's/^guest| migtest: busy: \([0-9]*\) passes.*/\1/p' > "$LOG_DIR/$CURRENT_TEST.live"
    awk 'NR == 1 { first = $1 } { last = $1 } END { exit !(last - first >= 2) }' "$LOG_DIR/$CURRENT_TEST.live" ||
        fail "the writer did not rewrite the buffer twice while the memory was copied live"
    busy_counts_after '^mote: suspend 1: resumed'
    ! grep -q 'migtest: busy: pass .* want ' "$GUEST_LOG" || fail "the writer found words it did not write"
    # Passes went on after the move (the writer checked the whole buffer
    # at least once more).
    awk 'NR > 1 && $1 > p { up++ } { p = $1 } END { exit up < 1 }' "$LOG_DIR/$CURRENT_TEST.busy" ||
        fail "the writer did not go on after the move"
    # The move whose receiver was killed, and the one after it.
    expect_action 'receiver killed$'
    expect_action 'xl migrate exit [1-9][0-9]*$'
    expect_action 'Migration failed, resuming at sender'
    expect_action 'after the failure: domid ([0-9]+) \(was \1\), 1 domains named mote$'
    grep -Eq '^mote-domu: action: status lines after the failure: [1-9]' "$BOOT_LOG" ||
        fail "the guest did not run on after the failed migration"
    # After the failure a suspend that is the real move (a failure in the
    # live phase never asked the guest to suspend) or, if it came to that,
    # a cancelled one and then the real move.
    sed -n '/^mote-domu: action: receiver killed$/,$p' "$BOOT_LOG" > "$LOG_DIR/$CURRENT_TEST.killed"
    grep -q '^mote-domu: action: Migration successful' "$LOG_DIR/$CURRENT_TEST.killed" ||
        fail "no successful migration after the failed one"
    grep -Eq '^guest\| mote: suspend [23]: resumed in a new domain, monotonic ' "$LOG_DIR/$CURRENT_TEST.killed" ||
        fail "the guest did not resume in a new domain after the failed migration"
    expect_guest '^mote: shutdown: poweroff$'
}

# A TCP connection from dom0 to the guest (netecho) carries echo rounds
# before and after the move (netcheck tcphold, as in
# boot_domu_net_save_restore): the stream goes on from the same local
# port, netfront reconnects to the new domain's backend, ping answers.
test_boot_domu_migrate_localhost_tcp() {
    net_cfg "mac=$NET_MAC"
    XEN=shadow TIMEOUT=${TIMEOUT:-400} boot_domu "$NETECHO" 'wait_log "netecho: listening" 60
wait_key /local/domain/$DOMID/control/feature-suspend 30
rm -f /tmp/go1
netcheck tcphold 192.0.2.2 7 262144 /tmp/go1 > /tmp/hold.out 2>&1 &
hold=$!
_tries=600
until grep -q "^tcphold: round 1:" /tmp/hold.out; do
    _tries=$((_tries - 1)); [ $_tries -gt 0 ] || { echo "no echo round 1"; cat /tmp/hold.out; exit 1; }
    sleep 0.1
done
migrate_here
wait_log "resumed in a new domain" 60
touch /tmp/go1
if wait $hold; then echo "tcphold: exit 0"; else echo "tcphold: exit $?"; fi
cat /tmp/hold.out
ping -c 10 -i 0.2 -q 192.0.2.2 | grep "packets transmitted"
timed timeout 30 xl shutdown -w $GUEST_NAME' "mote.ip=192.0.2.2/24"
    expect_rc 0
    expect_action 'Migration successful'
    expect_action 'tcphold: exit 0$'
    local rounds='^mote-domu: action: tcphold: round [12]: 262144 echoed on port [0-9]+'
    [ "$(grep -cE "$rounds" "$BOOT_LOG")" = 2 ] || fail "not both echo rounds came back"
    [ "$(grep -E "$rounds" "$BOOT_LOG" | sed 's/.* port //' | sort -u | wc -l)" = 1 ] ||
        fail "the rounds were not on one connection"
    expect_guest '^mote: suspend 1: resumed in a new domain, monotonic '
    expect_guest '^mote: suspend 1: paused for [0-9]+\.[0-9]{3} ms$'
    expect_guest "^netfront: vif0: reconnected in the new domain, mac $NET_MAC, [0-9]+ tx slots in flight dropped\$"
    expect_action '10 packets transmitted, 10 packets received, 0% packet loss$'
    expect_guest '^netecho: tcp connection closed after 524288 bytes$'
    expect_net_clean_close
}

# A disk app writing and reading back xvda, 8 requests in flight at a time
# (blktest soak, as in boot_domu_blk_save_restore), moved while it works:
# blkfront reconnects to the new domain's backend and re-issues what was
# in flight; no request fails, no byte read back differs, passes go on.
# Then, in the same dom0 boot, it moves again with disk writes still in
# flight at the suspend, made certain as in boot_domu_blk_save_in_flight:
# the disk is a file on an ext4 file system in dom0 (frozen_disk_guest),
# frozen (fsfreeze) before this second move, so its writes wait in dom0's
# loop device through the live rounds and the suspend. It thaws once the
# guest has resumed in the new domain, whose blkfront has put them on the
# new backend's ring again: it says how many, the soak reads back every
# byte it wrote, and passes go on.
test_boot_domu_migrate_localhost_disk() {
    frozen_disk_guest
    XEN=shadow TIMEOUT=${TIMEOUT:-900} boot_domu "$TOP/build/blktest.elf" "$MIGRATE_WAIT_GUEST
wait_log 'blktest: soak: ' 60
sleep 2
migrate_here
wait_log 'suspend 1: resumed in a new domain' 60
sleep 4
busybox fsfreeze --freeze /mnt/frozen
echo 'frozen'
sleep 2
( wait_log 'suspend 2: resumed in a new domain' 300 && busybox fsfreeze --unfreeze /mnt/frozen && echo 'thawed' ) &
thaw=\$!
migrate_here
wait \$thaw
sleep 6
timed timeout 60 xl shutdown -w \"\$GUEST_NAME\"
wait_gone 60" "soak"
    expect_rc 0
    [ "$(grep -c '^mote-domu: action: Migration successful' "$BOOT_LOG")" = 2 ] || fail "not both moves succeeded"
    expect_action 'thawed$'
    expect_guest '^mote: suspend 1: resumed in a new domain, monotonic '
    expect_guest '^mote: suspend 1: paused for [0-9]+\.[0-9]{3} ms$'
    expect_guest '^mote: suspend 2: resumed in a new domain, monotonic '
    # The first move: up to the second suspend.
    sed '/^mote: suspend 2: /,$d' "$GUEST_LOG" > "$LOG_DIR/$CURRENT_TEST.move1"
    grep -Eq '^blkfront: xvda: reconnected in the new domain, [0-9]+ requests re-issued$' \
        "$LOG_DIR/$CURRENT_TEST.move1" || fail "no reconnect at the first move"
    GUEST_LOG=$LOG_DIR/$CURRENT_TEST.move1 expect_blktest_went_on soak 'the first move' 'suspend 1: resumed'
    # The second move, writes held in dom0.
    sed -n '/^mote: suspend 2: /,$p' "$GUEST_LOG" | grep -Eq \
        '^blkfront: xvda: reconnected in the new domain, [1-9][0-9]* requests re-issued$' ||
        fail "the second move re-issued no request"
    expect_blktest_went_on soak 'the second move' 'suspend 2: resumed'
    expect_guest '^mote: shutdown: poweroff$'
}

# Two vCPUs, a worker pinned to each calling the other every second
# (smptest suspend, as in boot_domu_smp_save_restore): vCPU 1 goes down for
# the move and is started afresh in the new domain; both workers tick on
# their own vCPUs after it, their calls answered.
test_boot_domu_migrate_localhost_smp() {
    DOMU_CFG=$LOG_DIR/$CURRENT_TEST.cfg
    sed 's/^vcpus .*/vcpus   = 2/' "$TOP/scripts/mote.cfg" > "$DOMU_CFG"
    XEN=shadow QEMU_EXTRA="-smp 2" TIMEOUT=${TIMEOUT:-400} boot_domu "$TOP/build/smptest.elf" "$MIGRATE_WAIT_GUEST
wait_log 'worker 1 tick 2 ' 60
migrate_here
wait_log 'resumed in a new domain' 60
wait_log 'vCPUs back in the new domain' 60
sleep 4
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"" "suspend"
    expect_rc 0
    expect_action 'Migration successful'
    expect_guest '^mote: smp: 2 of 2 vCPUs up$'
    expect_guest '^mote: suspend 1: resumed in a new domain, monotonic '
    expect_guest '^mote: suspend 1: paused for [0-9]+\.[0-9]{3} ms$'
    expect_guest '^mote: smp: 1 of 1 vCPUs back in the new domain$'
    expect_workers_tick 'suspend 1: resumed' 'the move'
    expect_guest '^mote: shutdown: poweroff$'
}
