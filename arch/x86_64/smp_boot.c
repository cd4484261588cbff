/* SPDX-License-Identifier: MIT */
/*
 * Starting another vCPU: the register state it begins with
 * (VCPUOP_initialise, xen/vcpu.h, struct vcpu_guest_context of
 * arch-x86/xen.h), modelled on Linux's cpu_initialize_context
 * (arch/x86/xen/smp_pv.c).
 *
 * A new vCPU starts where a PV kernel already is on vCPU 0: in kernel mode
 * (VGCF_in_kernel) with Xen's flat selectors, on our page tables, with our
 * trap table and event callbacks, so it needs no start-of-day code of its
 * own. It enters smp_ap_entry(cpu) in C, with %gs pointing at its struct cpu.
 */
#include <arch/mm.h>
#include <arch/traps.h>
#include <hypercall.h>
#include <kernel.h>
#include <smp.h>
#include <string.h>
#include <xen_shared.h>

extern char hypervisor_callback[], failsafe_callback[];

/* One bring-up at a time (smp_init, hotplug under the toolstack's watch),
 * and too big for a stack: 5 KiB. */
static struct vcpu_guest_context ctxt;

long arch_cpu_initialise(struct cpu *c, void *stack_top)
{
    memset(&ctxt, 0, sizeof(ctxt));
    /* The failsafe callback masks events, as CALLBACKF_mask_events does
     * for vCPU 0 (kernel/events.c); no FPU state given (no VGCF_i387_valid),
     * so Xen starts it clean. */
    ctxt.flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    ctxt.user_regs.cs = FLAT_KERNEL_CS;
    ctxt.user_regs.ss = FLAT_KERNEL_SS;
    ctxt.user_regs.ds = FLAT_KERNEL_DS;
    ctxt.user_regs.es = FLAT_KERNEL_DS;
    ctxt.user_regs.rip = (unsigned long)smp_ap_entry;
    /* As if smp_ap_entry had been called: %rsp + 8 16-byte aligned, and
     * %rbp 0 (zeroed above) ends backtraces. */
    ctxt.user_regs.rsp = (unsigned long)stack_top - 8;
    ctxt.user_regs.rdi = (unsigned long)c;
    ctxt.user_regs.rflags = 0x2;        /* bit 1 is always set */

    /* trap_ctxt is indexed by vector (Xen copies it as the vCPU's IDT). */
    for (const struct trap_info *t = arch_trap_table(); t->address; t++)
        ctxt.trap_ctxt[t->vector] = *t;

    /* No GDT or LDT of our own: Xen's reserved GDT entries hold the flat
     * selectors, as on vCPU 0. */
    ctxt.kernel_ss = FLAT_KERNEL_SS;
    ctxt.kernel_sp = (unsigned long)stack_top;
    /* The L4 vCPU 0 runs on (pinned by the domain builder, start_info.pt_base). */
    ctxt.ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn((void *)start_info->pt_base));
    ctxt.event_callback_eip = (unsigned long)hypervisor_callback;
    ctxt.failsafe_callback_eip = (unsigned long)failsafe_callback;
    ctxt.gs_base_kernel = (unsigned long)c;

    return xen_call(vcpu_op, VCPUOP_initialise, c->id, &ctxt);
}
