/* SPDX-License-Identifier: MIT */
/*
 * One-shot software timers on Xen's single-shot vCPU timer, and sleeping.
 *
 * Any number of timers, kept in deadline order (lib/timer_heap.c); only the
 * earliest is programmed in Xen (VCPUOP_set_singleshot_timer, xen/vcpu.h),
 * and Xen's periodic tick is stopped, so an idle vCPU gets no timer events.
 * Deadlines are absolute, in ns on the monotonic_ns() timeline (include/clock.h).
 * A timer's function runs from the VIRQ_TIMER handler, with event delivery
 * masked, at or after its deadline and never before; it must be short and
 * must not block, and may arm or cancel any timer, itself included.
 */
#ifndef TIMER_H
#define TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <timer_heap.h>

/* struct timer, timer_init/arm/cancel, sleep_ns: the API. */
#include <mote/timer.h>

/* Sets up the timer driver: binds VIRQ_TIMER, stops the periodic tick, and
 * prints the clock and the UTC date. Call once, after events_init(). */
void time_init(void);

/* Binds this vCPU's VIRQ_TIMER and stops its periodic tick: time_init for
 * vCPU 0, smp_ap_entry for the others. */
void timer_cpu_init(void);
/* This vCPU is going offline: vCPU 0 takes over its armed timers. */
void timer_cpu_offline(void);

/* Counters for tests. */
struct timer_stats {
    unsigned long upcalls;      /* VIRQ_TIMER handler calls */
    uint64_t last_upcall_ns;    /* monotonic_ns() as the last VIRQ_TIMER handler began */
    unsigned long idle_upcalls; /* of which found no timer due (early or stale events) */
    unsigned long fired;        /* timer functions called */
    unsigned long programmed;   /* VCPUOP_set_singleshot_timer calls */
    unsigned long stopped;      /* VCPUOP_stop_singleshot_timer calls */
    unsigned long early;        /* of idle_upcalls: Xen fired before our clock said due */
    uint64_t xen_lead_ns;       /* how far after a deadline Xen is asked to fire (see timer.c) */
};
extern struct timer_stats timer_stats;

/* Prints the queue, Xen's timer and the counters (sysrq 'q'). */
void timer_dump(void);

#endif
