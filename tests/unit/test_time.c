/* SPDX-License-Identifier: MIT */
/*
 * Calendar time (libc/time_format.c) against glibc with TZ=UTC: gmtime_r
 * and timegm over random 64-bit times (years -10^6..10^6 and near the
 * epoch), timegm's normalisation of out-of-range fields, and strftime for
 * every conversion mote supports, on random dates (ISO weeks at year ends
 * included).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "check.h"
#include "../rand.h"

struct tm *mote_gmtime_r(const time_t *t, struct tm *tm);
time_t mote_timegm(struct tm *tm);
size_t mote_strftime(char *buf, size_t size, const char *fmt, const struct tm *tm);

static uint64_t seed = 0x2545f4914f6cdd1dull;

static time_t random_time(void)
{
    uint64_t r = xorshift64star(&seed);
    switch (r % 3) {
    case 0: return (time_t)(r >> 3) % 4000000000ll - 1000000000ll;          /* 1938..2096 */
    case 1: return (time_t)(r >> 3) % 31556952000000ll - 15778476000000ll; /* +-500000 years */
    default: return (time_t)(r >> 3) % 400000000ll * 86400 / 86400 * 86400 - 86400 * 3; /* midnights */
    }
}

static bool same_tm(const struct tm *a, const struct tm *b)
{
    return a->tm_sec == b->tm_sec && a->tm_min == b->tm_min && a->tm_hour == b->tm_hour &&
           a->tm_mday == b->tm_mday && a->tm_mon == b->tm_mon && a->tm_year == b->tm_year &&
           a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday && a->tm_isdst == b->tm_isdst;
}

static void test_gmtime_timegm(void)
{
    int budget = 20;
    for (int i = 0; i < 100000 && budget > 0; i++) {
        time_t t = random_time();
        struct tm mine, theirs;
        mote_gmtime_r(&t, &mine);
        gmtime_r(&t, &theirs);
        if (!same_tm(&mine, &theirs) || mote_timegm(&mine) != t) {
            CHECK(0, "gmtime_r/timegm(%lld): mote %d-%d-%d %d:%d:%d wday %d yday %d",
                  (long long)t, mine.tm_year, mine.tm_mon, mine.tm_mday, mine.tm_hour,
                  mine.tm_min, mine.tm_sec, mine.tm_wday, mine.tm_yday);
            budget--;
        }
    }
}

/* Fields outside their ranges (negative days, month 25, second 3600) are
 * carried as glibc's timegm carries them. */
static void test_timegm_normalises(void)
{
    int budget = 20;
    for (int i = 0; i < 50000 && budget > 0; i++) {
        struct tm a = { 0 };
        a.tm_year = (int)(xorshift64star(&seed) % 400) - 100;
        a.tm_mon = (int)(xorshift64star(&seed) % 60) - 30;
        a.tm_mday = (int)(xorshift64star(&seed) % 100) - 30;
        a.tm_hour = (int)(xorshift64star(&seed) % 100) - 30;
        a.tm_min = (int)(xorshift64star(&seed) % 200) - 60;
        a.tm_sec = (int)(xorshift64star(&seed) % 8000) - 4000;
        struct tm b = a;
        time_t tm_mine = mote_timegm(&a), tm_theirs = timegm(&b);
        if (tm_mine != tm_theirs || !same_tm(&a, &b)) {
            CHECK(0, "timegm: mote %lld, glibc %lld", (long long)tm_mine, (long long)tm_theirs);
            budget--;
        }
    }
}

static void test_strftime(void)
{
    static const char *const formats[] = {
        "%a %A %b %B %h", "%c", "%C %y %Y", "%d %e %j", "%D %F %T %R %r", "%H %I %M %S %p",
        "%m %n%t %%", "%u %w", "%U %W", "%G %g %V", "%x %X", "%z %Z", "%s", "plain text",
        "%Ey %OH", "", "%Y-%m-%dT%H:%M:%SZ",
    };
    int budget = 20;
    for (int i = 0; i < 50000 && budget > 0; i++) {
        time_t t = random_time() % 20000000000ll;
        struct tm tm;
        gmtime_r(&t, &tm);
        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
            char mine[200], theirs[200];
            size_t nm = mote_strftime(mine, sizeof(mine), formats[f], &tm);
            size_t nt = strftime(theirs, sizeof(theirs), formats[f], &tm);
            if (nm != nt || strcmp(mine, theirs)) {
                CHECK(0, "strftime \"%s\" at %lld: mote \"%s\", glibc \"%s\"", formats[f],
                      (long long)t, mine, theirs);
                budget--;
            }
        }
    }
    struct tm tm;
    time_t t = 0;
    gmtime_r(&t, &tm);
    char small[8];
    CHECK(mote_strftime(small, sizeof(small), "%Y-%m-%d", &tm) == 0, "too small: 0");
    CHECK(mote_strftime(small, sizeof(small), "%H:%M", &tm) == 5 && !strcmp(small, "00:00"),
          "fits: %s", small);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    RUN("time", test_gmtime_timegm);
    RUN("time", test_timegm_normalises);
    RUN("time", test_strftime);
    return check_tests_failed ? 1 : 0;
}
