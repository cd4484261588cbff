/* SPDX-License-Identifier: MIT */
/*
 * Calendar time (<time.h>): gmtime_r, timegm/mktime and strftime, in UTC
 * and the "C" locale. Dates come from lib/utc.c (days to civil dates);
 * days_from_civil below is its inverse (Howard Hinnant's algorithm again).
 * Pure functions: tests/unit/test_time.c compares them with glibc's.
 */
#include <errno.h>
#include <format.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <utc.h>

static const char *const weekday_names[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to year-month-day (month 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
    struct utc_date d;

    /* Beyond this the year overflows int64 arithmetic as well as tm_year. */
    if (*t > (int64_t)INT_MAX * 366 * 86400 || *t < (int64_t)INT_MIN * 366 * 86400) {
        errno = EOVERFLOW;
        return NULL;
    }
    utc_from_unix(*t, &d);
    if (d.year - 1900 > INT_MAX || d.year - 1900 < INT_MIN) {
        errno = EOVERFLOW;
        return NULL;
    }
    tm->tm_sec = d.sec;
    tm->tm_min = d.min;
    tm->tm_hour = d.hour;
    tm->tm_mday = d.day;
    tm->tm_mon = d.month - 1;
    tm->tm_year = (int)(d.year - 1900);
    tm->tm_wday = d.weekday;
    tm->tm_yday = (int)(days_from_civil(d.year, d.month, d.day) - days_from_civil(d.year, 1, 1));
    tm->tm_isdst = 0;
    tm->tm_gmtoff = 0;
    tm->tm_zone = "GMT";
    return tm;
}

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
    return gmtime_r(t, tm);
}

time_t timegm(struct tm *tm)
{
    /* Months first (they carry into years), then everything as seconds. */
    int64_t mon = tm->tm_mon;
    int64_t year = (int64_t)tm->tm_year + 1900 + floor_div(mon, 12);
    mon -= floor_div(mon, 12) * 12;
    int64_t days = days_from_civil(year, (int)mon + 1, 1) + tm->tm_mday - 1;
    time_t t = days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 + tm->tm_sec;
    struct tm out;
    if (!gmtime_r(&t, &out))
        return -1;
    *tm = out;
    return t;
}

time_t mktime(struct tm *tm)
{
    return timegm(tm);
}

/* ISO 8601 week-based year and week (for %G %g %V): weeks start on Monday,
 * and week 1 is the one with the year's first Thursday. */
static int iso_week(const struct tm *tm, int64_t *iso_year)
{
    int64_t year = (int64_t)tm->tm_year + 1900;
    int wday = (tm->tm_wday + 6) % 7;               /* Monday 0 */
    int week = (tm->tm_yday - wday + 10) / 7;

    if (week < 1) {
        year--;
        int yday = tm->tm_yday + (is_leap(year) ? 366 : 365);
        week = (yday - wday + 10) / 7;
    } else if (week == 53) {
        int days = is_leap(year) ? 366 : 365;
        if (tm->tm_yday - wday + 3 >= days) {       /* that Thursday is next year */
            week = 1;
            year++;
        }
    }
    *iso_year = year;
    return week;
}

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++, o->len++)
        if (o->len < o->size)
            o->buf[o->len] = s[i];
}

static void putf(struct out *o, const char *fmt, long long v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), fmt, v);
    put(o, tmp, (size_t)n);
}

static void put_name(struct out *o, const char *const *names, int count, int i, bool full)
{
    const char *name = i >= 0 && i < count ? names[i] : "?";
    put(o, name, full ? strlen(name) : strnlen(name, 3));
}

static void format(struct out *o, const char *fmt, const struct tm *tm);

static void conversion(struct out *o, char c, const struct tm *tm)
{
    long long year = (long long)tm->tm_year + 1900;
    int64_t iso_year;

    switch (c) {
    case 'a': put_name(o, weekday_names, 7, tm->tm_wday, false); break;
    case 'A': put_name(o, weekday_names, 7, tm->tm_wday, true); break;
    case 'b': case 'h': put_name(o, month_names, 12, tm->tm_mon, false); break;
    case 'B': put_name(o, month_names, 12, tm->tm_mon, true); break;
    case 'c': format(o, "%a %b %e %H:%M:%S %Y", tm); break;
    case 'C': putf(o, "%02lld", floor_div(year, 100)); break;
    case 'd': putf(o, "%02lld", tm->tm_mday); break;
    case 'D': case 'x': format(o, "%m/%d/%y", tm); break;
    case 'e': putf(o, "%2lld", tm->tm_mday); break;
    case 'F': format(o, "%Y-%m-%d", tm); break;
    case 'g': iso_week(tm, &iso_year); putf(o, "%02lld", (iso_year % 100 + 100) % 100); break;
    case 'G': iso_week(tm, &iso_year); putf(o, "%lld", iso_year); break;
    case 'H': putf(o, "%02lld", tm->tm_hour); break;
    case 'I': putf(o, "%02lld", tm->tm_hour % 12 ? tm->tm_hour % 12 : 12); break;
    case 'j': putf(o, "%03lld", tm->tm_yday + 1); break;
    case 'm': putf(o, "%02lld", tm->tm_mon + 1); break;
    case 'M': putf(o, "%02lld", tm->tm_min); break;
    case 'n': put(o, "\n", 1); break;
    case 'p': put(o, tm->tm_hour < 12 ? "AM" : "PM", 2); break;
    case 'r': format(o, "%I:%M:%S %p", tm); break;
    case 'R': format(o, "%H:%M", tm); break;
    case 's': {
        struct tm copy = *tm;
        putf(o, "%lld", (long long)timegm(&copy));
        break;
    }
    case 'S': putf(o, "%02lld", tm->tm_sec); break;
    case 't': put(o, "\t", 1); break;
    case 'T': case 'X': format(o, "%H:%M:%S", tm); break;
    case 'u': putf(o, "%lld", tm->tm_wday ? tm->tm_wday : 7); break;
    case 'U': putf(o, "%02lld", (tm->tm_yday + 7 - tm->tm_wday) / 7); break;
    case 'V': putf(o, "%02lld", iso_week(tm, &iso_year)); break;
    case 'w': putf(o, "%lld", tm->tm_wday); break;
    case 'W': putf(o, "%02lld", (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7); break;
    case 'y': putf(o, "%02lld", (year % 100 + 100) % 100); break;
    case 'Y': putf(o, "%lld", year); break;
    case 'z': put(o, "+0000", 5); break;
    case 'Z': put(o, "GMT", 3); break;
    case '%': put(o, "%", 1); break;
    default: {                                  /* unknown: copied as it is */
        char s[2] = { '%', c };
        put(o, s, c ? 2 : 1);
    }
    }
}

static void format(struct out *o, const char *fmt, const struct tm *tm)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(o, fmt, 1);
            continue;
        }
        fmt++;
        if (*fmt == 'E' || *fmt == 'O')         /* locale modifiers: no effect in "C" */
            fmt++;
        conversion(o, *fmt, tm);
        if (!*fmt)
            break;
    }
}

size_t strftime(char *restrict buf, size_t size, const char *restrict fmt,
                const struct tm *restrict tm)
{
    struct out o = { buf, size, 0 };

    format(&o, fmt, tm);
    if (o.len >= size)
        return 0;
    buf[o.len] = '\0';
    return o.len;
}
