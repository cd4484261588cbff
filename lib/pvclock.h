/* SPDX-License-Identifier: MIT */
/*
 * The pure arithmetic of Xen's PV clock (xen.h, struct vcpu_time_info),
 * separate from reading the shared fields so the host can test it.
 *
 * xen.h gives the current system time as
 *   system_time + ((((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32)
 * where a negative tsc_shift is a right shift and the product is 96 bits wide
 * (a 64-bit delta times a 32.32 fixed-point multiplier).
 */
#ifndef PVCLOCK_H
#define PVCLOCK_H

#include <stdint.h>

/*
 * Nanoseconds for `delta` TSC ticks: ((delta << shift) * mul) >> 32, with a
 * negative shift shifting right, truncated to 64 bits as Xen does. Shifts of
 * 64 or more either way give 0 (Xen never sends them; C would be undefined).
 */
uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);

#endif
