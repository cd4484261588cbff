/* SPDX-License-Identifier: MIT */
/*
 * mote application API: cooperative threads, wait queues, mutexes,
 * semaphores, and masking event delivery.
 *
 * Threads switch only when one waits, sleeps, yields or exits; event
 * handlers never switch threads, they wake them. main() runs as the first
 * thread ("main") on a 64 KiB stack (MOTE_MAIN_STACK_SIZE below sets
 * another size); every other thread gets a 12 KiB stack, or the size given
 * to thread_create_sized. Each thread has its own errno and its own FPU/SSE
 * registers (saved and restored on every switch).
 *
 * Running out of stack ends the domain with a report and
 * "mote: crash: stack overflow in thread NAME": every function checks,
 * before it takes its frame, that the frame fits (the kernel and
 * applications are compiled with -fsplit-stack), and an unmapped guard
 * page below each stack catches what no function checks.
 */
#ifndef MOTE_THREAD_H
#define MOTE_THREAD_H

#include <stdbool.h>
#include <stddef.h>

struct thread;
typedef int (*thread_fn)(void *arg);

/* Starts fn(arg) in a new thread (runnable; it runs when the caller yields
 * or waits). NULL if there is no memory for it. */
struct thread *thread_create(const char *name, thread_fn fn, void *arg);
/* The same with at least `stack_size` bytes of stack (0: the default 12
 * KiB). The stack and its guard page are one block of a power of two pages,
 * so all of the block is stack: 16 KiB asked gives 28 KiB. NULL if there is
 * no memory, or for more than 4 MiB (said on the console). */
struct thread *thread_create_sized(const char *name, thread_fn fn, void *arg,
                                   size_t stack_size);
/*
 * main's stack size, in bytes, at file scope in one of the application's
 * source files:
 *     MOTE_MAIN_STACK_SIZE(256 * 1024);
 * Rounded up to whole pages; at least 16 KiB (the link fails below). The
 * stack is part of the image's .bss, so it costs memory from boot on,
 * like static data. Without it main gets 64 KiB. The argument must be an
 * integer constant expression the assembler can read (numbers, + - * /).
 */
#define MOTE_MAIN_STACK_SIZE(bytes) \
    __asm__(".globl mote_main_stack_size\n.set mote_main_stack_size, " #bytes)
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

/*
 * Event delivery masking, for data shared with event handlers:
 *     unsigned long flags = local_irq_save();  ... local_irq_restore(flags);
 * Nests. In the kernel these are inline (include/xen_shared.h);
 * applications call the same code out of line (kernel/api.c).
 */
#ifdef MOTE_KERNEL
#include <xen_shared.h>
#else
unsigned long local_irq_save(void) __asm__("mote_local_irq_save");
void local_irq_restore(unsigned long flags) __asm__("mote_local_irq_restore");
#endif

/* A FIFO of waiting threads. Zero-initialised is empty. */
struct waitqueue {
    struct thread *head, *tail;
};

/* The lock of every wait queue and of the scheduler (it masks event
 * delivery too). Hold it while checking the condition you wait for and
 * calling waitqueue_sleep, so that a wake-up from another vCPU cannot slip
 * in between; nothing that sleeps or takes another lock may run under it. */
unsigned long waitqueue_lock(void);
void waitqueue_unlock(unsigned long flags);
/* Sleeps on `wq` until woken; returns with the lock held again, maybe on
 * another vCPU. Called without the lock (only event delivery masked) it
 * takes it itself, which is enough on one vCPU. wait_event is the usual way. */
void waitqueue_sleep(struct waitqueue *wq);
/* Make the first / every waiter runnable. Safe from event handlers. */
void waitqueue_wake_one(struct waitqueue *wq);
void waitqueue_wake_all(struct waitqueue *wq);

/* Sleeps on `wq` until `cond` holds; whoever makes it true wakes `wq`. */
#define wait_event(wq, cond)                                                \
    do {                                                                    \
        unsigned long flags__ = waitqueue_lock();                           \
        while (!(cond))                                                     \
            waitqueue_sleep(wq);                                            \
        waitqueue_unlock(flags__);                                          \
    } while (0)

/* A sleeping mutex (not recursive; zero-initialised is unlocked). */
struct mutex {
    struct thread *owner;
    struct waitqueue waiters;
};
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

/* A counting semaphore (zero-initialised: count 0). up is safe from handlers. */
struct semaphore {
    unsigned long count;
    struct waitqueue waiters;
};
void semaphore_down(struct semaphore *s);
void semaphore_up(struct semaphore *s);

#endif
