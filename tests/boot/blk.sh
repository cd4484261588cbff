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
echo \"loop devices left: \$(losetup -a | wc -l)\"" "copy $src $dst 8192"
    expect_rc 0
    expect '^mote-domu: prepare: image 16777216 bytes$'
    expect_guest '^blkfront: xvda: 32768 sectors of 512 bytes'
    expect_guest "^blk: copied 8192 sectors from $src to $dst\$"
    expect_guest '^mote: shutdown: poweroff$'
    expect_action 'cmp: equal$'
    expect_action 'non-zero source bytes: [1-9][0-9]{6}$'
    expect_action 'loop devices left: 0$'
}
