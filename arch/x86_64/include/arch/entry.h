/* SPDX-License-Identifier: MIT */
/*
 * Assembly macros shared by the entry points Xen calls: the event upcall
 * (arch/x86_64/upcall.S) and the exception handlers.
 *
 * What Xen pushes (arch-x86/xen-x86_64.h; Xen's create_bounce_frame): it runs
 * the guest kernel with SYSRET-like transitions that clobber %rcx and %r11, so
 * it saves them on top of an ordinary x86 interrupt frame. Stack on entry,
 * higher addresses up:
 *
 *        +------------+
 *        |     ss     |
 *        |    rsp     |   interrupted stack pointer
 *        |   rflags   |   IF = !evtchn_upcall_mask of the interrupted code
 *        |     cs     |
 *        |    rip     |
 *        | error code |   only for exceptions that have one (#PF, #GP, ...)
 *        |    r11     |
 *  rsp-> |    rcx     |
 *        +------------+
 *
 * Each entry pops %rcx and %r11 back, pushes a 0 error code where Xen gave
 * none and the vector number, then SAVE_ALL pushes the general registers,
 * giving struct cpu_regs (arch/regs.h) at %rsp:
 *
 *        | ss rsp rflags cs rip |  iret frame
 *        |     error code       |
 *        |       vector         |
 *        | rdi rsi rdx rcx rax  |
 *        | r8 r9 r10 r11        |
 *        | rbx rbp r12 ... r15  |  <- %rsp = struct cpu_regs *
 *
 * Exceptions return through HYPERVISOR_iret (XEN_IRET below): Xen restores
 * evtchn_upcall_mask from the saved RFLAGS.IF in the same step as it
 * returns, so there is no window in which events are enabled but we are
 * still on the handler's frame. It costs one hypercall per return, which
 * is nothing for a trap. The event upcall, on every event's path, returns
 * with a direct iretq instead and handles that window itself (the critical
 * region in arch/x86_64/upcall.S); XEN_IRET is its fallback.
 */
#ifndef ARCH_ENTRY_H
#define ARCH_ENTRY_H

#include <xen/xen.h>

.macro SAVE_ALL
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
.endm

.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
.endm

/* Undo the stub's pushes: %rcx and %r11 back, a 0 error code if none. */
.macro ENTRY_FROM_XEN vector, has_error_code=0
        pop     %rcx
        pop     %r11
        .if \has_error_code == 0
        pushq   $0
        .endif
        pushq   $\vector
        SAVE_ALL
.endm

/*
 * Return to the frame at %rsp (struct cpu_regs) through HYPERVISOR_iret.
 * The hypercall page's iret stub pushes %rcx, %r11 and %rax itself and
 * expects [flags, rip, cs, rflags, rsp, ss] below them (struct iret_context);
 * flags = 0 (not VGCF_in_syscall) asks Xen to restore %rcx and %r11 too.
 */
.macro XEN_IRET
        RESTORE_ALL
        add     $16, %rsp               /* vector, error code */
        pushq   $0                      /* iret_context.flags */
        jmp     hypercall_page + __HYPERVISOR_iret * 32
.endm

#endif
