/* SPDX-License-Identifier: MIT */
/*
 * One vCPU's timer state (kernel/timer.c), kept in its struct cpu
 * (include/smp.h) so that only vCPUs that exist cost memory. Only
 * kernel/timer.c touches the fields.
 */
#ifndef TIMER_CPU_H
#define TIMER_CPU_H

#include <spinlock.h>
#include <stdbool.h>
#include <stdint.h>
#include <timer_heap.h>
#include <xen_interface.h>

struct timer;

/*
 * Each vCPU has its own queue, VIRQ_TIMER port and Xen single-shot timer
 * (vcpu.h: VCPUOP_set_singleshot_timer acts on the calling vCPU only): a
 * timer fires on the vCPU that armed it. The lock lets another vCPU cancel
 * or re-arm a timer queued here; only this vCPU programs Xen's timer.
 */
struct timer_cpu {
    spinlock_t lock;
    struct timerq queue;
    /* Non-zero while the queue is being changed. The lock makes changes
     * exclusive; this checks it, because a handler running in the middle
     * of a change would corrupt the heap silently (an event delivered
     * while masked, or a trap that unmasked on its way back). */
    int queue_busy;
    /* Whether Xen's single-shot timer is set, and for which queue deadline.
     * Cleared when it fires, since a fired single-shot timer is gone. */
    bool xen_timer_set;
    uint64_t xen_timer_deadline;
    evtchn_port_t port;
    unsigned int cpu;
    uint64_t xen_lead, xen_lead_since;
    /* The timer whose function is running now (unlocked), for timer_cancel. */
    struct timer *running;
};

#endif
