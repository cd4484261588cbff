/* SPDX-License-Identifier: MIT */
/*
 * The kernel side of the application boundary (api/, docs/api.md).
 *
 * A public function is declared once, in its public header, which the
 * kernel header of the same area includes; the kernel's definitions see
 * that one prototype. Every public header is included here with those
 * kernel headers, so a kernel header that contradicts one fails this
 * file's compilation.
 * The few calls that are inline in the kernel have their out-of-line
 * application versions here.
 */
#include <mote.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <block.h>
#include <clock.h>
#include <console.h>
#include <events.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <spinlock.h>
#include <thread.h>
#include <timer.h>
#include <utc.h>
#include <xenbus.h>
#include <xen_shared.h>

/* local_irq_save/restore for applications (<mote/thread.h> names them so). */
unsigned long mote_local_irq_save(void);
void mote_local_irq_restore(unsigned long flags);

unsigned long mote_local_irq_save(void)
{
    return local_irq_save();
}

void mote_local_irq_restore(unsigned long flags)
{
    local_irq_restore(flags);
}

/* Spinlocks for applications (<mote/smp.h> names them so). */
unsigned long mote_spin_lock_irqsave(spinlock_t *l);
void mote_spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);

unsigned long mote_spin_lock_irqsave(spinlock_t *l)
{
    return spin_lock_irqsave(l);
}

void mote_spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock_irqrestore(l, flags);
}
