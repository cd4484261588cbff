/* SPDX-License-Identifier: MIT */
/*
 * Exception entry points (one per vector, named after it as XTF does) and the
 * failsafe callback: what Xen jumps to for a fault in mote, and when it could
 * not return to mote at all.
 *
 * arch/x86_64/traps.c registers the entry points with HYPERVISOR_set_trap_table;
 * kernel/events.c registers failsafe_callback (CALLBACKOP_register).
 * The frame Xen pushes and the struct cpu_regs the stubs build from it are
 * drawn in arch/x86_64/include/arch/entry.h.
 */
#include <arch/entry.h>
#include <arch/traps.h>

/*
 * Builds struct cpu_regs, calls do_trap(regs) (kernel/traps.c) and returns
 * to the interrupted code through HYPERVISOR_iret. do_trap returns only for
 * traps execution can continue after (#BP); the others end the domain.
 */
.macro TRAP_ENTRY name, vector, has_error_code
        .globl  entry_\name
        .type   entry_\name, @function
entry_\name:
        ENTRY_FROM_XEN \vector, \has_error_code
        /* The C ABI wants DF clear; the interrupted RFLAGS is in the frame. */
        cld
        mov     %rsp, %rdi              /* arg0: struct cpu_regs * */
        /* Align the stack for C, whatever Xen's frame alignment; %rbx is
         * saved in the frame and restored by XEN_IRET. */
        mov     %rsp, %rbx
        and     $~0xf, %rsp
        call    do_trap
        mov     %rbx, %rsp
        XEN_IRET
        .size   entry_\name, . - entry_\name
.endm

        .text
/* Vectors and which of them push an error code: Intel SDM vol. 3, table 6-1. */
TRAP_ENTRY DE, X86_EXC_DE, 0
TRAP_ENTRY DB, X86_EXC_DB, 0
TRAP_ENTRY BP, X86_EXC_BP, 0
TRAP_ENTRY OF, X86_EXC_OF, 0
TRAP_ENTRY BR, X86_EXC_BR, 0
TRAP_ENTRY UD, X86_EXC_UD, 0
TRAP_ENTRY NM, X86_EXC_NM, 0
TRAP_ENTRY DF, X86_EXC_DF, 1
TRAP_ENTRY TS, X86_EXC_TS, 1
TRAP_ENTRY NP, X86_EXC_NP, 1
TRAP_ENTRY SS, X86_EXC_SS, 1
TRAP_ENTRY GP, X86_EXC_GP, 1
TRAP_ENTRY PF, X86_EXC_PF, 1
TRAP_ENTRY MF, X86_EXC_MF, 0
TRAP_ENTRY AC, X86_EXC_AC, 1
TRAP_ENTRY MC, X86_EXC_MC, 0
TRAP_ENTRY XM, X86_EXC_XM, 0

/*
 * The failsafe callback. Xen bounces here when it cannot return to mote:
 * reloading a data segment register failed (Xen's load_segments, when it
 * switches this vCPU back in after another one ran). Older Xen also came here
 * when its IRET back to us faulted; Xen 4.17 delivers that as a #GP instead
 * (tests/kernels/faults, badiret). The frame, as Xen's create_bounce_frame
 * pushes it with TBF_FAILSAFE:
 *
 *        | ss rsp rflags cs rip |  where Xen wanted to return to
 *        |   gs  fs  es  ds     |  the selectors it tried to load (ds lowest)
 *        |     r11   rcx        |  <- %rsp
 *
 * The stub copies the five-word return frame below the selectors, so that
 * the usual struct cpu_regs can be built under it, and the selectors end up
 * just above that struct, where do_failsafe finds them:
 *
 *        | ss rsp rflags cs rip |  original (left in place)
 *        |   gs  fs  es  ds     |  = ((uint64_t *)(regs + 1))[0..3]
 *        | ss rsp rflags cs rip |  copy: struct cpu_regs' iret frame
 *        | error code 0, vector |
 *        | general registers    |  <- %rsp = struct cpu_regs *
 *
 * Each `pushq 64(%rsp)` copies the next lower word of the original frame:
 * the push moves %rsp down by 8 and the source is 8 lower, so the same
 * displacement walks ss, rsp, rflags, cs, rip.
 *
 * do_failsafe reports and crashes the domain: Xen has already given up on the
 * context it was returning to, and retrying could loop forever.
 */
        .globl  failsafe_callback
        .type   failsafe_callback, @function
failsafe_callback:
        pop     %rcx
        pop     %r11
        .rept   5
        pushq   64(%rsp)
        .endr
        pushq   $0                      /* error code */
        pushq   $FAILSAFE_VECTOR
        SAVE_ALL
        cld
        mov     %rsp, %rdi
        and     $~0xf, %rsp
        call    do_failsafe
        ud2                             /* do_failsafe does not return */
        .size   failsafe_callback, . - failsafe_callback
