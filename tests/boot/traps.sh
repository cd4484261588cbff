# SPDX-License-Identifier: MIT
# Boot tests for exceptions (include/traps.h): each fault scenario of the
# faults kernel (tests/kernels/faults) must produce a report naming the
# vector, the faulting function (from the built-in symbol table) and a
# backtrace down to main, then crash the domain; int3 must report and go on.

FAULTS=$TOP/build/faults.elf

# fault_report SCENARIO VECTOR NAME FUNCTION: boot, then the checks every
# fatal fault shares.
fault_report() {
    boot "$FAULTS" "$1"
    expect_rc 3
    expect "^faults: raising $1\$"
    expect "^mote: fault: $3 \\(vector $2\\), error code 0x[0-9a-f]+\$"
    expect "^  rip ffffffff8[0-9a-f]{7} $4\\+0x[0-9a-f]+\$"
    expect '^  rsp [0-9a-f]{16} rflags [0-9a-f]{16} cs e030 ss [0-9a-f]{4}$'
    expect '^  rax [0-9a-f]{16} rbx [0-9a-f]{16} rcx [0-9a-f]{16}$'
    expect '^  r13 [0-9a-f]{16} r14 [0-9a-f]{16} r15 [0-9a-f]{16}$'
    # Backtrace on the boot stack (main's thread): the faulting function,
    # then its caller main, then the boot path.
    expect '^  thread main, stack ffffffff8[0-9a-f]{7}-ffffffff8[0-9a-f]{7}$'
    expect "^    #0  ffffffff8[0-9a-f]{7} $4\\+0x[0-9a-f]+\$"
    expect '^    #1  ffffffff8[0-9a-f]{7} main\+0x[0-9a-f]+$'
    expect '^    #2  ffffffff8[0-9a-f]{7} start_kernel\+0x[0-9a-f]+$'
    expect "^mote: crash: $3 at $4\\+0x[0-9a-f]+"
    expect '^mote: shutdown: crash$'
    expect_not "^faults: $1 did not fault"
}

test_boot_dom0_fault_divide_by_zero() {
    fault_report divide 0 '#DE divide error' fault_divide
    expect '^mote: fault: #DE divide error \(vector 0\), error code 0x0$'
}

test_boot_dom0_fault_invalid_opcode() {
    fault_report ud2 6 '#UD invalid opcode' fault_ud2
}

test_boot_dom0_fault_null_dereference() {
    fault_report null 14 '#PF page fault' fault_null
    # CR2 from vcpu_info.arch.cr2, and error code 0: not present, read, kernel.
    expect '^mote: fault: #PF page fault \(vector 14\), error code 0x0$'
    expect '^  address 0x0: page not present, read, kernel mode$'
    expect '^mote: crash: #PF page fault at fault_null\+0x[0-9a-f]+: read of an unmapped page at 0x0$'
}

test_boot_dom0_fault_write_read_only() {
    fault_report readonly 14 '#PF page fault' fault_readonly
    # The .rodata word the kernel says it writes to: present, write.
    local addr
    addr=$(sed -n 's/^faults: writing to \(0x[0-9a-f]*\)$/\1/p' "$BOOT_LOG")
    [ -n "$addr" ] || fail "the faults kernel did not say where it writes"
    expect '^mote: fault: #PF page fault \(vector 14\), error code 0x3$'
    expect "^  address $addr: protection violation, write, kernel mode\$"
    expect "^mote: crash: #PF page fault at fault_readonly\\+0x[0-9a-f]+: write to a read-only page at $addr\$"
}

test_boot_dom0_fault_general_protection() {
    fault_report noncanon 13 '#GP general protection' fault_noncanonical
    expect '^  rax 8000000000000000 '
}

test_boot_dom0_fault_bad_iret() {
    fault_report badiret 13 '#GP general protection' fault_bad_iret
    # The error code names the bad SS selector: index 1 of the (absent) LDT.
    expect '^mote: fault: #GP general protection \(vector 13\), error code 0xc$'
    expect '^  error code: selector index 1 in the LDT$'
    expect '^  rsp [0-9a-f]{16} rflags [0-9a-f]{16} cs e030 ss 000f$'
}

test_boot_dom0_fault_corrupt_frame_pointer() {
    boot "$FAULTS" badframe
    expect_rc 3
    expect '^  rbp ffffffff8badf000 '
    expect '^    #0  ffffffff8[0-9a-f]{7} fault_bad_frame_pointer\+0x[0-9a-f]+$'
    expect '^    #1  ffffffff8[0-9a-f]{7} main\+0x[0-9a-f]+$'
    # The walk stops at the bad pointer instead of faulting on it.
    expect '^    \(frame pointer 0xffffffff8badf000 is outside the stack: stopped\)$'
    expect_not 'fault while reporting a fault'
    expect '^mote: crash: #UD invalid opcode at fault_bad_frame_pointer\+0x[0-9a-f]+$'
    expect '^mote: shutdown: crash$'
}

# int $3 is two bytes (0xcd 0x03): the report names its first byte (before,
# it named rip - 1 as for the one-byte int3: int_3_insn+0x1).
test_boot_dom0_fault_int_3_two_byte_continues() {
    boot "$FAULTS" int_3
    expect_rc 0
    expect '^mote: breakpoint at int_3_insn\+0x0$'
    expect '^faults: continued after int_3$'
}

test_boot_dom0_fault_int3_continues() {
    boot "$FAULTS" int3
    expect_rc 0
    expect '^mote: breakpoint at breakpoint\+0x0$'
    expect '^faults: continued after int3$'
    expect_not '^mote: crash'
    expect '^mote: shutdown: poweroff$'
}

# Xen's failsafe callback, for real: %es holds a selector from an LDT that has
# been taken away, and another vCPU runs in between, so Xen's load_segments
# fails to reload %es when switching back (see fault_failsafe in the faults
# kernel). Two dom0 vCPUs share QEMU's one physical CPU.
test_boot_dom0_fault_failsafe_callback() {
    XEN_EXTRA=dom0_max_vcpus=2 boot "$FAULTS" failsafe
    expect_rc 3
    expect '^faults: loading %es = 0xf from the LDT, then removing the LDT$'
    expect '^mote: fault: failsafe callback: Xen could not return to [a-z_]+\+0x[0-9a-f]+$'
    expect '^  es: Xen loaded 0xf, now 0x0  <- failed to load$'
    expect '^  ds: Xen loaded 0x0, now 0x0$'
    expect_not '^  (ds|fs|gs): .*failed to load'
    # Where the switch back happened varies (Xen may preempt before the
    # yields); it is always in or below fault_failsafe, called by main.
    expect '^    #[0-9] +ffffffff8[0-9a-f]{7} fault_failsafe\+0x[0-9a-f]+$'
    expect '^    #[2-9] +ffffffff8[0-9a-f]{7} main\+0x[0-9a-f]+$'
    expect '^mote: crash: failsafe callback: bad es selector 0xf at [a-z_]+\+0x[0-9a-f]+$'
    expect '^mote: shutdown: crash$'
}

# The same with event delivery enabled when Xen gives up: the failsafe
# callback is registered with CALLBACKF_mask_events, so Xen masks delivery
# on entry and no handler interleaves with the report (before, registered
# through set_callbacks with no flags, the report began unmasked: "NO").
test_boot_dom0_fault_failsafe_masks_events() {
    XEN_EXTRA=dom0_max_vcpus=2 boot "$FAULTS" failsafe unmasked
    expect_rc 3
    expect '^mote: fault: failsafe callback: Xen could not return to [a-z_]+\+0x[0-9a-f]+$'
    expect '^  event delivery masked on entry: yes$'
    expect '^mote: crash: failsafe callback: bad es selector 0xf at [a-z_]+\+0x[0-9a-f]+$'
}

# A fault on a thread's stack (from the page allocator, not the boot stack):
# the backtrace follows the thread's frames down to its start.
test_boot_dom0_fault_in_thread() {
    boot "$FAULTS" thread
    expect_rc 3
    expect '^mote: fault: #UD invalid opcode \(vector 6\), error code 0x0$'
    expect '^  thread faulter, stack ffff888[0-9a-f]{9}-ffff888[0-9a-f]{9}$'
    expect '^    #0  ffffffff8[0-9a-f]{7} fault_ud2\+0x[0-9a-f]+$'
    expect '^    #1  ffffffff8[0-9a-f]{7} faulting_thread\+0x[0-9a-f]+$'
    expect '^    #2  ffffffff8[0-9a-f]{7} thread_start\+0x[0-9a-f]+$'
    expect_not 'is outside the stack'
    expect '^mote: crash: #UD invalid opcode at fault_ud2\+0x[0-9a-f]+$'
}

# Stack overflows (arch/x86_64/include/arch/stack_check.h): on PV, Xen pushes
# the exception frame onto the faulting stack itself, so a guard-page fault
# alone crashed the domain with no report (issue 27, defect 12). The stack
# check in every prologue catches the overflow while the stack still has
# room, and the report comes from the vCPU's emergency stack.
#   expect_stack_overflow THREAD FUNCTION: the report's shared lines.
expect_stack_overflow() {
    expect_rc 3
    expect "^mote: fault: stack overflow in thread $1\$"
    expect "^  $2\\+0x[0-9a-f]+ wants a [0-9]+-byte frame at rsp [0-9a-f]{16}; the stack is [0-9a-f]{16}-[0-9a-f]{16}, checked down to [0-9a-f]{16}\$"
    expect "^  rip [0-9a-f]{16} $2\\+0x[0-9a-f]+\$"
    expect '^  rsp [0-9a-f]{16} rflags [0-9a-f]{16} cs e030 ss [0-9a-f]{4}$'
    expect '^  r13 [0-9a-f]{16} r14 [0-9a-f]{16} r15 [0-9a-f]{16}$'
    expect "^    #0  [0-9a-f]{16} $2\\+0x[0-9a-f]+\$"
    expect "^    #1  [0-9a-f]{16} $2\\+0x[0-9a-f]+\$"
    expect "^mote: crash: stack overflow in thread $1\$"
    expect '^mote: shutdown: crash$'
}

# expect_main_stack_bytes N: the report's "thread main, stack LO-HI" spans N.
expect_main_stack_bytes() {
    local span
    span=$(sed -n 's/^  thread main, stack \([0-9a-f]*\)-\([0-9a-f]*\)$/\1 \2/p' "$BOOT_LOG" |
           { read -r lo hi; echo $((0x$hi - 0x$lo)); })
    [ "$span" = "$1" ] || fail "main's stack is $span bytes, not $1"
}

# Kernel code on main's default stack: 64 KiB (linker.ld), guard page below.
test_boot_dom0_fault_stack_overflow_main() {
    boot "$FAULTS" overflow
    expect_stack_overflow main overflow_recurse
    expect '^  thread main, stack ffffffff8[0-9a-f]{7}-ffffffff8[0-9a-f]{7}$'
    expect_main_stack_bytes 65536
}

# An application (public API) whose main recurses into itself, with the
# 192 KiB main stack it sets (MOTE_MAIN_STACK_SIZE).
test_boot_dom0_fault_stack_overflow_app_main() {
    boot "$TOP/build/stacktest.elf" main
    expect_stack_overflow main main
    expect_main_stack_bytes 196608
}

# A thread recursing without bound on its own (page allocator) stack.
test_boot_dom0_fault_stack_overflow_thread() {
    boot "$TOP/build/stacktest.elf" runaway
    expect_stack_overflow runaway recurse
    expect '^  thread runaway, stack ffff888[0-9a-f]{9}-ffff888[0-9a-f]{9}$'
    expect '^    #[0-9]+ +[0-9a-f]{16} thread_start\+0x[0-9a-f]+$'
}

# The sizes an application sets are there to use: 150 KiB of frames in main
# (more than the default 64 KiB) and 100 KiB in a thread_create_sized thread.
test_boot_dom0_stack_sizes_app_set() {
    boot "$TOP/build/stacktest.elf" deep 150
    expect_rc 0
    expect '^stacktest: deep 150 KiB done$'
    boot "$TOP/build/stacktest.elf" thread 100
    expect_rc 0
    expect '^stacktest: thread 100 KiB done$'
}
