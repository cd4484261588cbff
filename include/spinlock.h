/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks for data shared between threads, event handlers and (later)
 * vCPUs: a test-and-set lock taken with event delivery masked on this vCPU,
 * so a handler cannot interrupt the holder and spin on the same lock.
 *
 * Hold one only for a few instructions and never across anything that
 * sleeps (a wait queue, a xenstore call). With one vCPU the lock is never
 * contended; the masking is what protects against handlers. Code written
 * with it stays correct when mote runs on several vCPUs.
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include <arch/atomic.h>
#include <xen_shared.h>

typedef struct {
    volatile unsigned int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

/* Masks events, takes the lock; returns the mask state for the unlock. */
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = local_irq_save();

    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            cpu_relax();
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    local_irq_restore(flags);
}

#endif
