/* SPDX-License-Identifier: MIT */
/*
 * The event upcall: where Xen enters mote when an event channel becomes
 * pending (registered with CALLBACKOP_register by events_init).
 *
 * Xen enters with event delivery masked on the interrupted stack, the frame
 * drawn in arch/x86_64/include/arch/entry.h. The masking is Xen's own doing
 * for the event callback: it bounces with TBF_INTERRUPT, and
 * create_bounce_frame (Xen's arch/x86/x86_64/entry.S) then sets
 * evtchn_upcall_mask, whatever flags the callback was registered with.
 * We save the registers and run the dispatcher in C.
 *
 * The return. xen-x86_64.h (HYPERVISOR_iret) lets a 64-bit PV kernel
 * return to itself without Xen, with `orb $3` on the saved CS and an
 * iretq: the kernel runs at CPL 3, and Xen shows its CS with RPL 0. That
 * saves the iret hypercall, a third of an event round trip's instructions
 * (bench/README.md). But iretq cannot restore evtchn_upcall_mask the way
 * HYPERVISOR_iret does, atomically with the return: we clear the mask
 * ourselves, and from then until the iretq an event may bounce a new upcall
 * onto this stack, a few words below the frame we are returning through.
 * That window is the critical region below (Mini-OS and 32-bit Linux have
 * the same one). Inside it every register already holds the interrupted
 * context's value and %rsp points at its iret frame, so an upcall that
 * interrupts it is an upcall of the interrupted context itself: the new
 * entry takes that iret frame as its own (replacing the one that points
 * into the region) and returns straight to where the first upcall would
 * have. Upcalls never nest, and the stack never grows by more than one
 * frame. An event already pending when the mask is cleared gave no upcall
 * (it came while masked): the region looks once, after clearing, masks
 * again and runs the dispatcher on the same frame.
 *
 * The direct return needs the flags at a fixed %gs offset, i.e. this
 * vCPU's vcpu_info placed in its struct cpu (VCPUOP_register_vcpu_info,
 * kernel/smp.c), and a context that had delivery enabled. Otherwise
 * (Xen refused the placement; while suspending, events_suspend parks
 * vcpu_info) it returns with HYPERVISOR_iret as before.
 */
#include <arch/entry.h>
#include <arch/percpu.h>
#include <arch/regs.h>

#define UPCALL_MASK    %gs:(PERCPU_VCPU_INFO_AREA + VCPU_INFO_UPCALL_MASK)
#define UPCALL_PENDING %gs:(PERCPU_VCPU_INFO_AREA + VCPU_INFO_UPCALL_PENDING)

        .text
        .globl  hypervisor_callback
        .type   hypervisor_callback, @function
hypervisor_callback:
        ENTRY_FROM_XEN EVENT_UPCALL_VECTOR
        /* Interrupted inside the return's critical region? Then return
         * through the frame that region was returning through. */
        xor     %esi, %esi              /* UPCALL_FROM_XEN */
        mov     CPU_REGS_RIP(%rsp), %rax
        sub     $upcall_critical_start, %rax
        cmp     $(upcall_critical_end - upcall_critical_start), %rax
        jae     upcall_dispatch
        mov     $UPCALL_TOOK_OVER_RETURN, %esi
        mov     CPU_REGS_RSP(%rsp), %rdx
        mov     0(%rdx), %rax
        mov     %rax, CPU_REGS_RIP(%rsp)
        mov     8(%rdx), %rax
        mov     %rax, CPU_REGS_CS(%rsp)
        mov     16(%rdx), %rax
        mov     %rax, CPU_REGS_RFLAGS(%rsp)
        mov     24(%rdx), %rax
        mov     %rax, CPU_REGS_RSP(%rsp)
        mov     32(%rdx), %rax
        mov     %rax, CPU_REGS_SS(%rsp)
upcall_dispatch:
        /* The bounce frame keeps the interrupted RFLAGS, DF included, and the
         * C ABI wants DF clear at every call: without this, a handler's rep
         * string instructions (memset of a buffer) run backwards. */
        cld
        mov     %rsp, %rdi              /* and %esi: how it entered */
        /* The interrupted code may have any stack alignment; C wants 16. */
        mov     %rsp, %rbx
        and     $~15, %rsp
        call    evtchn_do_upcall
        mov     %rbx, %rsp

        /* Direct return only to a context with delivery enabled, with
         * this vCPU's vcpu_info in its struct cpu. */
        testl   $X86_EFLAGS_IF, CPU_REGS_RFLAGS(%rsp)
        jz      2f
        mov     %gs:PERCPU_SELF, %rax
        add     $PERCPU_VCPU_INFO_AREA, %rax
        cmp     %gs:PERCPU_VCPU_INFO, %rax
        jne     2f
        orb     $3, CPU_REGS_CS(%rsp)
        orb     $3, CPU_REGS_SS(%rsp)
        RESTORE_ALL
        add     $16, %rsp               /* vector, error code */
        movb    $0, UPCALL_MASK
upcall_critical_start:
        /* xen.h: an event made pending while masked raised no upcall. */
        testb   $0xff, UPCALL_PENDING
        jnz     3f
        iretq
3:      movb    $1, UPCALL_MASK
upcall_critical_end:
        /* Masked again, on the same iret frame: dispatch once more. */
        pushq   $0                      /* error code */
        pushq   $EVENT_UPCALL_VECTOR
        SAVE_ALL
        mov     $UPCALL_RESCAN, %esi
        jmp     upcall_dispatch

2:      XEN_IRET
        .size   hypervisor_callback, . - hypervisor_callback
