/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks for data shared between threads, event handlers and (later)
 * vCPUs: a test-and-set lock taken with event delivery masked on this vCPU,
 * so a handler cannot interrupt the holder and spin on the same lock.
 *
 * Hold one only for a few instructions and never across anything that
 * sleeps (a wait queue, a xenstore call). The masking protects against
 * handlers on this vCPU, the lock against other vCPUs (kernel/smp.c).
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include <arch/atomic.h>
#include <xen_shared.h>

/* spinlock_t and SPINLOCK_INIT: the API (one definition for both sides). */
#include <mote/smp.h>

/* Takes the lock; for a caller that has masked events already. */
static inline void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            cpu_relax();
}

/* Masks events, takes the lock; returns the mask state for the unlock. */
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = local_irq_save();

    spin_lock(l);
    return flags;
}

/* Releases the lock and leaves delivery masked: for code that goes on to
 * block in Xen, which unmasks atomically with blocking. */
static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    local_irq_restore(flags);
}

#endif
