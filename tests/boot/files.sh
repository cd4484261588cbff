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
