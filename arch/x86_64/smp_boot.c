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
#include <page_alloc.h>
#include <smp.h>
#include <string.h>
#include <xen_shared.h>

extern char hypervisor_callback[], failsafe_callback[];

/* The context is 5 KiB: too big for a stack, and taken from the page
 * allocator for the call rather than kept in .bss, where every image,
 * single-vCPU ones too, would carry it. */
#define CTXT_ORDER 1
_Static_assert(sizeof(struct vcpu_guest_context) <= (PAGE_SIZE << CTXT_ORDER),
               "vcpu_guest_context fits its pages");

static long initialise(struct cpu *c, void *stack_top, struct vcpu_guest_context *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    /* The failsafe callback masks events, as CALLBACKF_mask_events does
     * for vCPU 0 (kernel/events.c); no FPU state given (no VGCF_i387_valid),
     * so Xen starts it clean. */
    ctx->flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.ds = FLAT_KERNEL_DS;
    ctx->user_regs.es = FLAT_KERNEL_DS;
    ctx->user_regs.rip = (unsigned long)smp_ap_entry;
    /* As if smp_ap_entry had been called: %rsp + 8 16-byte aligned, and
     * %rbp 0 (zeroed above) ends backtraces. */
    ctx->user_regs.rsp = (unsigned long)stack_top - 8;
    ctx->user_regs.rdi = (unsigned long)c;
    ctx->user_regs.rflags = 0x2;        /* bit 1 is always set */

    /* trap_ctxt is indexed by vector (Xen copies it as the vCPU's IDT). */
    for (const struct trap_info *t = arch_trap_table(); t->address; t++)
        ctx->trap_ctxt[t->vector] = *t;

    /* No GDT or LDT of our own: Xen's reserved GDT entries hold the flat
     * selectors, as on vCPU 0. */
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = (unsigned long)stack_top;
    /* The L4 vCPU 0 runs on (pinned by the domain builder, start_info.pt_base). */
    ctx->ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn((void *)start_info->pt_base));
    ctx->event_callback_eip = (unsigned long)hypervisor_callback;
    ctx->failsafe_callback_eip = (unsigned long)failsafe_callback;
    ctx->gs_base_kernel = (unsigned long)c;
    /* Every C function reads its stack limit through %fs (arch/stack_check.h). */
    ctx->fs_base = stack_check_fs_base(&c->stack_check);
#ifdef SMP_TEST_BAD_CONTEXT_CPU
    /* A test build (tests/boot/vcpus.sh) has Xen refuse this vCPU's first
     * context for real: arch_set_info_guest rejects a non-canonical entry
     * point with -EINVAL. */
    if (c->id == SMP_TEST_BAD_CONTEXT_CPU)
        ctx->user_regs.rip = 0x8000000000000000UL;
#endif

    return xen_call(vcpu_op, VCPUOP_initialise, c->id, ctx);
}

long arch_cpu_initialise(struct cpu *c, void *stack_top)
{
    struct vcpu_guest_context *ctxt = alloc_pages(CTXT_ORDER);
    if (!ctxt)
        return -XEN_ENOMEM;
    long rc = initialise(c, stack_top, ctxt);
    free_pages(ctxt, CTXT_ORDER);
    return rc;
}
