/* SPDX-License-Identifier: MIT */
/*
 * The shared info page and this vCPU's vcpu_info (xen.h, struct shared_info
 * and struct vcpu_info): event-channel bits, the per-vCPU upcall flags, and
 * time. Mapped by events_init() from start_info->shared_info.
 *
 * evtchn_upcall_mask is the PV "interrupt flag": while it is non-zero Xen
 * makes no event upcall to this vCPU (xen.h, struct vcpu_info). The
 * local_irq_* primitives below set and clear it; they are what every critical
 * section shared with an event handler uses.
 */
#ifndef XEN_SHARED_H
#define XEN_SHARED_H

#include <arch/barrier.h>
#include <arch/percpu.h>
#include <stdbool.h>
#include <xen_interface.h>

extern shared_info_t *shared_info;
/* The vcpu_info of the vCPU we run on is this_vcpu() (arch/percpu.h): each
 * vCPU has its own upcall mask and pending flags. */

/* The upcall mask below needs only barrier(): it is only read by Xen on
 * this CPU (xen.h: "the mask is only accessed by Xen on the CPU that is
 * currently hosting the VCPU"), so no fence, only that the compiler keeps
 * the order. */

/* Makes Xen check for pending events now: any hypercall does, on its way back. */
void events_force_callback(void);

static inline void local_irq_disable(void)
{
    this_vcpu()->evtchn_upcall_mask = 1;
    barrier();
}

static inline void local_irq_enable(void)
{
    barrier();
    this_vcpu()->evtchn_upcall_mask = 0;
    barrier();
    /* An event that arrived while masked raised no upcall: take it now. */
    if (this_vcpu()->evtchn_upcall_pending)
        events_force_callback();
}

/*
 * Returns the previous mask (non-zero: events were already masked). Before
 * events_init() maps the shared info page (this_vcpu() is NULL) no event callback
 * is registered, so nothing can interrupt: that counts as masked, and the
 * matching restore does nothing. This lets early boot code (mm_init) use
 * the page allocator, which masks.
 */
static inline unsigned long local_irq_save(void)
{
    if (!this_vcpu())
        return 1;
    unsigned long flags = this_vcpu()->evtchn_upcall_mask;

    local_irq_disable();
    return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
    if (!flags)
        local_irq_enable();
}

static inline bool local_irq_is_disabled(void)
{
    return this_vcpu()->evtchn_upcall_mask != 0;
}

#endif
