/* SPDX-License-Identifier: MIT */
/*
 * System time and wall-clock time from the pages Xen shares with us
 * (include/clock.h).
 *
 * System time. Xen keeps, per vCPU, a snapshot in vcpu_info->time (xen.h,
 * struct vcpu_time_info): system_time ns at TSC value tsc_timestamp, and a
 * scale to turn TSC ticks since then into ns (lib/pvclock.c). Xen rewrites the
 * snapshot now and then, bumping `version` before and after, so per the xen.h
 * comment ("similar to Linux's seqlock") we read the version, then the
 * fields, then the version again, and retry if it was odd (update under way)
 * or changed. The TSC is read inside that window so it pairs with the fields.
 *
 * Barriers. Xen writes version, fields, version in that order (with a write
 * barrier), and x86 keeps loads in order with loads and stores with stores,
 * so a reader only has to stop the compiler reordering (barrier()), as
 * Linux's pvclock_read_begin/retry do (virt_rmb() is a compiler barrier on
 * x86). That holds for a writer on another CPU too, as for the wall clock,
 * which Xen updates for all domains at once. rdtsc is ordered by lfence
 * (arch/tsc.h).
 *
 * Wall clock. shared_info->wc_sec/wc_nsec (plus wc_sec_hi, the upper 32 bits
 * of the seconds on x86-64) is the UTC time at system time 0, under the same
 * version protocol with wc_version (xen.h: "Version counter: see
 * vcpu_time_info_t").
 */
#include <arch/tsc.h>
#include <clock.h>
#include <pvclock.h>
#include <xen_shared.h>

/*
 * A test build can set our clock behind Xen's by this many ns (make
 * KCFLAGS=-DCLOCK_TEST_LAG_NS=N; tests/boot/time.sh), to show the timer
 * driver copes with Xen's clock leading ours (kernel/timer.c).
 */
#ifndef CLOCK_TEST_LAG_NS
#define CLOCK_TEST_LAG_NS 0
#endif

uint64_t system_time_ns(void)
{
    const volatile vcpu_time_info_t *t = &this_vcpu()->time;
    uint32_t version;
    uint64_t now;

    do {
        version = t->version;
        barrier();
        uint64_t tsc = rdtsc_ordered();
        now = t->system_time + pvclock_scale_delta(tsc - t->tsc_timestamp,
                                                   t->tsc_to_system_mul, t->tsc_shift);
        barrier();
    } while ((version & 1) || version != t->version);
    return now - CLOCK_TEST_LAG_NS;
}

/*
 * The PV clock can step back a little: each new snapshot from Xen restarts
 * the extrapolation from Xen's own idea of the time, which may be a few ns
 * behind where the previous scale had got to. Callers compare and subtract
 * times, so clamp to the largest value handed out. The compare-and-swap makes
 * this safe against an event handler calling in between the read and the
 * update on this vCPU (no lock needed, and no masking of events).
 */
static uint64_t last_returned;

uint64_t monotonic_ns(void)
{
    uint64_t now = system_time_ns();
    uint64_t last = __atomic_load_n(&last_returned, __ATOMIC_RELAXED);

    do {
        if (now <= last)
            return last;
    } while (!__atomic_compare_exchange_n(&last_returned, &last, now, true,
                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return now;
}

struct wallclock wallclock_now(void)
{
    const volatile shared_info_t *s = shared_info;
    uint32_t version, nsec;
    uint64_t sec;

    do {
        version = s->wc_version;
        barrier();
        sec = s->wc_sec | (uint64_t)s->wc_sec_hi << 32;
        nsec = s->wc_nsec;
        barrier();
    } while ((version & 1) || version != s->wc_version);

    uint64_t since_boot = monotonic_ns();
    uint64_t ns = nsec + since_boot % NSEC_PER_SEC;

    return (struct wallclock) {
        .sec = (int64_t)(sec + since_boot / NSEC_PER_SEC + ns / NSEC_PER_SEC),
        .nsec = (uint32_t)(ns % NSEC_PER_SEC),
    };
}

/* The TSC scale, read under the version protocol like the time itself:
 * Xen may rewrite mul and shift together at any moment. */
static void read_tsc_scale(uint32_t *mul, int8_t *shift)
{
    const volatile vcpu_time_info_t *t = &this_vcpu()->time;
    uint32_t version;

    do {
        version = t->version;
        barrier();
        *mul = t->tsc_to_system_mul;
        *shift = t->tsc_shift;
        barrier();
    } while ((version & 1) || version != t->version);
}

uint64_t clock_tsc_hz(void)
{
    uint32_t mul;
    int8_t shift;

    read_tsc_scale(&mul, &shift);
    if (!mul)
        return 0;
    /* 10^9 << 32 is below 2^62, so this is a plain 64-bit division. */
    uint64_t hz = (NSEC_PER_SEC << 32) / mul;
    return shift < 0 ? hz << -shift : hz >> shift;
}

uint64_t clock_tsc_to_ns(uint64_t ticks)
{
    uint32_t mul;
    int8_t shift;

    read_tsc_scale(&mul, &shift);
    return pvclock_scale_delta(ticks, mul, shift);
}
