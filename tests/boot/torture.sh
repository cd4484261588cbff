# SPDX-License-Identifier: MIT
# The torture test (issue 27): tests/kernels/torture as a domU with 4 vCPUs
# and a disk, for TORTURE_SECONDS (default 40; `make soak MINUTES=N` runs it
# for N minutes), while this dom0 action unplugs and plugs vCPUs (xl
# vcpu-set) and detaches and re-attaches the disk (xl block-detach/attach)
# in a loop. The guest checks itself at the end (no lost event, timer or
# watch event, no block data mismatch, no leaked grant or page) and says
# "torture: ok". QEMU gives Xen 2 CPUs (--ignore-host lets xl give the guest
# 4 vCPUs all the same, as in test_boot_domu_smp_hotplug).

TORTURE=$TOP/build/torture.elf
TORTURE_SECONDS=${TORTURE_SECONDS:-40}

# Each cycle: down to 1, 2 or 3 vCPUs and back to 4, and the disk goes and
# comes back; the guest runs on until 2 cycles are done (data/torture/cycles).
# After "torture: stopping": all as at the start.
TORTURE_ACTION='wait_log "^torture: ready" 120
xenstore-write /local/domain/$DOMID/data/torture/go 1
log=/var/log/xen/console/guest-$GUEST_NAME.log
disk="file:/tmp/t.img,xvda,w"
cycles=0; detached=0
while ! grep -q "^torture: stopping" "$log"; do
    cycles=$((cycles + 1))
    xl vcpu-set "$GUEST_NAME" $((cycles % 3 + 1)) || echo "vcpu-set down failed"
    sleep 1
    xl vcpu-set --ignore-host "$GUEST_NAME" 4 || echo "vcpu-set up failed"
    timeout 60 xl block-detach "$GUEST_NAME" xvda && detached=$((detached + 1)) ||
        echo "block-detach failed"
    sleep 0.5
    timeout 60 xl block-attach "$GUEST_NAME" "$disk" || echo "block-attach failed"
    xenstore-write /local/domain/$DOMID/data/torture/cycles $cycles
    sleep 1
done
xl vcpu-set --ignore-host "$GUEST_NAME" 4 || echo "vcpu-set up failed"
xl block-list "$GUEST_NAME" | grep -q "^51712 " || timeout 60 xl block-attach "$GUEST_NAME" "$disk" ||
    echo "block-attach failed"
xenstore-write /local/domain/$DOMID/data/torture/settled 1
echo "dom0: $cycles vcpu-set cycles, $detached disk detaches"
wait_gone 300'

torture_run() {  # torture_run SECONDS
    local cfg=$LOG_DIR/$CURRENT_TEST.cfg
    { sed 's/^vcpus .*/vcpus   = 4/' "$TOP/scripts/mote.cfg"
      echo "disk = [ 'file:/tmp/t.img,xvda,w' ]"; } > "$cfg"
    DOMU_CFG=$cfg QEMU_EXTRA="-smp 2" TIMEOUT=$(( $1 + 420 )) \
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/t.img bs=1M count=8 2>/dev/null' \
        boot_domu "$TORTURE" "$TORTURE_ACTION" "$1"
    expect_rc 0
    expect_action 'dom0: [1-9][0-9]* vcpu-set cycles, [1-9][0-9]* disk detaches$'
    expect_not 'vcpu-set (up|down) failed|block-(detach|attach) failed'
    expect_guest '^mote: smp: 4 of 4 vCPUs up$'
    expect_guest "^torture: running for $1 s on 4 vCPUs\$"
    expect_guest "^torture: $1 s, [1-9][0-9]* hotplug cycles\$"
    expect_guest '^torture: events: [1-9][0-9]* bind/send/close rounds'
    expect_guest '^torture: timers: [1-9][0-9]* arm/cancel operations'
    expect_guest '^torture: watches: [1-9][0-9]* watch/write/unwatch rounds'
    expect_guest '^torture: block: [1-9][0-9]* write\+read rounds, [0-9]+ ENODEV, [1-9][0-9]* detaches, [1-9][0-9]* reattaches'
    expect_guest '^torture: ok$'
    expect_guest '^mote: shutdown: poweroff$'
}

test_boot_domu_torture() {
    torture_run "$TORTURE_SECONDS"
}
