/* SPDX-License-Identifier: MIT */
/*
 * Threads of a program: clone (as pthread_create uses it), the exit of one
 * thread, gettid and set_tid_address. Each is a mote thread
 * (<mote/thread.h>) that runs the program's function on the stack the C
 * library gave it, with its own thread pointer (%fs, CLONE_SETTLS).
 *
 * Thread ids: the main thread is 1 (as the process, posix/identity.c);
 * clone numbers the others from 2. An exiting thread clears and wakes its
 * CLONE_CHILD_CLEARTID word (what pthread_join waits on) and is joined by
 * the reaper, a kernel thread that frees its mote thread (its kernel stack)
 * afterwards: the program's own stack is the C library's to unmap.
 */
#include <arch/run_on_stack.h>
#include <errno.h>
#include <printk.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define MAX_THREADS 256

/* What clone passes its new thread. */
struct program_thread {
    int (*fn)(void *);
    void *arg;
    void *stack;
    unsigned long tls;
    int *clear_tid;                     /* CLONE_CHILD_CLEARTID, or NULL */
    int tid;
    struct thread *thread;
};

static struct program_thread *threads[MAX_THREADS];   /* by tid; 1 is main */
static int *main_clear_tid;
static struct semaphore reaper_work;
static struct thread *reaper;
static struct program_thread *dead[MAX_THREADS];
static int dead_count;

/* The calling thread's entry, or NULL for main's thread. */
static struct program_thread *self(void)
{
    struct thread *t = thread_self();

    for (int tid = 2; tid < MAX_THREADS; tid++)
        if (threads[tid] && threads[tid]->thread == t)
            return threads[tid];
    return NULL;
}

/* gettid(2): the calling thread's id: 1 for main's, 2 and up for clone's. */
long sys_gettid(void)
{
    struct program_thread *pt = self();

    return pt ? pt->tid : 1;
}

/* set_tid_address(2): the word to clear and wake when the calling thread
 * exits; returns its id. */
long sys_set_tid_address(int *tidptr)
{
    struct program_thread *pt = self();

    if (pt)
        pt->clear_tid = tidptr;
    else
        main_clear_tid = tidptr;
    return sys_gettid();
}

/* Joins exited threads, freeing their mote threads. */
static int reap(void *arg)
{
    (void)arg;
    for (;;) {
        semaphore_down(&reaper_work);
        unsigned long flags = waitqueue_lock();
        struct program_thread *pt = dead[--dead_count];
        waitqueue_unlock(flags);
        thread_join(pt->thread);
        free(pt);
    }
    __builtin_unreachable();
}

/* The end of a thread clone made: its tid word cleared and woken, then
 * handed to the reaper. */
__attribute__((noreturn)) static void exit_thread(struct program_thread *pt)
{
    if (pt->clear_tid) {
        __atomic_store_n(pt->clear_tid, 0, __ATOMIC_SEQ_CST);
        sys_futex(pt->clear_tid, 1, 1, NULL, NULL, 0);
    }
    unsigned long flags = waitqueue_lock();
    threads[pt->tid] = NULL;
    dead[dead_count++] = pt;
    waitqueue_unlock(flags);
    semaphore_up(&reaper_work);
    thread_exit(0);
}

/* exit(2): ends the calling thread; main's ends the program (mote has no
 * process to outlive it). Does not return. */
long sys_exit(int status)
{
    struct program_thread *pt = self();

    if (!pt)
        sys_exit_group(status);
    exit_thread(pt);
}

static int run_program_thread(int unused, char **arg)
{
    struct program_thread *pt = (struct program_thread *)arg;

    (void)unused;
    sys_exit(pt->fn(pt->arg));
    __builtin_unreachable();
}

static int start_program_thread(void *arg)
{
    struct program_thread *pt = arg;

    pt->thread = thread_self();     /* clone may not have stored it yet */
    if (pt->tls && thread_set_fs_base(pt->tls) != 0)
        panic("posix: thread %d: bad thread pointer %#lx", pt->tid, pt->tls);
    /* As Linux's clone, the stack pointer as given, 16-byte aligned. */
    arch_run_on_stack((void *)((unsigned long)pt->stack & ~15ul), run_program_thread, 0,
                      (char **)pt);
}

/* The lowest free id >= 2, reserved for pt; or 0. */
static int new_tid(struct program_thread *pt)
{
    unsigned long flags = waitqueue_lock();
    int tid = 2;

    while (tid < MAX_THREADS && threads[tid])
        tid++;
    if (tid < MAX_THREADS)
        threads[tid] = pt;
    waitqueue_unlock(flags);
    return tid < MAX_THREADS ? tid : 0;
}

#define LINUX_CLONE_VM             0x00000100
#define LINUX_CLONE_THREAD         0x00010000
#define LINUX_CLONE_SETTLS         0x00080000
#define LINUX_CLONE_PARENT_SETTID  0x00100000
#define LINUX_CLONE_CHILD_CLEARTID 0x00200000

/*
 * clone as musl's __clone calls it (posix/musl/clone.c): a new thread in
 * this program running fn(arg) on stack (its top), with the thread pointer
 * tls when CLONE_SETTLS; CLONE_PARENT_SETTID stores its id at *ptid,
 * CLONE_CHILD_CLEARTID clears and wakes *ctid when it exits. Returns its
 * id, or -EINVAL (no stack; not CLONE_VM | CLONE_THREAD: a new process,
 * which mote has not: -ENOSYS), -EAGAIN (no memory, or 254 threads).
 */
long mote_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
                int *ptid, unsigned long tls, int *ctid)
{
    if ((flags & (LINUX_CLONE_VM | LINUX_CLONE_THREAD)) != (LINUX_CLONE_VM | LINUX_CLONE_THREAD))
        return -ENOSYS;
    if (!stack || !fn)
        return -EINVAL;
    struct program_thread *pt = calloc(1, sizeof(*pt));
    if (!pt)
        return -EAGAIN;
    *pt = (struct program_thread){ .fn = fn, .arg = arg, .stack = stack,
                                   .tls = flags & LINUX_CLONE_SETTLS ? tls : 0,
                                   .clear_tid = flags & LINUX_CLONE_CHILD_CLEARTID ? ctid : NULL };
    pt->tid = new_tid(pt);
    if (!reaper)
        reaper = thread_create("reaper", reap, NULL);
    if (flags & LINUX_CLONE_PARENT_SETTID)
        *ptid = pt->tid;
    pt->thread = pt->tid && reaper ? thread_create("pthread", start_program_thread, pt) : NULL;
    if (!pt->thread) {
        if (pt->tid)
            threads[pt->tid] = NULL;
        free(pt);
        return -EAGAIN;
    }
    return pt->tid;
}
