/* SPDX-License-Identifier: MIT */
/*
 * lwIP's operating-system layer on mote (lwIP's src/include/lwip/sys.h is
 * the contract): semaphores, mutexes and mailboxes with timeouts on mote's
 * wait queues and timers, threads on mote's threads, sys_now on the
 * monotonic clock, and SYS_ARCH_PROTECT.
 *
 * Waiting follows the kernel's own primitives (kernel/sync.c): the
 * condition is checked and the thread queued under the wait queues' lock
 * (waitqueue_lock, which also masks events), so no wake-up from a handler
 * or another vCPU is lost between the two. A timed wait arms a timer whose handler
 * wakes the queue; the waiter re-checks its condition and its deadline.
 */
#include <lwip/opt.h>
#include <lwip/sys.h>
#include <arch/atomic.h>
#include <printk.h>
#include <spinlock.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <timer.h>
#include <xen_shared.h>
#include <mote/time.h>

/* What a nested sys_arch_protect returns: the outermost call holds the
 * flags to restore. */
#define PROTECT_NESTED ((sys_prot_t)-1)

struct sys_sem {
    unsigned long count;
    struct waitqueue waiters;
};

struct sys_mbox {
    unsigned int size, head, count;
    void **msgs;
    struct waitqueue not_empty, not_full;
};

static void wake_waiters(struct timer *t, void *ctx)
{
    (void)t;
    waitqueue_wake_all(ctx);
}

/*
 * Sleeps on wq until ready(arg) (checked under the wait queues' lock) or, if
 * timeout_ms is not 0, until that many ms have passed. Returns the ms
 * waited, or SYS_ARCH_TIMEOUT; on success it returns with the lock still
 * held (*flags holds the state to restore), so the caller takes what it
 * waited for before anyone else can. The timer is armed and cancelled with
 * the lock dropped: timer_cancel waits for a wake_waiters running on
 * another vCPU, which takes that lock.
 */
static u32_t wait_for(struct waitqueue *wq, bool (*ready)(void *), void *arg, u32_t timeout_ms,
                      unsigned long *flags)
{
    uint64_t start = monotonic_ns();
    uint64_t deadline = start + (uint64_t)timeout_ms * NSEC_PER_MSEC;
    struct timer t;

    timer_init(&t, wake_waiters, wq);
    for (;;) {
        if (timeout_ms)
            timer_arm(&t, deadline);
        *flags = waitqueue_lock();
        while (!ready(arg) && !(timeout_ms && monotonic_ns() >= deadline))
            waitqueue_sleep(wq);
        if (!timeout_ms)
            break;
        bool was_ready = ready(arg);
        waitqueue_unlock(*flags);
        timer_cancel(&t);
        if (!was_ready)
            return SYS_ARCH_TIMEOUT;
        *flags = waitqueue_lock();
        if (ready(arg))
            break;
        /* Taken by another thread while the lock was dropped. */
        waitqueue_unlock(*flags);
        if (monotonic_ns() >= deadline)
            return SYS_ARCH_TIMEOUT;
    }
    uint64_t waited = (monotonic_ns() - start) / NSEC_PER_MSEC;
    /* SYS_ARCH_TIMEOUT is reserved for the timeout. */
    return waited >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)waited;
}

void sys_init(void)
{
}

u32_t sys_now(void)
{
    return (u32_t)(monotonic_ns() / NSEC_PER_MSEC);
}

/* SYS_ARCH_PROTECT guards lwIP's pools and pbuf reference counts. lwIP
 * nests it (sys.h: "may be called recursively"), so the lock is taken
 * once per thread and counted; it is held with events masked, and only
 * threads take it (netfront hands frames to lwIP from its rx thread, never
 * from an event handler). */
static spinlock_t protect_lock = SPINLOCK_INIT;
static struct thread *protect_owner;
static unsigned int protect_depth;

sys_prot_t sys_arch_protect(void)
{
    struct thread *self = thread_self();

    if (READ_ONCE(protect_owner) == self) {
        protect_depth++;
        return PROTECT_NESTED;
    }
    unsigned long flags = spin_lock_irqsave(&protect_lock);
    protect_owner = self;
    protect_depth = 1;
    return flags;
}

void sys_arch_unprotect(sys_prot_t pval)
{
    if (--protect_depth)
        return;
    protect_owner = NULL;
    spin_unlock_irqrestore(&protect_lock, pval);
}

/* ---- Semaphores and mutexes. ---- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    struct sys_sem *s = calloc(1, sizeof(*s));

    *sem = s;
    if (!s)
        return ERR_MEM;
    s->count = count;
    return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
    free(*sem);
    *sem = NULL;
}

void sys_sem_signal(sys_sem_t *sem)
{
    struct sys_sem *s = *sem;
    unsigned long flags = waitqueue_lock();

    s->count++;
    waitqueue_wake_one(&s->waiters);
    waitqueue_unlock(flags);
}

static bool sem_ready(void *arg)
{
    return ((struct sys_sem *)arg)->count > 0;
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
    struct sys_sem *s = *sem;
    unsigned long flags;
    u32_t waited = wait_for(&s->waiters, sem_ready, s, timeout, &flags);

    if (waited == SYS_ARCH_TIMEOUT)
        return waited;
    s->count--;
    /* Another waiter may find the count still above 0. */
    if (s->count)
        waitqueue_wake_one(&s->waiters);
    waitqueue_unlock(flags);
    return waited;
}

err_t sys_mutex_new(sys_mutex_t *mutex)
{
    return sys_sem_new(mutex, 1);
}

void sys_mutex_free(sys_mutex_t *mutex)
{
    sys_sem_free(mutex);
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
    sys_arch_sem_wait(mutex, 0);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
    sys_sem_signal(mutex);
}

/* ---- Mailboxes: bounded FIFOs of pointers. ---- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
    struct sys_mbox *b = calloc(1, sizeof(*b));

    *mbox = b;
    if (size <= 0)
        size = 64;
    if (!b || !(b->msgs = calloc((size_t)size, sizeof(void *)))) {
        free(b);
        *mbox = NULL;
        return ERR_MEM;
    }
    b->size = (unsigned int)size;
    return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
    struct sys_mbox *b = *mbox;

    if (b && b->count)
        printk("lwip: mailbox freed with %u messages in it\n", b->count);
    if (b)
        free(b->msgs);
    free(b);
    *mbox = NULL;
}

static bool mbox_has_room(void *arg)
{
    struct sys_mbox *b = arg;
    return b->count < b->size;
}

static bool mbox_has_msg(void *arg)
{
    return ((struct sys_mbox *)arg)->count > 0;
}

/* Under the wait queues' lock: puts msg in (there is room). */
static void mbox_put(struct sys_mbox *b, void *msg)
{
    b->msgs[(b->head + b->count) % b->size] = msg;
    b->count++;
    waitqueue_wake_one(&b->not_empty);
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
    unsigned long flags;

    wait_for(&(*mbox)->not_full, mbox_has_room, *mbox, 0, &flags);
    mbox_put(*mbox, msg);
    waitqueue_unlock(flags);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
    struct sys_mbox *b = *mbox;
    unsigned long flags = waitqueue_lock();
    err_t err = ERR_MEM;

    if (b->count < b->size) {
        mbox_put(b, msg);
        err = ERR_OK;
    }
    waitqueue_unlock(flags);
    return err;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
    return sys_mbox_trypost(mbox, msg);
}

/* Under the wait queues' lock: takes the oldest message (there is one). */
static void *mbox_get(struct sys_mbox *b)
{
    void *msg = b->msgs[b->head];

    b->head = (b->head + 1) % b->size;
    b->count--;
    waitqueue_wake_one(&b->not_full);
    if (b->count)
        waitqueue_wake_one(&b->not_empty);
    return msg;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
    unsigned long flags;
    u32_t waited = wait_for(&(*mbox)->not_empty, mbox_has_msg, *mbox, timeout, &flags);

    if (waited == SYS_ARCH_TIMEOUT)
        return waited;
    void *m = mbox_get(*mbox);
    waitqueue_unlock(flags);
    if (msg)
        *msg = m;
    return waited;
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
    struct sys_mbox *b = *mbox;
    unsigned long flags = waitqueue_lock();
    u32_t rc = SYS_MBOX_EMPTY;

    if (b->count) {
        void *m = mbox_get(b);
        if (msg)
            *msg = m;
        rc = 0;
    }
    waitqueue_unlock(flags);
    return rc;
}

/* ---- Threads. ---- */

struct thread_start {
    lwip_thread_fn fn;
    void *arg;
};

static int thread_trampoline(void *arg)
{
    struct thread_start start = *(struct thread_start *)arg;

    free(arg);
    start.fn(start.arg);
    return 0;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn thread, void *arg, int stacksize,
                            int prio)
{
    struct thread_start *start = malloc(sizeof(*start));

    (void)stacksize;
    (void)prio;
    if (!start)
        panic("lwip: no memory to start thread %s", name);
    start->fn = thread;
    start->arg = arg;
    struct thread *t = thread_create(name, thread_trampoline, start);
    if (!t)
        panic("lwip: cannot start thread %s", name);
    return t;
}
