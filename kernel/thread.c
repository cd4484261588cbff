/* SPDX-License-Identifier: MIT */
/*
 * Cooperative threads and the scheduler (include/thread.h).
 *
 * State lives in three places: `current` (running), the run queue
 * (runnable, FIFO) and wait queues (waiting). A thread is on at most one
 * queue, linked through thread->next. Everything that touches the queues runs
 * with event delivery masked, because event handlers wake threads.
 *
 * Idle: when a thread must wait and the run queue is empty, schedule() blocks
 * the vCPU in Xen (events_block) on the waiting thread's own stack; the
 * handlers that run on the way back wake threads, and the loop looks again.
 */
#include <arch/fpu.h>
#include <arch/guard_page.h>
#include <arch/layout.h>
#include <arch/switch.h>
#include <asm_calls.h>
#include <errno.h>
#include <events.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <traps.h>
#include <xen_shared.h>

/* 2^2 pages: a guard page and 12 KiB of stack. */
#define STACK_ORDER 2
#define STACK_BYTES (PAGE_SIZE << STACK_ORDER)

enum thread_state { THREAD_RUNNING, THREAD_RUNNABLE, THREAD_WAITING, THREAD_EXITED };

struct thread {
    uint64_t rsp;               /* saved by arch_context_switch */
    struct thread *next;        /* run queue or wait queue link */
    enum thread_state state;
    const char *name;
    thread_fn fn;
    void *arg;
    int exit_value;
    void *stack;                /* lowest page is the guard; NULL for main */
    struct waitqueue joiners;
    int errno_value;            /* the C library's errno (<errno.h>) */
    struct fpu_state fpu;       /* FPU/SSE registers while not running */
    struct thread *all_next;    /* every thread not yet joined, for thread_dump */
};

static struct thread main_thread = { .state = THREAD_RUNNING, .name = "main" };
static struct thread *current = &main_thread;
static struct thread *all_threads = &main_thread;
static struct waitqueue run_queue;
struct waitqueue event_waiters;
struct sched_stats sched_stats;

static void enqueue(struct waitqueue *q, struct thread *t)
{
    t->next = NULL;
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
}

static struct thread *dequeue(struct waitqueue *q)
{
    struct thread *t = q->head;

    if (t) {
        q->head = t->next;
        if (!q->head)
            q->tail = NULL;
        t->next = NULL;
    }
    return t;
}

/* With delivery masked: run the next runnable thread, idling until there is
 * one. Returns when the caller is running again. */
static void schedule(void)
{
    struct thread *next;

    while (!(next = dequeue(&run_queue))) {
        sched_stats.idle_blocks++;
        events_block();
        local_irq_disable();
    }
    next->state = THREAD_RUNNING;
    if (next != current) {
        struct thread *prev = current;
        current = next;
        sched_stats.switches++;
        /* Each thread has its own FPU/SSE registers (applications may be
         * mid-calculation when they sleep). The kernel never uses them, so
         * this, the one place threads switch, is the only place to swap. */
        arch_fpu_save(&prev->fpu);
        arch_fpu_restore(&next->fpu);
        arch_context_switch(&prev->rsp, next->rsp);
    }
}

void waitqueue_sleep(struct waitqueue *wq)
{
    current->state = THREAD_WAITING;
    enqueue(wq, current);
    schedule();
}

static void make_runnable(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    enqueue(&run_queue, t);
}

void waitqueue_wake_one(struct waitqueue *wq)
{
    unsigned long flags = local_irq_save();
    struct thread *t = dequeue(wq);

    if (t)
        make_runnable(t);
    local_irq_restore(flags);
}

void waitqueue_wake_all(struct waitqueue *wq)
{
    unsigned long flags = local_irq_save();
    struct thread *t;

    while ((t = dequeue(wq)))
        make_runnable(t);
    local_irq_restore(flags);
}

void thread_yield(void)
{
    unsigned long flags = local_irq_save();

    if (run_queue.head) {
        make_runnable(current);
        schedule();
    }
    local_irq_restore(flags);
}

/* Called by arch_thread_start on the new thread's stack, delivery masked. */
__attribute__((noreturn)) void thread_start(struct thread *t)
{
    local_irq_enable();
    thread_exit(t->fn(t->arg));
}

struct thread *thread_create(const char *name, thread_fn fn, void *arg)
{
    struct thread *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->stack = alloc_pages(STACK_ORDER);
    if (!t->stack) {
        free(t);
        return NULL;
    }
    arch_guard_page(t->stack);
    arch_fpu_init(&t->fpu);
    t->name = name;
    t->fn = fn;
    t->arg = arg;
    t->rsp = arch_thread_stack_init((char *)t->stack + STACK_BYTES, t);
    sched_stats.threads++;

    unsigned long flags = local_irq_save();
    t->all_next = all_threads;
    all_threads = t;
    make_runnable(t);
    local_irq_restore(flags);
    return t;
}

void thread_exit(int value)
{
    if (current == &main_thread)
        panic("thread_exit called by main's thread: return from main instead");
    local_irq_disable();
    current->exit_value = value;
    current->state = THREAD_EXITED;
    waitqueue_wake_all(&current->joiners);
    /* Never runs again: nothing puts an exited thread on a queue. Its stack
     * is freed by thread_join, from another stack. */
    schedule();
    panic("exited thread %s was scheduled", current->name);
}

int thread_join(struct thread *t)
{
    if (t == current)
        panic("thread %s joins itself", t->name);
    wait_event(&t->joiners, t->state == THREAD_EXITED);
    int value = t->exit_value;
    unsigned long flags = local_irq_save();
    struct thread **link = &all_threads;
    while (*link != t)
        link = &(*link)->all_next;
    *link = t->all_next;
    local_irq_restore(flags);
    arch_unguard_page(t->stack);
    free_pages(t->stack, STACK_ORDER);
    free(t);
    return value;
}

/* errno is per thread; in an event handler it is the interrupted thread's. */
int *__errno_location(void)
{
    return &current->errno_value;
}

struct thread *thread_self(void)
{
    return current;
}

const char *thread_name(const struct thread *t)
{
    return t->name;
}

bool thread_stack(const struct thread *t, unsigned long *lo, unsigned long *hi)
{
    if (!t || !t->stack)
        return false;
    *lo = (unsigned long)t->stack + PAGE_SIZE;
    *hi = (unsigned long)t->stack + STACK_BYTES;
    return true;
}

/*
 * The report behind sysrq 't' (kernel/sysrq.c): every thread with its state
 * and where it is. A thread that is not running sits in arch_context_switch,
 * whose frame (arch/x86_64/switch.S) holds %r15..%r12, then %rbp, %rbx and
 * the return address into schedule(): walk from there.
 */
void thread_dump(void)
{
    static const char *const state_names[] = {
        [THREAD_RUNNING] = "running", [THREAD_RUNNABLE] = "runnable",
        [THREAD_WAITING] = "waiting", [THREAD_EXITED] = "exited",
    };
    unsigned long flags = local_irq_save();
    unsigned n = 0;

    for (struct thread *t = all_threads; t; t = t->all_next)
        n++;
    printk("sysrq: %u threads (%lu created, %lu switches, %lu idle blocks)\n", n,
           sched_stats.threads, sched_stats.switches, sched_stats.idle_blocks);
    for (struct thread *t = all_threads; t; t = t->all_next) {
        printk("thread %s: %s\n", t->name, state_names[t->state]);
        if (t == current) {
            backtrace_print_stack(t, (unsigned long)__builtin_return_address(0),
                                  (unsigned long)__builtin_frame_address(0) + 16,
                                  *(unsigned long *)__builtin_frame_address(0));
        } else if (t->state != THREAD_EXITED) {
            const uint64_t *saved = (const uint64_t *)t->rsp;
            backtrace_print_stack(t, saved[6], t->rsp + 7 * 8, saved[4]);
        }
    }
    local_irq_restore(flags);
}
