# SPDX-License-Identifier: MIT
# Stack overflows in a program on musl (tests/apps/muslstack), whose %fs is
# musl's thread pointer: the check's limit at %fs:0x70 is a hint there,
# checked against the vCPU's (arch/x86_64/include/arch/stack_check.h, "A
# musl image"). Before, a musl image had no check and the overflow hit the
# guard page, where Xen crashed the domain with no report.
# expect_stack_overflow is tests/boot/traps.sh's.

test_boot_dom0_musl_stack_overflow_main() {
    boot "$TOP/build/muslstack.elf" main
    expect_stack_overflow main main
    expect_main_stack_bytes 262144
}

test_boot_dom0_musl_stack_overflow_pthread() {
    boot "$TOP/build/muslstack.elf" pthread
    expect_stack_overflow pthread recurse
    expect '^    #[0-9]+ +[0-9a-f]{16} run_program_thread\+0x[0-9a-f]+$'
}

# 200 KiB of main's 256 KiB and 150 KiB of a 192 KiB pthread stack are
# there to use: the check reports nothing short of the limit.
test_boot_dom0_musl_stack_deep() {
    boot "$TOP/build/muslstack.elf" deep
    expect_rc 0
    expect '^muslstack: deep ok$'
}

# pthread_exit writes the thread's result over the check's word: joins see
# PTHREAD_CANCELED, a pointer and NULL, and the TSD destructor run after it
# (a variadic call, snprintf) is not taken for an overflow.
test_boot_dom0_musl_stack_pthread_exit() {
    boot "$TOP/build/muslstack.elf" exit
    expect_rc 0
    expect '^muslstack: exit ok$'
}

test_boot_domu_musl_stack_overflow_main() {
    boot_domu "$TOP/build/muslstack.elf" "wait_gone 60" main
    expect_domu_stack_overflow main main
}

test_boot_domu_musl_stack_overflow_pthread() {
    boot_domu "$TOP/build/muslstack.elf" "wait_gone 60" pthread
    expect_domu_stack_overflow pthread recurse
}
