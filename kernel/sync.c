/* SPDX-License-Identifier: MIT */
/*
 * Sleeping locks on top of wait queues (include/thread.h): a mutex and a
 * counting semaphore. Each checks and changes its state under the wait
 * queues' lock (waitqueue_lock), which keeps out both event handlers
 * (semaphore_up) and threads on other vCPUs, and sleeps with it held, so a
 * wake-up cannot come between the check and the sleep.
 */
#include <printk.h>
#include <thread.h>

void mutex_lock(struct mutex *m)
{
    struct thread *self = thread_self();
    unsigned long flags = waitqueue_lock();

    if (m->owner == self)
        panic("thread %s locks a mutex it holds", thread_name(self));
    while (m->owner)
        waitqueue_sleep(&m->waiters);
    m->owner = self;
    waitqueue_unlock(flags);
}

void mutex_unlock(struct mutex *m)
{
    unsigned long flags = waitqueue_lock();

    if (m->owner != thread_self())
        panic("thread %s unlocks a mutex it does not hold", thread_name(thread_self()));
    m->owner = NULL;
    waitqueue_wake_one(&m->waiters);
    waitqueue_unlock(flags);
}

void semaphore_down(struct semaphore *s)
{
    unsigned long flags = waitqueue_lock();

    while (s->count == 0)
        waitqueue_sleep(&s->waiters);
    s->count--;
    waitqueue_unlock(flags);
}

void semaphore_up(struct semaphore *s)
{
    unsigned long flags = waitqueue_lock();

    s->count++;
    waitqueue_wake_one(&s->waiters);
    waitqueue_unlock(flags);
}
