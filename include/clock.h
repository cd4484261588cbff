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

/* NSEC_PER_*, struct wallclock and every call of the clocks (monotonic_ns,
 * system_time_ns, wallclock_now, clock_tsc_hz, clock_tsc_to_ns): the API. */
#include <mote/time.h>

#endif
