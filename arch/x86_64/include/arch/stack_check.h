/* SPDX-License-Identifier: MIT */
/*
 * Stack overflow checks: every C function of mote is compiled with
 * -fsplit-stack (Makefile), so its prologue compares the stack pointer it
 * is about to have with the word at %fs:0x70 (GCC's split-stack ABI on
 * x86-64, TARGET_THREAD_SPLIT_STACK_OFFSET) and calls __morestack when the
 * frame would go below it. mote never grows a stack: its __morestack
 * (arch/x86_64/stack_check.S) moves to this vCPU's emergency stack and
 * reports the overflow (kernel/traps.c, do_stack_overflow).
 *
 * Why not the guard page alone: on a 64-bit PV guest running in kernel mode
 * Xen writes the exception frame onto the faulting stack itself (Xen's
 * create_bounce_frame, "In kernel context already: push new frame at
 * existing %rsp"; a PV guest has no IST). When that stack is the guard
 * page, the write faults inside Xen and the domain is crashed
 * (domain_crash_page_fault) before mote runs a single instruction. GCC's
 * -fstack-check and -fstack-clash-protection probe by moving %rsp first
 * (STACK_CHECK_MOVING_SP on Linux targets), so their fault comes with %rsp
 * inside the guard page too. The split-stack check is taken while the
 * stack still has STACK_CHECK_MARGIN bytes.
 *
 * Each vCPU's %fs base points STACK_CHECK_FS_LIMIT bytes below its struct
 * stack_check, so %fs:0x70 is `limit` and %fs:0x78 `emergency_top`. The
 * limit is the running thread's: arch_context_switch stores the next
 * thread's as it switches stacks. Used from C and assembly.
 */
#ifndef ARCH_STACK_CHECK_H
#define ARCH_STACK_CHECK_H

#define STACK_CHECK_FS_LIMIT     0x70
#define STACK_CHECK_FS_EMERGENCY 0x78

/* Room kept between the limit and the guard page: GCC lets a function with
 * a frame under 256 bytes compare %rsp itself (SPLIT_STACK_AVAILABLE), and
 * the frames Xen and the entry stubs push for an upcall or an exception
 * (about 200 bytes each, unchecked assembly) may come on top, as may
 * __morestack's own struct cpu_regs. */
#define STACK_CHECK_MARGIN 1024

/* Each vCPU's stack for reporting an overflow: printk and the backtrace
 * need far less than this. */
#define EMERGENCY_STACK_ORDER 1

#ifndef __ASSEMBLY__
struct stack_check {
    unsigned long limit;         /* %fs:0x70: lowest %rsp a frame may reach */
    unsigned long emergency_top; /* %fs:0x78: where __morestack moves to */
};

/* The boot vCPU's (arch/x86_64/stack_check.S), set up by head.S. */
extern struct stack_check boot_stack_check;

/* The limit for a stack whose lowest usable byte is `lo`. */
static inline unsigned long stack_check_limit(unsigned long lo)
{
    return lo + STACK_CHECK_MARGIN;
}

/* Points this vCPU's %fs at `sc` (HYPERVISOR_set_segment_base); the other
 * vCPUs get theirs in their first context (vcpu_guest_context.fs_base,
 * arch/x86_64/smp_boot.c). */
static inline unsigned long stack_check_fs_base(const struct stack_check *sc)
{
    return (unsigned long)sc - STACK_CHECK_FS_LIMIT;
}
#endif

#endif
