/* SPDX-License-Identifier: MIT */
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

/* thread_create, thread_join, wait queues, mutexes, semaphores: the API. */
#include <mote/thread.h>

/* The stack `t` runs on, [*lo, *hi), guard page excluded, for fault reports
 * (backtraces check frame pointers against it); main's is the boot stack
 * (linker.ld), or the one a musl program moved it to (thread_main_stack_moved).
 * False for no thread (NULL). */
bool thread_stack(const struct thread *t, unsigned long *lo, unsigned long *hi);
/* The stack overflow check's limit while `t` runs (arch/stack_check.h). */
unsigned long thread_stack_limit(const struct thread *t);

/* Every thread waiting in wait_until() (include/events.h) sleeps here; the
 * upcall dispatcher wakes them all after each upcall to re-check. */
extern struct waitqueue event_waiters;

struct cpu;
/* The boot vCPU runs main's thread (smp_early_init). */
void thread_cpu_boot(struct cpu *c);
/* Gives vCPU `c` its idle thread; `started` when c will enter it with
 * thread_idle_enter on the thread's own stack (thread_stack) rather than by
 * a switch. */
struct thread *thread_idle_create(struct cpu *c, bool started);
__attribute__((noreturn)) void thread_idle_enter(struct cpu *c);
/* Frees the idle thread of vCPU `c`, which never ran it (its bring-up
 * failed before VCPUOP_up). */
void thread_idle_destroy(struct cpu *c);
/* main's thread now runs on [lo, hi) (posix/start.c moves a program to a
 * stack of its size), not on the boot stack. */
void thread_main_stack_moved(unsigned long lo, unsigned long hi);
/* The calling thread's %fs base (arch/fs_base.h), kept across switches:
 * sets it (0, or Xen's error) and reads it back. */
long thread_set_fs_base(uint64_t base);
uint64_t thread_fs_base(void);
/* Prints every thread: name, state and backtrace (sysrq 't'). */
void thread_dump(void);

struct sched_stats {
    unsigned long switches;     /* context switches */
    unsigned long idle_blocks;  /* times the scheduler blocked the vCPU */
    unsigned long threads;      /* threads created */
};
extern struct sched_stats sched_stats;

#endif
