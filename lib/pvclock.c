/* SPDX-License-Identifier: MIT */
/*
 * PV clock scaling (lib/pvclock.h): TSC ticks to nanoseconds with the
 * multiplier and shift Xen publishes in struct vcpu_time_info (xen.h).
 *
 * The product (delta << shift) * mul needs up to 96 bits. Rather than a
 * 128-bit multiply (fine on x86-64, but a division or a wider helper would pull
 * in libgcc, which mote does not link), it is split at bit 32:
 *   delta = hi * 2^32 + lo
 *   (delta * mul) >> 32 = hi * mul + ((lo * mul) >> 32)
 * exactly: hi * mul * 2^32 has no bits below 32, and lo * mul < 2^64.
 * tests/unit/test_pvclock.c checks it against unsigned __int128 on the host.
 */
#include <pvclock.h>

uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift <= -64 || shift >= 64)
        return 0;
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;

    uint64_t hi = delta >> 32;
    uint64_t lo = delta & 0xffffffffu;

    return hi * mul + ((lo * mul) >> 32);
}
