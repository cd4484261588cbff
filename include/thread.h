/*
 * Cooperative threads, wait queues and the scheduler (kernel/thread.c).
 *
 * Threads switch only when one yields, waits or exits; event handlers never
 * switch threads, they only wake them (waitqueue_wake_*), which makes them
 * runnable. When no thread is runnable the scheduler blocks the vCPU in Xen
 * (SCHEDOP_block) until an event arrives: that is the idle loop.
 *
 * main() runs as the first thread ("main", on the boot stack). Every other
 * thread gets a stack from the page allocator with an unmapped guard page
 * below it, so an overflow faults instead of corrupting memory.
 */
#ifndef THREAD_H
#define THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen_shared.h>

struct thread;
typedef int (*thread_fn)(void *arg);

/* A FIFO of waiting threads. Zero-initialised is empty. */
struct waitqueue {
    struct thread *head, *tail;
};

/* Starts fn(arg) in a new thread (runnable, runs when the caller yields or
 * waits). Returns NULL if there is no memory for its stack. */
struct thread *thread_create(const char *name, thread_fn fn, void *arg);
/* Lets every other runnable thread run once before the caller continues. */
void thread_yield(void);
/* Ends the calling thread; thread_join returns `value`. main's thread must
 * return from main instead (that ends the domain). */
__attribute__((noreturn)) void thread_exit(int value);
/* Waits for `t` to end, frees it, returns its exit value. Join each thread
 * exactly once. */
int thread_join(struct thread *t);
struct thread *thread_self(void);
const char *thread_name(const struct thread *t);
/* The stack `t` runs on, [*lo, *hi), guard page excluded, for fault reports
 * (backtraces check frame pointers against it). False for main's thread,
 * which runs on the boot stack (arch/x86_64/head.S). */
bool thread_stack(const struct thread *t, unsigned long *lo, unsigned long *hi);

/*
 * Sleeps on `wq` until woken. Call with event delivery masked
 * (local_irq_disable/save) after checking the condition you wait for, so a
 * wake-up cannot slip in between; returns with delivery still masked.
 */
void waitqueue_sleep(struct waitqueue *wq);
/* Make the first / every waiter runnable. Safe from event handlers. */
void waitqueue_wake_one(struct waitqueue *wq);
void waitqueue_wake_all(struct waitqueue *wq);

/* Sleeps on `wq` until `cond` holds; whoever makes it true wakes `wq`. */
#define wait_event(wq, cond)                                                \
    do {                                                                    \
        unsigned long flags__ = local_irq_save();                           \
        while (!(cond))                                                     \
            waitqueue_sleep(wq);                                            \
        local_irq_restore(flags__);                                         \
    } while (0)

/* A sleeping mutex (not recursive) and a counting semaphore. */
struct mutex {
    struct thread *owner;
    struct waitqueue waiters;
};
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

struct semaphore {
    unsigned long count;
    struct waitqueue waiters;
};
void semaphore_down(struct semaphore *s);
/* Safe from event handlers. */
void semaphore_up(struct semaphore *s);

/* Every thread waiting in wait_until() (include/events.h) sleeps here; the
 * upcall dispatcher wakes them all after each upcall to re-check. */
extern struct waitqueue event_waiters;

struct sched_stats {
    unsigned long switches;     /* context switches */
    unsigned long idle_blocks;  /* times the scheduler blocked the vCPU */
    unsigned long threads;      /* threads created */
};
extern struct sched_stats sched_stats;

#endif
