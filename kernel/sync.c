/* SPDX-License-Identifier: MIT */
/*
 * Sleeping locks on top of wait queues (include/thread.h): a mutex and a
 * counting semaphore. Threads are cooperative, so "atomic" here means "with
 * event delivery masked", which keeps handlers (semaphore_up) out.
 */
#include <printk.h>
#include <thread.h>
#include <xen_shared.h>

void mutex_lock(struct mutex *m)
{
    struct thread *self = thread_self();

    if (m->owner == self)
        panic("thread %s locks a mutex it holds", thread_name(self));
    wait_event(&m->waiters, m->owner == NULL);
    m->owner = self;
}

void mutex_unlock(struct mutex *m)
{
    if (m->owner != thread_self())
        panic("thread %s unlocks a mutex it does not hold", thread_name(thread_self()));
    m->owner = NULL;
    waitqueue_wake_one(&m->waiters);
}

void semaphore_down(struct semaphore *s)
{
    unsigned long flags = local_irq_save();

    while (s->count == 0)
        waitqueue_sleep(&s->waiters);
    s->count--;
    local_irq_restore(flags);
}

void semaphore_up(struct semaphore *s)
{
    unsigned long flags = local_irq_save();

    s->count++;
    waitqueue_wake_one(&s->waiters);
    local_irq_restore(flags);
}
