/* SPDX-License-Identifier: MIT */
/*
 * Host tests for Unix time to UTC dates (lib/utc.c) against the host's
 * gmtime_r and strftime: edges (epoch, 2038, leap days, centuries), every day
 * of several 400-year cycles, and random 64-bit-range times.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "../../lib/utc.h"
#include "../rand.h"

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
    return xorshift64star(&rng_state);
}

static void compare(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    struct utc_date d;

    if (!gmtime_r(&tt, &tm))
        return;         /* outside what the host can represent */
    utc_from_unix(t, &d);
    CHECK(d.year == tm.tm_year + 1900LL && d.month == tm.tm_mon + 1 && d.day == tm.tm_mday &&
          d.hour == tm.tm_hour && d.min == tm.tm_min && d.sec == tm.tm_sec &&
          d.weekday == tm.tm_wday,
          "t=%lld: got %lld-%d-%d %d:%d:%d wd%d, host %d-%d-%d %d:%d:%d wd%d", (long long)t,
          (long long)d.year, d.month, d.day, d.hour, d.min, d.sec, d.weekday,
          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
          tm.tm_wday);

    /* The formatted string, where strftime's %Y is four digits. */
    if (d.year >= 1000 && d.year <= 9999) {
        char want[64], got[64];
        strftime(want, sizeof(want), "%Y-%m-%d %H:%M:%S UTC", &tm);
        utc_format(got, sizeof(got), t);
        CHECK(!strcmp(got, want), "t=%lld: got \"%s\" want \"%s\"", (long long)t, got, want);
    }
}

static void test_edges(void)
{
    static const int64_t ts[] = {
        0, 1, -1, 59, 60, 86399, 86400, -86400, -86401,
        951782399, 951782400, 951868800,        /* 2000-02-28/29, 2000-03-01 (leap century) */
        4107542399LL, 4107542400LL,             /* 2100-02-28 23:59:59, 2100-03-01 (not leap) */
        2147483647LL, 2147483648LL,             /* the 32-bit time_t end, and past it */
        4294967295LL, 4294967296LL,             /* where a 32-bit wc_sec wraps (2106) */
        253402300799LL, 253402300800LL,         /* 9999-12-31 23:59:59, year 10000 */
        -62135596800LL, -62167219200LL,         /* 0001-01-01, 0000-01-01 */
        1763889321LL,
    };
    for (unsigned i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
        compare(ts[i]);

    char buf[64];
    utc_format(buf, sizeof(buf), 2147483648LL);
    CHECK(!strcmp(buf, "2038-01-19 03:14:08 UTC"), "got %s", buf);
    utc_format(buf, sizeof(buf), 4294967296LL);
    CHECK(!strcmp(buf, "2106-02-07 06:28:16 UTC"), "got %s", buf);
}

/* Every day (at a varying time of day) from 1600 to 2800: three 400-year cycles. */
static void test_every_day(void)
{
    for (int64_t day = -135140; day < 303000; day++) {
        compare(day * 86400 + (day * 7919) % 86400);
        if (check_failures > 20)
            return;
    }
}

static void test_random(void)
{
    for (int i = 0; i < 1000000; i++) {
        /* Up to +-2^46 s (about +-2.2 million years), within gmtime's int year. */
        int64_t t = (int64_t)(rnd() >> 17) - (1LL << 46);
        compare(t);
        if (check_failures > 20)
            return;
    }
}

int main(void)
{
    RUN("utc", test_edges);
    RUN("utc", test_every_day);
    RUN("utc", test_random);
    return check_tests_failed != 0;
}
