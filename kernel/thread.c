/* SPDX-License-Identifier: MIT */
/*
 * Cooperative threads and the scheduler (include/thread.h), on every vCPU.
 *
 * State lives in three places: each vCPU's `current` (running there), the
 * run queue (runnable, FIFO, shared by all vCPUs) and wait queues (waiting).
 * A thread is on at most one queue, linked through thread->next.
 *
 * One lock, sched_lock, guards the run queue, every wait queue and every
 * thread's state; it masks event delivery, because event handlers wake
 * threads. It is held across a context switch: the thread that switches
 * takes it, the thread switched to releases it (when its own call into
 * schedule() returns, or in thread_start). So no other vCPU can pick a
 * thread off a queue before its registers are saved. One shared queue
 * keeps every thread's order FIFO and the code short, and hotplug and
 * affinity simple (one queue to requeue to, one to scan). Measured against
 * the alternative, per-vCPU queues with migration (bench/README.md, issue
 * 16; bench/smp.sh, smptest sched): 4 threads doing nothing but yield
 * manage about as many yields per ms on 2 vCPUs as on 1 (the vCPUs take
 * turns at the lock; per-vCPU queues could reach 2x), while a hand-over
 * to a thread on the other vCPU costs milliseconds of reaching and waking
 * that vCPU, which per-vCPU queues would pay too. So one queue stays
 * until an app switches threads far more often than its threads work.
 *
 * Idle: each vCPU has an idle thread, never on a queue, that the scheduler
 * switches to when nothing runnable may run here. It blocks the vCPU in
 * Xen (events_block); a vCPU that makes a thread runnable kicks an idle
 * one with an IPI (smp_kick). Before smp_init gives the boot vCPU its idle
 * thread, a thread with nothing to switch to blocks on its own stack.
 */
#include <arch/fpu.h>
#include <arch/fs_base.h>
#include <arch/guard_page.h>
#include <arch/layout.h>
#include <arch/stack_check.h>
#include <arch/switch.h>
#include <asm_calls.h>
#include <errno.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <page_alloc.h>
#include <printk.h>
#include <smp.h>
#include <spinlock.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <traps.h>
#include <xen_shared.h>

/* A thread's stack unless thread_create_sized asks for more: 2^2 pages, a
 * guard page and 12 KiB of stack. */
#define STACK_ORDER 2
/* The largest stack thread_create_sized gives: 2^10 pages, 4 MiB. */
#define STACK_ORDER_MAX 10

/* main's stack (linker.ld, between head.S's guard page and its top). */
extern char boot_stack[], boot_stack_top[];

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
    unsigned int stack_order;   /* stack is 2^stack_order pages */
    unsigned long stack_limit;  /* the overflow check's (arch/stack_check.h) */
    struct waitqueue joiners;
    int errno_value;            /* the C library's errno (<errno.h>) */
    int affinity;               /* the only vCPU it may run on, or -1: any */
    struct fpu_state fpu;       /* FPU/SSE registers while not running */
    struct thread *all_next;    /* every thread not yet joined, for thread_dump */
    uint64_t fs_base;           /* %fs: the C library's thread pointer, 0 if none */
};

static struct thread main_thread = {
    .state = THREAD_RUNNING, .name = "main", .affinity = -1,
    .stack_limit = (unsigned long)boot_stack + STACK_CHECK_MARGIN,
};
/* The thread running on this vCPU. */
#define current (this_cpu()->running)
static struct thread *all_threads = &main_thread;
static struct waitqueue run_queue;
static spinlock_t sched_lock = SPINLOCK_INIT;
/* The vCPU holding sched_lock, or -1: lets the wait queue calls tell
 * whether their caller holds it already (wait_event does). */
static volatile int sched_lock_cpu = -1;
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

unsigned long waitqueue_lock(void)
{
    unsigned long flags = spin_lock_irqsave(&sched_lock);

    sched_lock_cpu = (int)this_cpu_id();
    return flags;
}

void waitqueue_unlock(unsigned long flags)
{
    sched_lock_cpu = -1;
    spin_unlock_irqrestore(&sched_lock, flags);
}

static bool sched_lock_held(void)
{
    return sched_lock_cpu == (int)this_cpu_id();
}

/* A thread pinned to a vCPU that went offline runs anywhere until it is
 * back (as Linux breaks the affinity of a CPU's tasks on hot-unplug). */
static bool may_run_on(const struct thread *t, unsigned int cpu)
{
    return t->affinity < 0 || (unsigned int)t->affinity == cpu ||
           !smp_cpu_online((unsigned int)t->affinity);
}

/* The first runnable thread that may run on `cpu`, off the run queue;
 * none for a vCPU going offline. */
static struct thread *dequeue_for(unsigned int cpu)
{
    struct thread *prev = NULL;

    if (!smp_cpu_online(cpu))
        return NULL;
    for (struct thread *t = run_queue.head; t; prev = t, t = t->next) {
        if (!may_run_on(t, cpu))
            continue;
        if (prev)
            prev->next = t->next;
        else
            run_queue.head = t->next;
        if (run_queue.tail == t)
            run_queue.tail = prev;
        t->next = NULL;
        return t;
    }
    return NULL;
}

/* Before this vCPU has an idle thread: block on the caller's own stack
 * until a thread may run (only the boot vCPU runs then). */
static struct thread *wait_runnable_here(void)
{
    struct thread *next;

    while (!(next = dequeue_for(this_cpu_id()))) {
        stat_inc(sched_stats.idle_blocks);
        sched_lock_cpu = -1;
        spin_unlock(&sched_lock);
        events_block();
        local_irq_disable();
        waitqueue_lock();
    }
    return next;
}

/* MOTE_POSIX is 1 in the kernel object of an image whose program runs on
 * the system call layer (mk/musl.mk builds this file a second time for it):
 * only there do threads carry a C library's %fs base or main move to a
 * stack of its own, and the other images (hello) do not pay for it. */
#ifndef MOTE_POSIX
#define MOTE_POSIX 0
#endif

/* Loads next's %fs base unless this vCPU has it loaded already. A thread
 * without one (0: kernel threads, idle) leaves %fs as it is, since the
 * kernel never reads it: switching to idle and back costs no hypercall. */
static void load_fs_base(struct cpu *c, struct thread *next)
{
    if (!next->fs_base || next->fs_base == c->fs_base_loaded)
        return;
    long rc = arch_set_fs_base(next->fs_base);
    if (rc < 0)
        panic("set_segment_base(SEGBASE_FS, %#lx) failed: %s", (unsigned long)next->fs_base,
              xen_errno_name(rc));
    c->fs_base_loaded = next->fs_base;
}

/* With sched_lock held: run the next thread that may run here, or the idle
 * thread. Returns when the caller runs again, maybe on another vCPU, with
 * sched_lock held. Called by the idle thread, returns when nothing is runnable. */
static void schedule(void)
{
    struct cpu *c = this_cpu();
    struct thread *prev = c->running;
    struct thread *next = dequeue_for(c->id);

    if (!next) {
        if (!c->idle)
            next = wait_runnable_here();
        else if (prev == c->idle)
            return;
        else
            next = c->idle;
    }
    next->state = THREAD_RUNNING;
    if (next != prev) {
        c->running = next;
        stat_inc(sched_stats.switches);
        /* Each thread has its own FPU/SSE registers (applications may be
         * mid-calculation when they sleep). The kernel never uses them, so
         * this, the one place threads switch, is the only place to swap. */
        arch_fpu_save(&prev->fpu);
        arch_fpu_restore(&next->fpu);
        if (MOTE_POSIX)
            load_fs_base(c, next);
        arch_context_switch(&prev->rsp, next->rsp, next->stack_limit);
    }
}

/* Takes sched_lock unless the caller holds it already; returns whether it
 * did, and the flags for unlock_unless_held. */
static bool lock_unless_held(unsigned long *flags)
{
    if (sched_lock_held())
        return false;
    *flags = waitqueue_lock();
    return true;
}

static void unlock_if(bool took, unsigned long flags)
{
    if (took)
        waitqueue_unlock(flags);
}

void waitqueue_sleep(struct waitqueue *wq)
{
    unsigned long flags = 0;
    bool took = lock_unless_held(&flags);

    current->state = THREAD_WAITING;
    enqueue(wq, current);
    schedule();
    unlock_if(took, flags);
}

/* Wakes an idle vCPU that may run `t`, unless this one will run it: a vCPU
 * whose idle thread is running (an event woke it, and the handler is waking
 * `t`) looks at the run queue as soon as the upcall returns. So a thread
 * woken by an event stays on the vCPU that took the event, and the others
 * sleep on in Xen; only a wake-up from a busy vCPU moves work elsewhere. */
static void kick_idle_cpu_for(const struct thread *t)
{
    struct cpu *here = this_cpu();
    unsigned int self = here->id;

    if (here->running == here->idle && may_run_on(t, self) && here->online)
        return;

    for (unsigned int i = 0; i < MAX_CPUS; i++) {
        struct cpu *c = cpus[i];
        if (!c || i == self || !c->online || !c->idle_blocked || !may_run_on(t, i))
            continue;
        c->idle_blocked = false;
        smp_kick(i);
        return;
    }
}

/* With sched_lock held. */
static void make_runnable(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    enqueue(&run_queue, t);
    kick_idle_cpu_for(t);
}

void waitqueue_wake_one(struct waitqueue *wq)
{
    unsigned long flags = 0;
    bool took = lock_unless_held(&flags);
    struct thread *t = dequeue(wq);

    if (t)
        make_runnable(t);
    unlock_if(took, flags);
}

void waitqueue_wake_all(struct waitqueue *wq)
{
    unsigned long flags = 0;
    bool took = lock_unless_held(&flags);
    struct thread *t;

    while ((t = dequeue(wq)))
        make_runnable(t);
    unlock_if(took, flags);
}

void thread_yield(void)
{
    unsigned long flags = waitqueue_lock();

    /* A vCPU going offline hands its thread to the others here. */
    if (run_queue.head || !this_cpu()->online) {
        make_runnable(current);
        schedule();
    }
    waitqueue_unlock(flags);
}

int thread_set_affinity(struct thread *t, int cpu)
{
    if (cpu >= 0 && !smp_cpu_online((unsigned int)cpu))
        return -1;
    unsigned long flags = waitqueue_lock();
    t->affinity = cpu;
    /* The caller moves now: queued, it is picked up by that vCPU. */
    if (t == current && !may_run_on(t, this_cpu_id())) {
        make_runnable(t);
        schedule();
    } else if (t->state == THREAD_RUNNABLE) {
        /* Queued already: the vCPU that may now run it could be idle. */
        kick_idle_cpu_for(t);
    }
    waitqueue_unlock(flags);
    return 0;
}

/* Called by arch_thread_start on the new thread's stack, delivery masked,
 * sched_lock held by the vCPU that switched here. */
__attribute__((noreturn)) void thread_start(struct thread *t)
{
    waitqueue_unlock(0);
    thread_exit(t->fn(t->arg));
}

/* The idle thread of every vCPU: runs what may run here, and blocks the
 * vCPU in Xen when nothing may. Never on a queue, never exits. */
static int idle_loop(void *arg)
{
    (void)arg;
    waitqueue_lock();
    for (;;) {
        schedule();
        /* Nothing runnable here. Marked while the lock is held, so a vCPU
         * that queues a thread afterwards sees the mark and kicks us; a kick
         * after the unlock leaves an event pending, and SCHEDOP_block
         * returns at once for it. */
        struct cpu *c = this_cpu();
        if (!c->online) {
            /* Taken offline (smp_cpu_down): nothing of ours runs here now.
             * Marked down under the lock, so an smp_cpu_up from now on
             * knows it must bring us back rather than just keep us. */
            c->down = true;
            sched_lock_cpu = -1;
            spin_unlock(&sched_lock);
            smp_idle_offline(c);
            waitqueue_lock();
            continue;
        }
        c->idle_blocked = true;
        stat_inc(sched_stats.idle_blocks);
        sched_lock_cpu = -1;
        spin_unlock(&sched_lock);
        events_block();
        local_irq_disable();
        waitqueue_lock();
        c->idle_blocked = false;
    }
    return 0;
}

void thread_cpu_boot(struct cpu *c)
{
    c->running = &main_thread;
}

static struct thread *thread_alloc(const char *name, thread_fn fn, void *arg,
                                   unsigned int order)
{
    struct thread *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->stack = alloc_pages(order);
    if (!t->stack) {
        free(t);
        return NULL;
    }
    t->stack_order = order;
    t->stack_limit = stack_check_limit((unsigned long)t->stack + PAGE_SIZE);
    arch_guard_page(t->stack);
    arch_fpu_init(&t->fpu);
    t->name = name;
    t->fn = fn;
    t->arg = arg;
    t->affinity = -1;
    t->rsp = arch_thread_stack_init((char *)t->stack + (PAGE_SIZE << order), t);
    return t;
}

/* The smallest block of pages that holds a guard page and `bytes` of stack
 * (at least the default's); -1 if alloc_pages has none that large. */
static int stack_order_for(size_t bytes)
{
    unsigned int order = STACK_ORDER;

    while (order <= STACK_ORDER_MAX && ((size_t)PAGE_SIZE << order) - PAGE_SIZE < bytes)
        order++;
    return order <= STACK_ORDER_MAX ? (int)order : -1;
}

struct thread *thread_create(const char *name, thread_fn fn, void *arg)
{
    return thread_create_sized(name, fn, arg, 0);
}

struct thread *thread_create_sized(const char *name, thread_fn fn, void *arg, size_t stack_size)
{
    int order = stack_order_for(stack_size);
    if (order < 0) {
        printk("mote: thread %s: a %zu-byte stack is more than alloc_pages gives\n", name,
               stack_size);
        return NULL;
    }
    struct thread *t = thread_alloc(name, fn, arg, (unsigned int)order);
    if (!t)
        return NULL;
    stat_inc(sched_stats.threads);
    /* A thread made by an application runs its C library's code, which
     * finds its state through %fs: it shares its creator's until the
     * library gives it its own (clone's CLONE_SETTLS, later). */
    if (MOTE_POSIX)
        t->fs_base = current->fs_base;

    unsigned long flags = waitqueue_lock();
    t->all_next = all_threads;
    all_threads = t;
    make_runnable(t);
    waitqueue_unlock(flags);
    return t;
}

struct thread *thread_idle_create(struct cpu *c, bool started)
{
    struct thread *t = thread_alloc("idle", idle_loop, NULL, STACK_ORDER);
    if (!t)
        return NULL;
    t->affinity = (int)c->id;
    t->state = started ? THREAD_RUNNING : THREAD_RUNNABLE;
    c->idle = t;
    return t;
}

void thread_idle_destroy(struct cpu *c)
{
    struct thread *t = c->idle;

    c->idle = NULL;
    arch_unguard_page(t->stack);
    free_pages(t->stack, t->stack_order);
    free(t);
}

__attribute__((noreturn)) void thread_idle_enter(struct cpu *c)
{
    /* This vCPU's first code runs on the idle thread's stack, below its
     * unused initial frame; the frame is simply never switched to. */
    c->running = c->idle;
    idle_loop(NULL);
    __builtin_unreachable();
}

void thread_exit(int value)
{
    if (current == &main_thread)
        panic("thread_exit called by main's thread: return from main instead");
    waitqueue_lock();
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
    unsigned long flags = waitqueue_lock();
    struct thread **link = &all_threads;
    while (*link != t)
        link = &(*link)->all_next;
    *link = t->all_next;
    waitqueue_unlock(flags);
    arch_unguard_page(t->stack);
    free_pages(t->stack, t->stack_order);
    free(t);
    return value;
}

/* errno is per thread; in an event handler it is the interrupted thread's. */
int *__errno_location(void)
{
    return &current->errno_value;
}

long thread_set_fs_base(uint64_t base)
{
    unsigned long flags = local_irq_save();
    long rc = arch_set_fs_base(base);
    if (rc == 0) {
        current->fs_base = base;
        this_cpu()->fs_base_loaded = base;
    }
    local_irq_restore(flags);
    return rc;
}

uint64_t thread_fs_base(void)
{
    return current->fs_base;
}

struct thread *thread_self(void)
{
    return current;
}

const char *thread_name(const struct thread *t)
{
    return t->name;
}

/* main's stack when it is not the boot stack (thread_main_stack_moved). */
static unsigned long main_stack_lo, main_stack_hi;

void thread_main_stack_moved(unsigned long lo, unsigned long hi)
{
    main_stack_lo = lo;
    main_stack_hi = hi;
}

bool thread_stack(const struct thread *t, unsigned long *lo, unsigned long *hi)
{
    if (!t)
        return false;
    if (MOTE_POSIX && t == &main_thread && main_stack_hi) {
        *lo = main_stack_lo;
        *hi = main_stack_hi;
        return true;
    }
    if (!t->stack) {
        *lo = (unsigned long)boot_stack;
        *hi = (unsigned long)boot_stack_top;
        return true;
    }
    *lo = (unsigned long)t->stack + PAGE_SIZE;
    *hi = (unsigned long)t->stack + (PAGE_SIZE << t->stack_order);
    return true;
}

unsigned long thread_stack_limit(const struct thread *t)
{
    return t->stack_limit;
}

/*
 * The report behind sysrq 't' (lifecycle/sysrq.c): every thread with its state
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
    /* The scheduler lock keeps every listed thread where it is (and its
     * stack allocated) while we walk; printk does not sleep with it held. */
    unsigned long flags = waitqueue_lock();
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
        } else if (t->state == THREAD_RUNNING) {
            /* Running on another vCPU: its saved rsp is stale. */
            printk("  (running on another vCPU)\n");
        } else if (t->state != THREAD_EXITED) {
            const uint64_t *saved = (const uint64_t *)t->rsp;
            backtrace_print_stack(t, saved[6], t->rsp + 7 * 8, saved[4]);
        }
    }
    waitqueue_unlock(flags);
}
