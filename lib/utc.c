/* SPDX-License-Identifier: MIT */
/*
 * Unix time to UTC calendar dates (lib/utc.h).
 *
 * Days to year/month/day uses Howard Hinnant's civil_from_days
 * (http://howardhinnant.github.io/date_algorithms.html): shift the epoch to
 * 0000-03-01 so the leap day is the last day of a year, then split into
 * 400-year eras of 146097 days, which repeat exactly. Only divisions by
 * constants, so no libgcc helper is needed. tests/unit/test_utc.c compares it
 * with the host's gmtime_r.
 */
#include <format.h>
#include <utc.h>

#define SECS_PER_DAY 86400

/* Floor division: C rounds toward zero, calendars need toward minus infinity. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b < 0) ? q - 1 : q;
}

void utc_from_unix(int64_t t, struct utc_date *d)
{
    int64_t days = floor_div(t, SECS_PER_DAY);
    int64_t secs = t - days * SECS_PER_DAY;        /* 0 .. 86399 */

    d->hour = (int)(secs / 3600);
    d->min = (int)(secs / 60 % 60);
    d->sec = (int)(secs % 60);
    /* 1970-01-01 was a Thursday (4). */
    d->weekday = (int)(days - floor_div(days + 4, 7) * 7 + 4);

    int64_t z = days + 719468;                     /* days since 0000-03-01 */
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                /* day of era, 0 .. 146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0 .. 399 */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* from March 1, 0 .. 365 */
    int64_t mp = (5 * doy + 2) / 153;              /* March = 0 .. February = 11 */

    d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    /* January and February belong to the next civil year. */
    d->year = yoe + era * 400 + (d->month <= 2);
}

int utc_format(char *buf, size_t size, int64_t t)
{
    struct utc_date d;

    utc_from_unix(t, &d);
    return snprintf(buf, size, "%04lld-%02d-%02d %02d:%02d:%02d UTC", (long long)d.year,
                    d.month, d.day, d.hour, d.min, d.sec);
}
