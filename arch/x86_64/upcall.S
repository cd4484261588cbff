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
 * We save the registers, run the dispatcher in C, and return with
 * HYPERVISOR_iret, which restores
 * evtchn_upcall_mask from the saved RFLAGS.IF atomically with the return:
 * events re-enable only once we are off this frame, so a new upcall cannot
 * nest on top of a half-unwound one.
 *
 * Any event still pending at that point (one that arrived during the final
 * scan) is delivered by Xen straight after the iret, as a fresh upcall.
 */
#include <arch/entry.h>
#include <arch/regs.h>

        .text
        .globl  hypervisor_callback
        .type   hypervisor_callback, @function
hypervisor_callback:
        ENTRY_FROM_XEN EVENT_UPCALL_VECTOR
        /* The bounce frame keeps the interrupted RFLAGS, DF included, and the
         * C ABI wants DF clear at every call: without this, a handler's rep
         * string instructions (memset of a buffer) run backwards. */
        cld
        mov     %rsp, %rdi
        /* The interrupted code may have any stack alignment; C wants 16. */
        mov     %rsp, %rbx
        and     $~15, %rsp
        call    evtchn_do_upcall
        mov     %rbx, %rsp
        XEN_IRET
        .size   hypervisor_callback, . - hypervisor_callback

