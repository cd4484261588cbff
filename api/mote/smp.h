/* SPDX-License-Identifier: MIT */
/*
 * Several vCPUs: how many there are, which one runs the caller, pinning a
 * thread to one, and running a function on another (kernel/smp.c).
 *
 * Threads run on any vCPU that is up: when one sleeps or yields it may wake
 * on another. Functions run by smp_call run in event-handler context on the
 * target vCPU (event delivery masked): short, and never sleeping.
 */
#ifndef MOTE_SMP_H
#define MOTE_SMP_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

/* vCPUs up and taking work (1 on a single-vCPU domain). */
unsigned int smp_cpu_count(void);
/* The highest vCPU id + 1 the domain has, up or not. */
unsigned int smp_cpu_max(void);
/* The id of the vCPU running the caller (0 is the boot vCPU). Only a hint
 * for a thread: it may run elsewhere after its next sleep or yield. */
unsigned int smp_cpu_id(void);
/* Whether vCPU `cpu` is up. */
bool smp_cpu_online(unsigned int cpu);

/* How vCPU `cpu` has spent its time since it was first brought up, as Xen
 * accounts it (the runstate area, xen/vcpu.h): running on a physical CPU,
 * runnable but waiting for one, blocked (idle, in SCHEDOP_block), offline
 * (down, or paused). In ns; the four add up to the time since. 0, or -1 if
 * that vCPU has none (never up, or Xen refused the area). */
struct smp_cpu_times {
    uint64_t running_ns;
    uint64_t runnable_ns;
    uint64_t blocked_ns;
    uint64_t offline_ns;
};
int smp_cpu_times(unsigned int cpu, struct smp_cpu_times *times);

/* Runs fn(arg) on vCPU `cpu` (at once if it is the caller's); with `wait`,
 * returns once it has run. 0, or -1 if that vCPU is not up, or is taken
 * offline before it could run fn: then fn has not run and will not (the
 * call is never lost, nor waited for in vain). */
typedef void (*smp_call_fn)(void *arg);
int smp_call(unsigned int cpu, smp_call_fn fn, void *arg, bool wait);
/* Runs fn(arg) on every vCPU that is up, the caller's included, and waits. */
void smp_call_all(smp_call_fn fn, void *arg);

/* A spinlock for data shared with threads or handlers on other vCPUs:
 * taking it masks event delivery on this vCPU too, so a handler here cannot
 * spin on a lock its own vCPU holds. Hold it for a few instructions only,
 * never across a sleep. SPINLOCK_INIT (or zero) is unlocked. */
typedef struct {
    volatile unsigned int locked;
} spinlock_t;
#define SPINLOCK_INIT { 0 }
#ifdef MOTE_KERNEL
#include <spinlock.h>   /* the kernel's are inline */
#else
unsigned long spin_lock_irqsave(spinlock_t *l) __asm__("mote_spin_lock_irqsave");
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
    __asm__("mote_spin_unlock_irqrestore");
#endif

/* Pins `t` to vCPU `cpu` (it runs only there), or unpins it with -1.
 * Pinning the caller moves it at once. 0, or -1 if `cpu` is not up. */
int thread_set_affinity(struct thread *t, int cpu);

#endif
