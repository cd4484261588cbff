/* SPDX-License-Identifier: MIT */
/*
 * mote application API: the clocks (monotonic system time, the UTC wall
 * clock) and UTC dates. <time.h>'s clock_gettime and time are built on these.
 */
#ifndef MOTE_TIME_H
#define MOTE_TIME_H

#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_SEC  1000000000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_USEC 1000ull

/* Nanoseconds since boot (Xen system time), never going backwards: each
 * result is at least the largest one returned before, from any context,
 * event handlers included. Timer deadlines are on this timeline. */
uint64_t monotonic_ns(void);
/* Xen system time as read, without monotonic_ns's never-backwards clamp. */
uint64_t system_time_ns(void);

/* UTC wall-clock time: seconds since the Unix epoch (64-bit, safe past 2038) and ns. */
struct wallclock {
    int64_t sec;
    uint32_t nsec;
};
/* The wall clock now: Xen's wall time at system time 0, plus monotonic_ns(). */
struct wallclock wallclock_now(void);

/* TSC frequency in Hz (the PV clock scale, xen.h "CPU frequency (Hz)"), and
 * TSC ticks in ns (Xen's current scale), for fine timing with the rdtsc
 * instruction (in the kernel, also before time_init). */
uint64_t clock_tsc_hz(void);
uint64_t clock_tsc_to_ns(uint64_t ticks);

struct utc_date {
    int64_t year;       /* proleptic Gregorian, e.g. 2038 */
    int month;          /* 1-12 */
    int day;            /* 1-31 */
    int hour, min, sec; /* 0-23, 0-59, 0-59 */
    int weekday;        /* 0 Sunday .. 6 Saturday */
};
/* Splits Unix time `t` into its UTC calendar date and time of day. */
void utc_from_unix(int64_t t, struct utc_date *d);
/* Writes "YYYY-MM-DD HH:MM:SS UTC" for `t` into buf; returns what snprintf would. */
int utc_format(char *buf, size_t size, int64_t t);

#endif
