# SPDX-License-Identifier: MIT
# Processes in user mode (include/user.h, <mote/process.h>): static Linux
# programs built by Debian's musl-gcc (tests/user/), run by
# tests/apps/usermode through the syscall callback, in their own page
# tables. A hostile one gets -EFAULT for every bad pointer it hands the
# kernel and is killed, with a report, for every bad access of its own;
# the kernel runs the next one each time.

USERMODE=$TOP/build/usermode.elf

test_boot_dom0_usermode_program() {
    boot "$USERMODE"
    expect_rc 0
    expect '^user: hello through write\(2\)$'
    expect '^user: pid 2 ppid 1 argc 3 \[/bin/hello\] \[one\] \[two\]$'
    expect '^user: env MOTE_TEST=usermode$'
    expect '^user: pagesz 4096 random yes phdr yes entry yes$'
    expect '^usermode: hello ended with status 7$'
    expect '^usermode: not an executable: -8$'
    expect '^usermode: kernel still running$'
}

# killed NAME SIGNAL WHAT: the report of attack NAME, then its status.
killed() {
    local status=$(( 128 + $2 ))
    expect "^mote: pid [0-9]+ \\(hostile\\) killed by $3: $4, rip 0x[0-9a-f]+\$"
    expect "^usermode: hostile $1 ended with status $status\$"
}

test_boot_dom0_usermode_hostile() {
    boot "$USERMODE"
    expect_rc 0
    local call
    for call in 'write\(1, kernel image\)' 'write\(1, direct map\)' 'write\(1, unmapped\)' \
                'write\(1, wrapping range\)' 'read\(0, kernel image\)' 'read\(0, own text\)' \
                'writev\(1, iov in kernel\)' 'writev\(1, iov to kernel\)' \
                'arch_prctl\(GET_FS, kernel\)' 'ioctl\(1, TIOCGWINSZ, kernel\)'; do
        expect "^hostile: $call = -14\$"
    done
    expect '^hostile: 0 wrong answers$'
    expect '^usermode: hostile calls ended with status 0$'
    killed read-kernel 11 SIGSEGV '#PF read \(not present\) at 0xffffffff80000000'
    killed write-kernel 11 SIGSEGV '#PF write \(not present\) at 0xffff888000001000'
    killed write-text 11 SIGSEGV '#PF write \(protection\) at 0x[0-9a-f]+'
    killed exec-data 11 SIGSEGV '#PF instruction fetch \(protection\) at 0x[0-9a-f]+'
    killed exec-kernel 11 SIGSEGV '#PF instruction fetch \(not present\) at 0xffffffff80000000'
    killed divide 8 SIGFPE '#DE divide error'
    killed null 11 SIGSEGV '#PF read \(not present\) at 0x0'
    killed ud2 4 SIGILL '#UD invalid opcode'
    killed int80 11 SIGSEGV '#GP general protection, error code 0x402'
    # The user registers follow each report; no kernel fault report.
    [ "$(grep -c '^  r13 [0-9a-f]\{16\} r14 [0-9a-f]\{16\} r15 [0-9a-f]\{16\}$' "$BOOT_LOG")" = 9 ] \
        || fail "not 9 register dumps"
    expect_not '^mote: fault:'
    expect_not 'survived'
    expect '^usermode: kernel still running$'
}
