/* SPDX-License-Identifier: MIT */
/*
 * Reading the time-stamp counter, the tick count Xen's PV clock scales to
 * nanoseconds (xen.h, struct vcpu_time_info).
 *
 * A PV kernel runs at CPL 3, where rdtsc faults only if CR4.TSD is set. Xen
 * sets TSD in a PV guest's real CR4 only when it emulates the domain's TSC
 * (tsc_mode, or the guest asking for TSD), and then it traps rdtsc and
 * returns the emulated count, which is what the vcpu_time_info scale is for.
 * Either way the instruction works; it is just slower when emulated.
 */
#ifndef ARCH_TSC_H
#define ARCH_TSC_H

#include <stdint.h>

/*
 * The TSC, not read earlier than the loads before it. rdtsc alone may execute
 * ahead of earlier instructions; lfence waits for them (Intel SDM, RDTSC; on
 * AMD when lfence is dispatch-serialising, which Xen makes it). Without it a
 * pvclock read could pair a new TSC with stale tsc_timestamp or the reverse.
 */
static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    asm volatile ("lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

#endif
