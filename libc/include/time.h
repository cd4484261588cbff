/* SPDX-License-Identifier: MIT */
/*
 * <time.h>. Clocks come from Xen (libc/time.c): CLOCK_REALTIME is the UTC
 * wall clock (shared_info's wc_sec/wc_nsec plus system time), and
 * CLOCK_MONOTONIC is Xen system time since boot, which never goes
 * backwards. There are no time zones: local time is UTC, so localtime_r is
 * gmtime_r and mktime is timegm. Calendar conversions and strftime
 * (libc/time_format.c, "C" locale) are compared with glibc's on the host.
 */
#ifndef TIME_H
#define TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t time_t;
typedef long clock_t;
typedef int clockid_t;

#define CLOCKS_PER_SEC 1000000L
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define TIME_UTC 1

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

/* glibc's layout, fields as in C11 7.27.1; tm_zone is always "GMT". */
struct tm {
    int tm_sec, tm_min, tm_hour;    /* 0-60, 0-59, 0-23 */
    int tm_mday, tm_mon, tm_year;   /* 1-31, 0-11, years since 1900 */
    int tm_wday, tm_yday;           /* 0-6 from Sunday, 0-365 */
    int tm_isdst;                   /* always 0 */
    long tm_gmtoff;                 /* always 0 */
    const char *tm_zone;
};

/* Seconds since 1970-01-01 UTC; also stored in *t when t is not NULL. */
time_t time(time_t *t);
/* 0, or -1 with errno EINVAL for another clock. */
int clock_gettime(clockid_t clock, struct timespec *ts);
/* The resolution: 1 ns for both clocks. */
int clock_getres(clockid_t clock, struct timespec *res);
/* Sleeps the calling thread (other threads run); 0, or -1 with errno EINVAL
 * when tv_nsec is outside 0..999999999 or tv_sec is negative. Never
 * interrupted, so *rem (if given) is set to zero. */
int nanosleep(const struct timespec *req, struct timespec *rem);
/* Time since boot (mote has one address space: no process CPU time). */
clock_t clock(void);
double difftime(time_t end, time_t start);

/* NULL with errno EOVERFLOW when the year does not fit an int. */
struct tm *gmtime_r(const time_t *t, struct tm *tm);
struct tm *localtime_r(const time_t *t, struct tm *tm);
/* Normalises tm's fields (60 seconds become a minute, ...), fills tm_wday
 * and tm_yday, and returns the time; -1 with errno EOVERFLOW if out of range. */
time_t timegm(struct tm *tm);
time_t mktime(struct tm *tm);
/* The C-locale conversions %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j
 * %m %M %n %p %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%. Returns
 * the length without the NUL, or 0 (contents undefined) if it does not fit. */
size_t strftime(char *restrict buf, size_t size, const char *restrict fmt,
                const struct tm *restrict tm);

#endif
