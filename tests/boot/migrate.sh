# SPDX-License-Identifier: MIT
# Boot tests of live migration: `xl migrate NAME localhost` inside the test
# stack's dom0, through scripts/domu/migrate-here (no ssh), on the
# hypervisor built with shadow paging (XEN=shadow, scripts/xen-shadow.sh):
# Debian's binary has no PV log-dirty mode, so no live migration.

MIGTEST=$TOP/build/migtest.elf

# The guest answers control/shutdown = "suspend" once it advertises feature-suspend.
MIGRATE_WAIT_GUEST='wait_key /local/domain/$DOMID/control/feature-suspend 30'

# wait_status_after_resume N: waits (60 s) until migtest has printed N
# status lines after the guest's resume line.
MIGRATE_WAIT_STATUS='wait_status_after_resume() {
    _end=$(( $(date +%s) + 60 ))
    until [ "$(sed -n "/resumed in a new domain/,\$p" /var/log/xen/console/guest-$GUEST_NAME.log |
               grep -c "^migtest: busy: [0-9]")" -ge "$1" ]; do
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
test_boot_domu_migrate_localhost_busy() {
    XEN=shadow TIMEOUT=${TIMEOUT:-400} boot_domu "$MIGTEST" "$MIGRATE_WAIT_GUEST
$MIGRATE_WAIT_STATUS
wait_log 'migtest: busy: [1-9][0-9]* passes' 120
old=\$DOMID
migrate_here
echo \"migrated: domid \$old -> \$DOMID, \$(xl list | grep -c \"^\$GUEST_NAME \") domains named \$GUEST_NAME\"
wait_log 'resumed in a new domain' 60
wait_status_after_resume 3
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"" "busy"
    expect_rc 0
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
    sed -n '/^mote-domu: action: xc: info: Saving domain/,/^guest| control: shutdown request "suspend"/p' \
        "$BOOT_LOG" | sed -n 's/^guest| migtest: busy: \([0-9]*\) passes.*/\1/p' > "$LOG_DIR/$CURRENT_TEST.live"
    awk 'NR == 1 { first = $1 } { last = $1 } END { exit !(last - first >= 2) }' "$LOG_DIR/$CURRENT_TEST.live" ||
        fail "the writer did not rewrite the buffer twice while the memory was copied live"
    busy_counts_after '^mote: suspend 1: resumed'
    ! grep -q 'migtest: busy: pass .* want ' "$GUEST_LOG" || fail "the writer found words it did not write"
    # Passes went on after the move (the writer checked the whole buffer
    # at least once more).
    awk 'NR > 1 && $1 > p { up++ } { p = $1 } END { exit up < 1 }' "$LOG_DIR/$CURRENT_TEST.busy" ||
        fail "the writer did not go on after the move"
    expect_guest '^mote: shutdown: poweroff$'
}
