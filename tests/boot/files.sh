# SPDX-License-Identifier: MIT
# Files on the system call layer (posix/vfs.c, posix/ramfs.c): the RAM
# file system at / and /tmp, seen by tests/apps/files, a POSIX program.

test_boot_dom0_files_ramfs() {
    boot "$TOP/build/files.elf"
    expect_rc 0
    local check
    for check in fopen_w fclose fopen_r append o_excl write lseek pread pwrite_hole fstat \
                 ftruncate writev cloexec shared_offset f_setfl dup2 mkdir readdir rmdir enoent \
                 rename unlink_open chdir openat root big_file; do
        expect "^files: $check ok\$"
    done
    expect '^files: 0 failures$'
    expect_not 'FAILED'
    expect_not '^mote: syscall: '
}

# A newc cpio archive with a nested directory, a file whose parents the
# archive does not list, and 16 KiB of numbered lines: into $LOG_DIR.
files_ramdisk() {
    local dir="$LOG_DIR/$CURRENT_TEST.ramdisk"
    rm -rf "$dir" && mkdir -p "$dir/etc/deep/er" "$dir/data"
    printf 'hello from the ramdisk\n' > "$dir/etc/motd"
    seq 1 3200 > "$dir/etc/deep/er/numbers.txt"
    printf 'no parent listed\n' > "$dir/data/orphan.txt"
    (cd "$dir" && { find . -path ./data -prune -o -print; echo data/orphan.txt; } \
        | cpio -o -H newc --quiet) > "$dir.cpio"
    echo "$dir.cpio"
}

# The lines the program printed between "files: cat PATH {" and "files: }".
cat_output() {
    sed -n "\\|^files: cat $2 {\$|,/^files: }\$/p" "$1" | sed '1d;$d'
}

test_boot_dom0_files_ramdisk() {
    local cpio
    cpio=$(files_ramdisk)
    RAMDISK=$cpio boot "$TOP/build/files.elf" cat /etc/deep/er/numbers.txt
    expect_rc 0
    expect '^  module       at 0x[0-9a-f]+, [0-9]+ bytes$'
    expect '^mote: ramdisk: 3 files, 14933 bytes unpacked at /$'
    cat_output "$BOOT_LOG" /etc/deep/er/numbers.txt | cmp -s - <(seq 1 3200) \
        || fail "numbers.txt differs from the archive's"
}

test_boot_domu_files_ramdisk() {
    local cpio
    cpio=$(files_ramdisk)
    RAMDISK=$cpio boot_domu "$TOP/build/files.elf" 'wait_gone 60' "cat /data/orphan.txt"
    expect_rc 0
    expect_guest '^mote: ramdisk: 3 files, 14933 bytes unpacked at /$'
    expect_guest '^no parent listed$'
    expect_guest '^mote: shutdown: poweroff$'
}
