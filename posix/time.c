/* SPDX-License-Identifier: MIT */
/*
 * Time calls: clock_gettime and clock_getres for every clock musl uses,
 * nanosleep, clock_nanosleep, gettimeofday.
 *
 * The clocks are mote's two (include/clock.h): wallclock_now() for
 * CLOCK_REALTIME (and _COARSE), monotonic_ns() for the rest. The CPU-time
 * clocks give the time since boot too: mote runs one program, which has had
 * at most that much CPU time (idle time is counted in; Xen's runstate
 * would tell running time apart, later).
 */
#include <clock.h>
#include <errno.h>
#include <stdbool.h>
#include <syscall.h>
#include <timer.h>

#define NS_PER_SEC 1000000000ll

static bool clock_valid(int clock)
{
    return clock >= LINUX_CLOCK_REALTIME && clock <= LINUX_CLOCK_BOOTTIME;
}

static bool clock_is_realtime(int clock)
{
    return clock == LINUX_CLOCK_REALTIME || clock == LINUX_CLOCK_REALTIME_COARSE;
}

static struct linux_timespec timespec_of_ns(uint64_t ns)
{
    return (struct linux_timespec){ .tv_sec = (int64_t)(ns / NS_PER_SEC),
                                    .tv_nsec = (int64_t)(ns % NS_PER_SEC) };
}

static struct linux_timespec clock_now(int clock)
{
    if (clock_is_realtime(clock)) {
        struct wallclock w = wallclock_now();
        return (struct linux_timespec){ .tv_sec = w.sec, .tv_nsec = w.nsec };
    }
    return timespec_of_ns(monotonic_ns());
}

/* clock_gettime(2): the time of clock (0-7: REALTIME, MONOTONIC,
 * PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID, MONOTONIC_RAW, REALTIME_COARSE,
 * MONOTONIC_COARSE, BOOTTIME) in *ts; 0, -EINVAL (another clock), -EFAULT
 * (ts NULL). */
long sys_clock_gettime(int clock, struct linux_timespec *ts)
{
    if (!clock_valid(clock))
        return -EINVAL;
    if (!ts)
        return -EFAULT;
    *ts = clock_now(clock);
    return 0;
}

/* clock_getres(2): 1 ns for every clock (both come from the TSC scaled to
 * ns); res may be NULL. 0, or -EINVAL for an unknown clock. */
long sys_clock_getres(int clock, struct linux_timespec *res)
{
    if (!clock_valid(clock))
        return -EINVAL;
    if (res)
        *res = (struct linux_timespec){ .tv_sec = 0, .tv_nsec = 1 };
    return 0;
}

static bool timespec_valid(const struct linux_timespec *t)
{
    return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < NS_PER_SEC;
}

/* Relative duration in ns, saturating (a request of centuries sleeps for
 * centuries, not for a wrapped few seconds). */
static uint64_t timespec_ns(const struct linux_timespec *t)
{
    if ((uint64_t)t->tv_sec >= UINT64_MAX / NS_PER_SEC)
        return UINT64_MAX;
    return (uint64_t)t->tv_sec * NS_PER_SEC + (uint64_t)t->tv_nsec;
}

/* nanosleep(2): sleeps *req (other threads run); never interrupted (no
 * signals arrive), so *rem is not written. 0, -EINVAL (tv_nsec outside
 * 0..999999999 or a negative tv_sec), -EFAULT (req NULL). */
long sys_nanosleep(const struct linux_timespec *req, struct linux_timespec *rem)
{
    (void)rem;
    if (!req)
        return -EFAULT;
    if (!timespec_valid(req))
        return -EINVAL;
    sleep_ns(timespec_ns(req));
    return 0;
}

/* clock_nanosleep(2): as nanosleep on clock REALTIME, MONOTONIC or
 * BOOTTIME; with TIMER_ABSTIME, until *req on that clock (at once if it has
 * passed). 0, -EINVAL (another clock, bad *req), -EFAULT. */
long sys_clock_nanosleep(int clock, int flags, const struct linux_timespec *req,
                         struct linux_timespec *rem)
{
    if (clock != LINUX_CLOCK_REALTIME && clock != LINUX_CLOCK_MONOTONIC &&
        clock != LINUX_CLOCK_BOOTTIME)
        return -EINVAL;
    if (!(flags & LINUX_TIMER_ABSTIME))
        return sys_nanosleep(req, rem);
    if (!req)
        return -EFAULT;
    if (!timespec_valid(req))
        return -EINVAL;
    struct linux_timespec now = clock_now(clock);
    uint64_t now_ns = timespec_ns(&now), then_ns = timespec_ns(req);
    if (then_ns > now_ns)
        sleep_ns(then_ns - now_ns);
    return 0;
}

/* gettimeofday(2): CLOCK_REALTIME in *tv (may be NULL) as seconds and
 * microseconds; *tz, obsolete, reads as UTC with no DST. Always 0. */
long sys_gettimeofday(struct linux_timeval *tv, void *tz)
{
    if (tv) {
        struct linux_timespec now = clock_now(LINUX_CLOCK_REALTIME);
        *tv = (struct linux_timeval){ .tv_sec = now.tv_sec, .tv_usec = now.tv_nsec / 1000 };
    }
    if (tz) {
        int *minutes_west_and_dst = tz;
        minutes_west_and_dst[0] = minutes_west_and_dst[1] = 0;
    }
    return 0;
}

/* struct itimerval (linux/time.h): the interval, then the value. */
struct linux_itimerval {
    struct linux_timeval interval, value;
};
#define LINUX_ITIMER_REAL 0

/* setitimer(2), as far as mote can keep it: no timer is ever armed, since
 * mote delivers no signals (a timer's expiry is a SIGALRM), so disarming
 * ITIMER_REAL (alarm(0)) succeeds and reports no previous timer; arming
 * one is -ENOSYS, and other timers -EINVAL. */
long sys_setitimer(int which, const struct linux_itimerval *value, struct linux_itimerval *old)
{
    if (which != LINUX_ITIMER_REAL)
        return -EINVAL;
    if (!value)
        return -EFAULT;
    if (value->value.tv_sec || value->value.tv_usec)
        return -ENOSYS;
    if (old)
        *old = (struct linux_itimerval){ { 0, 0 }, { 0, 0 } };
    return 0;
}
