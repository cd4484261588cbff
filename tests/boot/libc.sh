# SPDX-License-Identifier: MIT
# The C library's kernel-facing parts on real Xen (tests/apps/libctest): the
# console under <stdio.h>, per-thread errno, assert and abort, the clocks.
# The pure functions are compared with glibc on the host (tests/unit/).

test_boot_dom0_libc_output() {
    boot "$TOP/build/libctest.elf" output
    expect_rc 0
    expect '^libctest: puts$'
    expect '^x$'
    expect '^libctest: fputs stdout$'
    expect '^libctest: fputs stderr$'
    expect '^libctest: fprintf 42 str 2.50 1.000000e-10$'
    expect '^libctest: sprintf "18446744073709551615 abcd 0.1" 29$'
    expect '^libctest: perror: No such file or directory$'
    expect '^libctest: strtod 0.10000000000000001 -1500$'
    expect '^libctest: printk 7 0.667 ok$'
    expect '^libctest: fputs to stdin -1 errno Bad file descriptor$'
}

# fgets and getchar on the console: "\r", "\n" and "\r\n" all end a line
# as "\n", a line longer than the buffer comes in pieces, Ctrl-D is EOF.
test_boot_dom0_libc_input() {
    local input="$LOG_DIR/$CURRENT_TEST.input"
    printf 'hello\rsecond line\na very long line beyond 15\r\nchars\nxy\004' > "$input"
    boot_with_input "$input" '^libctest: reading' "$TOP/build/libctest.elf" input
    expect_rc 0
    expect '^libctest: line 1 "hello" newline$'
    expect '^libctest: line 2 "second line" newline$'
    expect '^libctest: line 3 "a very long lin" no newline$'
    expect '^libctest: line 4 "e beyond 15" newline$'
    expect '^libctest: line 5 "chars" newline$'
    expect '^libctest: getchar 120 121$'
    expect '^libctest: eof after 5 lines, feof 1$'
}

test_boot_dom0_libc_errno_per_thread() {
    boot "$TOP/build/libctest.elf" errno
    expect_rc 0
    expect '^libctest: errno main Resource temporarily unavailable, a Invalid argument, b Numerical result out of range$'
}

test_boot_dom0_libc_assert() {
    boot "$TOP/build/libctest.elf" assert
    expect_rc 3
    expect '^mote: PANIC: assertion failed: two \+ 1 == 2 \(tests/apps/libctest/main.c:[0-9]+, main\)$'
}

test_boot_dom0_libc_abort() {
    boot "$TOP/build/libctest.elf" abort
    expect_rc 3
    expect '^mote: PANIC: abort\(\) called$'
}

test_boot_dom0_libc_time() {
    boot "$TOP/build/libctest.elf" time
    expect_rc 0
    expect '^libctest: time [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}, realtime - time = [01] s$'
    expect '^libctest: nanosleep\(1e9 ns\) = -1, Invalid argument$'
    expect '^libctest: clock_gettime\(99\) = -1, Invalid argument$'
}
