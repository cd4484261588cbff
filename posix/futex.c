/* SPDX-License-Identifier: MIT */
/*
 * futex(2): the wait and wake under every musl lock, condition variable and
 * pthread_join. A waiter sleeps on one of FUTEX_BUCKETS wait queues, chosen
 * by the word's address; FUTEX_WAIT checks the word and goes to sleep under
 * the scheduler's lock (waitqueue_lock), so a FUTEX_WAKE that changes the
 * word first and then wakes cannot slip between the check and the sleep.
 *
 * A wake wakes every waiter of the bucket: those of other words sharing it
 * wake spuriously, which futex's contract allows (every caller re-checks its
 * word and waits again), so FUTEX_WAKE's result is how many it woke at most.
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE wake the waiters of both words instead
 * of moving them: early wakes again, allowed.
 */
#include <clock.h>
#include <errno.h>
#include <syscall.h>
#include <thread.h>
#include <timer.h>

#define FUTEX_BUCKETS 64
#define LINUX_FUTEX_WAIT 0
#define LINUX_FUTEX_WAKE 1
#define LINUX_FUTEX_REQUEUE 3
#define LINUX_FUTEX_CMP_REQUEUE 4
#define LINUX_FUTEX_PRIVATE 128
#define LINUX_FUTEX_CLOCK_REALTIME 256

static struct waitqueue buckets[FUTEX_BUCKETS];

static struct waitqueue *bucket_of(const int *uaddr)
{
    return &buckets[((unsigned long)uaddr >> 2) % FUTEX_BUCKETS];
}

static void wake_bucket(struct timer *t, void *ctx)
{
    (void)t;
    waitqueue_wake_all(ctx);
}

static long futex_wait(int *uaddr, int val, const struct linux_timespec *timeout)
{
    struct waitqueue *wq = bucket_of(uaddr);
    struct timer timer;
    uint64_t deadline = 0;
    long rc = 0;

    if (timeout) {
        if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000)
            return -EINVAL;
        deadline = monotonic_ns() + (uint64_t)timeout->tv_sec * 1000000000u +
                   (uint64_t)timeout->tv_nsec;
        timer_init(&timer, wake_bucket, wq);
        timer_arm(&timer, deadline);
    }
    unsigned long flags = waitqueue_lock();
    /* The deadline is checked under the lock too: a timer that fired
     * before the sleep found no one to wake. */
    if (__atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != val)
        rc = -EAGAIN;
    else if (timeout && monotonic_ns() >= deadline)
        rc = -ETIMEDOUT;
    else
        waitqueue_sleep(wq);
    waitqueue_unlock(flags);
    if (timeout) {
        timer_cancel(&timer);
        if (rc == 0 && monotonic_ns() >= deadline)
            rc = -ETIMEDOUT;
    }
    return rc;
}

static long futex_wake(int *uaddr, int count)
{
    if (count > 0)
        waitqueue_wake_all(bucket_of(uaddr));
    return count > 0 ? count : 0;
}

/* futex(2): FUTEX_WAIT (sleep while *uaddr == val, at most *timeout,
 * relative: 0, -EAGAIN when the word differs, -ETIMEDOUT), FUTEX_WAKE (wake
 * up to val waiters: the number), FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (as
 * wakes of both words; CMP_ first checks *uaddr == val3, else -EAGAIN),
 * with or without FUTEX_PRIVATE (one process: the same). -ENOSYS for the
 * other operations (PI locks, bitsets, WAKE_OP), which musl's pthreads only
 * use for priority-inheritance mutexes; -EINVAL for a bad timeout. */
long sys_futex(int *uaddr, int op, int val, const struct linux_timespec *timeout,
               int *uaddr2, int val3)
{
    switch (op & ~(LINUX_FUTEX_PRIVATE | LINUX_FUTEX_CLOCK_REALTIME)) {
    case LINUX_FUTEX_WAIT:
        return futex_wait(uaddr, val, timeout);
    case LINUX_FUTEX_WAKE:
        return futex_wake(uaddr, val);
    case LINUX_FUTEX_CMP_REQUEUE:
        if (__atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != val3)
            return -EAGAIN;
        /* fall through */
    case LINUX_FUTEX_REQUEUE:
        futex_wake(uaddr2, 1);
        return futex_wake(uaddr, val);
    default:
        return -ENOSYS;
    }
}
