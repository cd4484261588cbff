/* SPDX-License-Identifier: MIT */
/*
 * The clocks and sleeping of <time.h>, on mote's Xen clocks (<mote/time.h>,
 * <mote/timer.h>): CLOCK_REALTIME is the UTC wall clock, CLOCK_MONOTONIC
 * system time since boot. Built with SSE for difftime's double; called only
 * by applications.
 */
#include <errno.h>
#include <mote/time.h>
#include <mote/timer.h>
#include <time.h>

time_t time(time_t *t)
{
    time_t now = wallclock_now().sec;

    if (t)
        *t = now;
    return now;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    if (clock == CLOCK_REALTIME) {
        struct wallclock now = wallclock_now();
        ts->tv_sec = now.sec;
        ts->tv_nsec = (long)now.nsec;
        return 0;
    }
    if (clock == CLOCK_MONOTONIC) {
        uint64_t ns = monotonic_ns();
        ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
        ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
        return 0;
    }
    errno = EINVAL;
    return -1;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
        errno = EINVAL;
        return -1;
    }
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = 1;
    }
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= (long)NSEC_PER_SEC) {
        errno = EINVAL;
        return -1;
    }
    /* Beyond 2^64 ns (584 years) the sleep is as good as forever. */
    uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC - 1;
    uint64_t sec = (uint64_t)req->tv_sec < max_sec ? (uint64_t)req->tv_sec : max_sec;
    sleep_ns(sec * NSEC_PER_SEC + (uint64_t)req->tv_nsec);
    if (rem) {
        rem->tv_sec = 0;
        rem->tv_nsec = 0;
    }
    return 0;
}

clock_t clock(void)
{
    return (clock_t)(monotonic_ns() / (NSEC_PER_SEC / CLOCKS_PER_SEC));
}

double difftime(time_t end, time_t start)
{
    return (double)(end - start);
}
