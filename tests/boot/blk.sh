# SPDX-License-Identifier: MIT
# Boot tests of blkfront (drivers/block/) through the real toolstack and
# Linux's xen-blkback in the test dom0: apps/blk reads and writes disks
# that xl gives the guest (`disk = [...]` in the config), and dom0 checks
# the same bytes on its side with dd and cmp. Images are files in dom0's
# RAM (/tmp), served through loop devices by the block hotplug script
# (scripts/domu/block). Offsets are random per run and logged.

BLK=$TOP/build/blk.elf

# blk_cfg DISK...: an xl config with these disk specs, in $DOMU_CFG.
blk_cfg() {
    local specs="" d
    for d in "$@"; do specs="$specs${specs:+, }'$d'"; done
    DOMU_CFG=$LOG_DIR/$CURRENT_TEST.cfg
    { cat "$TOP/scripts/mote.cfg"; echo "disk = [ $specs ]"; } > "$DOMU_CFG"
}

# Tests that run the guest several times in one dom0 boot get more than
# boot_domu's default 120 s: on a busy 2-core host one guest run can take 15 s.
BLK_MULTI_TIMEOUT=300

# dom0 side: extract COUNT 512-byte sectors at SECTOR of IMAGE to FILE.
BLK_HELPERS='sectors() { dd if="$1" bs=512 skip="$2" count="$3" 2>/dev/null > "$4"; }'

# dom0 writes 4 MiB of random data at a random offset; the guest copies it
# elsewhere on the disk; dom0 compares the two ranges: equal.
test_boot_domu_blk_copy() {
    local src=$(( RANDOM % 8192 )) dst=$(( 16384 + RANDOM % 8192 ))
    echo "  src $src dst $dst"
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE="dd if=/dev/zero of=/tmp/a.img bs=1M count=16 2>/dev/null
dd if=/dev/urandom of=/tmp/a.img bs=512 seek=$src count=8192 conv=notrunc 2>/dev/null
echo \"image \$(stat -c %s /tmp/a.img) bytes\"" \
    boot_domu "$BLK" "$BLK_HELPERS
wait_gone 60
sectors /tmp/a.img $src 8192 /tmp/src
sectors /tmp/a.img $dst 8192 /tmp/dst
cmp /tmp/src /tmp/dst && echo 'cmp: equal'
# Not all zeros: the copy really carried the random data.
echo \"non-zero source bytes: \$(tr -d '\\000' < /tmp/src | wc -c)\"
echo \"loop devices left: \$(losetup -a | wc -l)\"
# QEMU runs with -nic none: no network controller on the emulated PCI bus.
echo \"network controllers: \$(cat /sys/bus/pci/devices/*/class | grep -c '^0x02' || true)\"
echo \"pci devices: \$(ls /sys/bus/pci/devices | wc -l)\"" "copy $src $dst 8192"
    expect_rc 0
    expect '^mote-domu: prepare: image 16777216 bytes$'
    expect_guest '^blkfront: xvda: 32768 sectors of 512 bytes'
    expect_guest "^blk: copied 8192 sectors from $src to $dst\$"
    expect_guest '^mote: shutdown: poweroff$'
    expect_action 'cmp: equal$'
    expect_action 'non-zero source bytes: [1-9][0-9]{6}$'
    expect_action 'loop devices left: 0$'
    expect_action 'network controllers: 0$'
    expect_action 'pci devices: [1-9][0-9]*$'
}

# 4 MiB at a random offset: the guest fills it with a random byte, dom0
# finds exactly those bytes there and zeros around them; the guest verifies
# it; then dom0 changes one byte and the guest's verify names its sector.
test_boot_domu_blk_fill_verify() {
    local start=$(( 1 + RANDOM % 24000 )) byte=$(( 1 + RANDOM % 255 )) bad=$(( RANDOM % 8192 ))
    echo "  start $start byte $byte bad sector +$bad"
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=16 2>/dev/null' \
    TIMEOUT=${TIMEOUT:-$BLK_MULTI_TIMEOUT} boot_domu "$BLK" "$BLK_HELPERS
wait_gone 60
sectors /tmp/a.img $start 8192 /tmp/got
head -c 4194304 /dev/zero | tr '\\000' \"\\\\\$(printf %03o $byte)\" > /tmp/want
cmp /tmp/got /tmp/want && echo 'filled range: equal'
sectors /tmp/a.img $(( start - 1 )) 1 /tmp/before
sectors /tmp/a.img $(( start + 8192 )) 1 /tmp/after
echo \"non-zero bytes around it: \$(cat /tmp/before /tmp/after | tr -d '\\000' | wc -c)\"
run_guest verify $start 8192 $byte
printf '\\\\001' | dd of=/tmp/a.img bs=1 seek=\$(( ($start + $bad) * 512 + 100 )) conv=notrunc 2>/dev/null
run_guest verify $start 8192 $byte" "fill $start 8192 $byte"
    expect_rc 0
    expect_guest "^blk: filled 8192 sectors from $start with $(printf 0x%02x $byte)\$"
    expect_action 'filled range: equal$'
    expect_action 'non-zero bytes around it: 0$'
    expect_guest '^blk: verify ok$'
    expect_guest "^blk: verify FAILED at sector $(( start + bad ))\$"
    expect_guest '^mote: main returned 1$'
    expect_not 'mote: fault'
}

# Three disks at once: a writable file, a read-only file and a RAM-backed
# loop device with 4096-byte sectors. info matches what dom0 gave; the
# read-only disk refuses a write before sending it and its image is
# unchanged; reading past the end is an error, not a crash; a read's
# hexdump is dom0's `hexdump -C` of the same bytes.
test_boot_domu_blk_disks() {
    blk_cfg 'file:/tmp/a.img,xvda,w' 'file:/tmp/b.img,xvdb,r' 'phy:/dev/loop7,xvdc,w'
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=16 2>/dev/null
dd if=/dev/urandom of=/tmp/b.img bs=1M count=8 2>/dev/null
dd if=/dev/zero of=/tmp/c.img bs=1M count=4 2>/dev/null
/usr/sbin/losetup -b 4096 /dev/loop7 /tmp/c.img
echo "b.img md5 $(md5sum < /tmp/b.img)"' \
    TIMEOUT=${TIMEOUT:-$BLK_MULTI_TIMEOUT} boot_domu "$BLK" "wait_gone 60
run_guest -d xvdb info
run_guest -d 51744 info
run_guest -d xvdb fill 0 8 0xaa
echo \"b.img md5 \$(md5sum < /tmp/b.img)\"
run_guest read 32767 2
run_guest -d xvdb read 3 2
hexdump -C -s 1536 -n 1024 /tmp/b.img | sed 's/^/dom0 hexdump: /'
run_guest -d xvdc fill 5 3 0x5c
dd if=/tmp/c.img bs=4096 skip=5 count=3 2>/dev/null | tr -d '\\134' | wc -c | sed 's/^/xvdc other bytes: /'
dd if=/tmp/c.img bs=4096 skip=4 count=1 2>/dev/null | tr -d '\\000' | wc -c | sed 's/^/xvdc before: /'
tr -cd '\\134' < /tmp/c.img | wc -c | sed 's/^/xvdc 0x5c bytes in all: /'" info
    expect_rc 0
    expect_guest '^blkfront: xvda: 32768 sectors of 512 bytes'
    expect_guest '^blkfront: xvdb: 16384 sectors of 512 bytes, read-only'
    expect_guest '^blkfront: xvdc: 1024 sectors of 4096 bytes'
    expect_guest '^blk: xvda sectors=32768 sector_size=512 ro=0$'
    expect_guest '^blk: xvdb sectors=16384 sector_size=512 ro=1$'
    expect_guest '^blk: xvdc sectors=1024 sector_size=4096 ro=0$'
    # Read-only: refused in the guest, nothing changed in dom0.
    expect_guest '^block: xvdb: write refused: the disk is read-only$'
    expect_guest '^blk: write of sectors 0\+8 on xvdb failed: EROFS$'
    [ "$(grep -c '^mote-domu: .*b.img md5 ' "$BOOT_LOG")" = 2 ] && \
        [ "$(sed -n 's/^mote-domu: .*b.img md5 //p' "$BOOT_LOG" | sort -u | wc -l)" = 1 ] ||
        fail "b.img changed (or its md5 lines are missing)"
    # Past the end: an error with the disk's size, the guest exits non-zero.
    expect_guest '^block: xvda: read of sectors 32767\+2 refused: past the end \(32768 sectors\)$'
    expect_guest '^blk: read of sectors 32767\+2 on xvda failed: ERANGE$'
    expect_not 'mote: fault'
    # The hexdump of sectors 3-4 of xvdb is dom0's, line for line.
    diff <(sed -n 's/^mote-domu: action: dom0 hexdump: //p' "$BOOT_LOG") \
         <(grep -E '^([0-9a-f]{8}(  .*)?|\*)$' "$GUEST_LOG") > "$LOG_DIR/$CURRENT_TEST.hexdiff" ||
        fail "guest hexdump differs from dom0's (see ${LOG_DIR#$TOP/}/$CURRENT_TEST.hexdiff)"
    grep -qE '^00000600  ' "$GUEST_LOG" || fail "no hexdump lines from the guest"
    # 4096-byte sectors: sector 5 is bytes 20480-32767 of the image.
    expect_guest '^blk: filled 3 sectors from 5 with 0x5c$'
    expect_action 'xvdc other bytes: 0$'
    expect_action 'xvdc before: 0$'
    expect_action 'xvdc 0x5c bytes in all: 12288$'
}

BLKTEST=$TOP/build/blktest.elf

# `xl shutdown` of a guest with a disk connected: the guest closes it
# (Closing -> Closed) on its way out, and afterwards dom0 has no backend
# left for it in xenstore, no loop device, and no domain.
test_boot_domu_blk_xl_shutdown() {
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    boot_domu "$BLKTEST" 'wait_log "^blktest: idle" 60
echo "backend state before: $(xenstore-read /local/domain/0/backend/vbd/$DOMID/51712/state)"
echo "frontend state before: $(xenstore-read /local/domain/$DOMID/device/vbd/51712/state)"
timed timeout 30 xl shutdown -w "$GUEST_NAME"
# xl shutdown -w returns once the guest has shut down; the xl process that
# created it then destroys the domain and its devices: wait for that.
wait_gone 30
tries=100
while [ -n "$(xenstore-list /local/domain/0/backend/vbd/$DOMID 2>/dev/null)" ] && [ $tries -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
done
xenstore-ls /local/domain/0/backend 2>/dev/null | sed "s/^/left: /"
echo "vbd backends of the guest: $(xenstore-list /local/domain/0/backend/vbd/$DOMID 2>/dev/null | wc -l)"
echo "vbd backends in all: $(xenstore-ls /local/domain/0/backend 2>/dev/null | grep -c "^ *vbd" || true)"
echo "guest home: $(xenstore-read /local/domain/$DOMID/name 2>/dev/null || echo gone)"
echo "loop devices left: $(losetup -a | wc -l)"
echo "domains named mote: $(xl list | grep -c "^$GUEST_NAME " || true)"' idle
    expect_rc 0
    expect_guest '^blktest: disk 0: xvda \(51712\) 8192 sectors of 512$'
    expect_action 'backend state before: 4$'
    expect_action 'frontend state before: 4$'
    expect_guest '^control: shutdown request "poweroff"$'
    expect_guest '^blkfront: xvda: closed$'
    expect_guest '^mote: shutdown: poweroff$'
    expect_not 'did not close'
    # The backend unmapped every page before Closed.
    expect_not 'backend still maps'
    expect_action 'vbd backends of the guest: 0$'
    expect_action 'vbd backends in all: 0$'
    expect_action 'guest home: gone$'
    expect_action 'loop devices left: 0$'
    expect_action 'domains named mote: 0$'
}

# Many requests in flight: 16 asynchronous 256 KiB reads (6 ring requests
# each, more than the ring's 32 slots) complete, and match synchronous reads.
test_boot_domu_blk_async() {
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE='dd if=/dev/urandom of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    boot_domu "$BLKTEST" 'wait_gone 60' "async 16"
    expect_rc 0
    expect_guest '^blktest: async 16 requests done, 0 errors, 96 ring requests, 0 bad responses$'
    expect_guest '^blktest: async and sync reads: 0 of 16 differ$'
    expect_guest '^blktest: flush: ok$'
    expect_guest '^mote: shutdown: poweroff$'
}

# Backends that never appear or never connect: each wait ends with an
# error naming the device, and the real disk beside them still works.
test_boot_domu_blk_backend_timeouts() {
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    boot_domu "$BLKTEST" 'wait_key /local/domain/$DOMID/data/blktest/waiting 60
fe=/local/domain/$DOMID/device/vbd
be=/local/domain/0/backend/vbd/$DOMID
# 51728 (xvdb): a backend directory nobody ever creates.
xenstore-write $fe/51728/backend $be/51728 $fe/51728/backend-id 0 $fe/51728/state 1
# 51744 (xvdc): a backend stuck in InitWait (no blkback behind it).
xenstore-write $fe/51744/backend $be/51744 $fe/51744/backend-id 0 $fe/51744/state 1
xenstore-write $be/51744/state 2
# As libxl does: the guest owns its frontend nodes, and may read the backend.
xenstore-chmod -r $fe/51728 n$DOMID r0
xenstore-chmod -r $fe/51744 n$DOMID r0
xenstore-chmod -r $be/51744 n0 r$DOMID
xenstore-write /local/domain/$DOMID/data/blktest/go 1
wait_gone 90' probe
    expect_rc 0
    expect_guest '^xenbus: device/vbd/51728 \(xvdb\): backend /local/domain/0/backend/vbd/[0-9]+/51728 never appeared \(no state after 10 s\)$'
    expect_guest '^blkfront: xvdb: not connected$'
    expect_guest '^xenbus: device/vbd/51744 \(xvdc\): backend did not reach Connected within 10 s \(it is InitWait\)$'
    expect_guest '^blkfront: xvdc: not connected$'
    expect_guest '^blktest: 1 disks$'
    expect_guest '^blktest: disk 0: xvda \(51712\) 8192 sectors of 512$'
    expect_guest '^mote: shutdown: poweroff$'
}

# An error from the backend reaches the caller: dom0 shrinks the loop
# device under a connected disk, and blkback answers a read past its new
# end with BLKIF_RSP_ERROR (xen_vbd_translate), which the guest sees as EIO.
test_boot_domu_blk_backend_error() {
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    boot_domu "$BLKTEST" 'wait_key /local/domain/$DOMID/data/blktest/waiting 60
node=$(xenstore-read /local/domain/0/backend/vbd/$DOMID/51712/node)
truncate -s 2M /tmp/a.img
/usr/sbin/losetup -c $node
echo "$node now $(blockdev --getsz $node) sectors"
xenstore-write /local/domain/$DOMID/data/blktest/go 1
wait_gone 60' eio
    expect_rc 0
    expect_action '/dev/loop[0-9]+ now 4096 sectors$'
    expect_guest '^block: xvda: read of sectors 8191\+1 failed: EIO$'
    expect_guest '^blktest: read of sector 8191 after dom0 shrank the disk: EIO$'
    expect_guest '^blktest: read of sector 0: ok$'
    expect_guest '^mote: shutdown: poweroff$'
}

# Unplug: `xl block-detach` while the guest runs. The backend goes Closing,
# the guest closes the disk, and xl's detach completes with no backend left.
test_boot_domu_blk_detach() {
    blk_cfg 'file:/tmp/a.img,xvda,w'
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    boot_domu "$BLKTEST" 'wait_log "^blktest: idle" 60
timed timeout 30 xl block-detach "$GUEST_NAME" xvda
echo "vbd backends of the guest: $(xenstore-list /local/domain/0/backend/vbd/$DOMID 2>/dev/null | wc -l)"
echo "xl block-list: $(xl block-list "$GUEST_NAME" | tail -n +2 | wc -l) disks"
timed timeout 30 xl shutdown -w "$GUEST_NAME"' idle
    expect_rc 0
    expect_guest '^xenbus: device/vbd/51712 \(xvda\): the backend is closing the device$'
    expect_guest '^blkfront: xvda: closed$'
    expect_action 'took [0-9] s: timeout 30 xl block-detach'
    expect_action 'vbd backends of the guest: 0$'
    expect_action 'xl block-list: 0 disks$'
    expect_guest '^mote: shutdown: poweroff$'
    expect_not 'did not close'
}

# blk_smp_build NAME KCFLAGS: blktest built with test delays in
# build/NAME/blktest.elf, and a 2-vCPU config with xvda in $DOMU_CFG.
blk_smp_build() {
    local build=build/$1 out="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory BUILD=$build KCFLAGS="$2" \
        APP=tests/kernels/blktest "$build/blktest.elf" > "$out" 2>&1 ||
        { fail "the $1 build failed"; tail -n 20 "$out"; return 1; }
    blk_cfg 'file:/tmp/a.img,xvda,w'
    sed -i 's/^vcpus .*/vcpus   = 2/' "$DOMU_CFG"
}

# A synchronous read's completion never touches the waiter's stack after
# the waiter may have returned: a test build delays the completion by
# 100 ms in the event handler (vCPU 0) and the waiter's first look by 50 ms
# (a thread on vCPU 1), which then writes a non-canonical pattern over the
# stack the wait lived on. Completing by setting `done` first and waking
# after would walk that pattern and fault; done and the wake-up under the
# wait-queue lock (Linux complete()) never does.
test_boot_domu_blk_sync_race() {
    blk_smp_build blk-syncrace "-DBLOCK_TEST_COMPLETE_DELAY_NS=100000000 -DBLOCK_TEST_WAIT_DELAY_NS=50000000" ||
        return
    DOMU_PREPARE='dd if=/dev/urandom of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    QEMU_EXTRA="-smp 2" TIMEOUT=${TIMEOUT:-300} boot_domu "$TOP/build/blk-syncrace/blktest.elf" \
        'wait_gone 120' "sync-race 20"
    expect_rc 0
    expect_guest '^mote: smp: 2 of 2 vCPUs up$'
    expect_guest '^blktest: sync-race: 20 reads on vCPU 1, 0 errors$'
    expect_guest '^mote: shutdown: poweroff$'
    expect_not 'mote: crash'
}

# blk_detach_race BUILD KCFLAGS: blktest detach-race in that test build,
# dom0 detaching xvda while both writers write; each writer's write must
# end with ENODEV.
blk_detach_race() {
    blk_smp_build "$1" "$2" || return 1
    DOMU_PREPARE='dd if=/dev/zero of=/tmp/a.img bs=1M count=4 2>/dev/null' \
    QEMU_EXTRA="-smp 2" TIMEOUT=${TIMEOUT:-300} boot_domu "$TOP/build/$1/blktest.elf" \
        'wait_log "writer 1 writing" 60
sleep 2
timed timeout 30 xl block-detach "$GUEST_NAME" xvda
wait_gone 60
echo "loop devices left: $(losetup -a | wc -l)"' detach-race
    expect_rc 0
    expect_guest '^blktest: detach-race: writer 0 ended with ENODEV after [0-9]+ writes$'
    expect_guest '^blktest: detach-race: writer 1 ended with ENODEV after [0-9]+ writes$'
    expect_guest '^blktest: detach-race: both writers ended$'
    [ "$(grep -c '^blkfront: xvda: closed$' "$GUEST_LOG")" = 1 ] || fail "the disk was not closed exactly once"
    expect_guest '^mote: shutdown: poweroff$'
    expect_not 'mote: crash'
    expect_not 'did not close'
    expect_action 'loop devices left: 0$'
}

# xl block-detach while writers on vCPUs 0 and 1 write, in a test build
# that holds each between taking a ring slot and pushing it until the disk
# is marked closed and 20 s more, longer than the close takes (its two
# waits for the backend end after 5 s each). Each write ends with ENODEV:
# no writer pushes onto a ring already given back and then waits forever.
test_boot_domu_blk_detach_race() {
    blk_detach_race blk-detachrace "-DBLKFRONT_TEST_PUSH_AFTER_CLOSE_NS=20000000000" || return
    expect_guest '^block: xvda: write of sectors [0-9]+\+8 failed: ENODEV$'
}

# Two closes of the disk at once: a test build holds the backend's close
# (the watch thread, after xl block-detach) 3 s once it has marked the
# disk closed; meanwhile the writers' writes fail, main returns, and its
# shutdown closes the same disk. That close waits for the one under way
# instead of closing it a second time beside it.
test_boot_domu_blk_close_race() {
    blk_detach_race blk-closerace "-DBLKFRONT_TEST_CLOSE_DELAY_NS=3000000000" || return
    expect_guest '^blkfront: xvda: a close is under way; waiting for it$'
}
