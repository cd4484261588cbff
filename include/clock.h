/* SPDX-License-Identifier: MIT */
/*
 * Reading time: Xen system time (nanoseconds since Xen booted, from this
 * vCPU's struct vcpu_time_info in xen.h) and the wall clock (struct
 * shared_info wc_* plus system time). Usable once events_init() has mapped
 * the shared info page; safe from event handlers.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* NSEC_PER_*, struct wallclock, monotonic_ns, wallclock_now: the API. */
#include <mote/time.h>

/* Xen system time in ns, straight from the PV clock. Not clamped: see monotonic_ns(). */
uint64_t system_time_ns(void);

/*
 * System time in ns that never goes backwards: each result is at least the
 * largest one returned before (from any context, handlers included). Timer
 * deadlines are on this timeline.
 */
uint64_t monotonic_ns(void);

/* The wall clock now: Xen's wall time at system time 0, plus monotonic_ns(). */
struct wallclock wallclock_now(void);

/* TSC frequency in Hz from the PV clock scale (xen.h: "CPU frequency (Hz)"). */
uint64_t clock_tsc_hz(void);

/* Nanoseconds for a TSC tick count, with Xen's current scale (for timing
 * code with rdtsc, e.g. before time_init ran). */
uint64_t clock_tsc_to_ns(uint64_t ticks);

#endif
