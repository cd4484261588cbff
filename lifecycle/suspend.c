/* SPDX-License-Identifier: MIT */
/*
 * Suspend and resume (lifecycle/suspend.h has the hook contract).
 *
 * The PV protocol (xen/sched.h SHUTDOWN_suspend; Linux's
 * drivers/xen/manage.c and arch/x86/xen/suspend_pv.c; Mini-OS's
 * arch_pre_suspend/arch_post_suspend):
 *  - the toolstack writes control/shutdown = "suspend"; drivers/xenbus/
 *    control.c acknowledges it by clearing the node and calls us;
 *  - the save side reads our P2M through shared_info->arch (max_pfn and the
 *    frame list list) and every page table, turning machine frames into
 *    pfns: a mapping of a frame outside the P2M (shared info, grant-table
 *    frames) makes it fail, so those are unmapped first;
 *  - start_info's store_mfn and console.domU.mfn are read as pfns by the
 *    restore side, which writes the new domain's frames back (and the new
 *    ports and shared info address);
 *  - SCHEDOP_shutdown(SHUTDOWN_suspend) with start_info's mfn in the third
 *    argument returns 1 if the suspend was cancelled (xl save -c: the
 *    toolstack resumes this domain) or 0 in the new domain.
 */
#include <clock.h>
#include <events.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <smp.h>
#include <suspend.h>
#include <thread.h>
#include <xen_shared.h>

static struct suspend_hook *hooks, *hooks_last;
static unsigned long suspends;
static const char *refused;    /* why a suspend hook refused this suspend */

void suspend_hook_add(struct suspend_hook *hook)
{
    unsigned long flags = local_irq_save();

    hook->next = NULL;
    hook->prev = hooks_last;
    if (hooks_last)
        hooks_last->next = hook;
    else
        hooks = hook;
    hooks_last = hook;
    local_irq_restore(flags);
}

void suspend_init(void)
{
    /* The save side reads the P2M before it asks us to suspend (libxc's
     * x86_pv_setup maps it first), so it is published from the start. */
    unsigned long flags = local_irq_save();
    arch_suspend_publish_p2m();
    local_irq_restore(flags);
}

void suspend_refuse(const char *why)
{
    if (!refused)
        refused = why;
}

/* With delivery masked, after the suspend hooks: the suspend hypercall and
 * what must surround it. Returns what arch_suspend does. */
static int suspend_in_xen(void)
{
    struct suspend_hook *h;

    for (h = hooks_last; h; h = h->prev)
        if (h->suspend_masked)
            h->suspend_masked();
    arch_suspend_publish_p2m();
    xen_pfn_t store_mfn = start_info->store_mfn, console_mfn = start_info->console.domU.mfn;
    start_info_writable->store_mfn = mfn_to_pfn(store_mfn);
    start_info_writable->console.domU.mfn = mfn_to_pfn(console_mfn);
    /* From here until events_resume no printk: the console and the event
     * code read the shared info page, which is not mapped. */
    events_suspend();
    int rc = arch_suspend();
    bool new_domain = rc == 0;
    if (!new_domain) {
        /* Cancelled (or refused): the same frames, start_info untouched. */
        start_info_writable->store_mfn = store_mfn;
        start_info_writable->console.domU.mfn = console_mfn;
    }
    events_resume(new_domain);
    /* A new domain: new frames under the P2M, and a new shared info page
     * for the next save to find them in. */
    if (new_domain)
        arch_suspend_publish_p2m();
    return rc;
}

static const char *outcome(int rc)
{
    if (rc == -XEN_EBUSY && refused)
        return "cancelled before the suspend call, carried on";
    return rc < 0 ? "carried on" : rc == 0 ? "resumed in a new domain" : "cancelled, carried on";
}

int kernel_suspend(void)
{
    struct suspend_hook *h;

    /* On vCPU 0: the SMP hook takes the others down, and Xen saves and
     * resumes the vCPU that made the suspend call. The caller (the control
     * thread) runs unpinned again afterwards. */
    thread_set_affinity(thread_self(), 0);
    uint64_t before = monotonic_ns();
    printk("mote: suspend %lu: stopping\n", ++suspends);
    refused = NULL;
    for (h = hooks_last; h; h = h->prev)
        if (h->suspend)
            h->suspend();

    unsigned long flags = local_irq_save();
    /* A hook that could not stop its part (a vCPU still running would
     * touch the shared info page while it is unmapped, and come back in a
     * new domain with no vcpu_info): no suspend call, all resumed in place.
     * The pause is measured by our own clock, from before the masked hooks
     * until they have all resumed. */
    uint64_t stopped = monotonic_ns();
    int rc = refused ? -XEN_EBUSY : suspend_in_xen();
    bool new_domain = rc == 0;
    for (h = hooks; h; h = h->next)
        if (h->resume_masked)
            h->resume_masked(new_domain);
    uint64_t paused = monotonic_ns() - stopped;
    local_irq_restore(flags);

    if (refused)
        printk("mote: suspend %lu refused: %s; the toolstack's save fails\n", suspends, refused);
    else if (rc < 0)
        printk("mote: suspend %lu refused by Xen: %d\n", suspends, rc);
    for (h = hooks; h; h = h->next)
        if (h->resume)
            h->resume(new_domain);
    printk("mote: suspend %lu: %s, monotonic %llu -> %llu ns\n", suspends, outcome(rc),
           (unsigned long long)before, (unsigned long long)monotonic_ns());
    if (rc >= 0)
        printk("mote: suspend %lu: paused for %llu.%03llu ms\n", suspends,
               (unsigned long long)(paused / 1000000), (unsigned long long)(paused / 1000 % 1000));
    thread_set_affinity(thread_self(), -1);
    return rc;
}
