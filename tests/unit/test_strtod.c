/* SPDX-License-Identifier: MIT */
/*
 * strtod (libc/strtod.c) against glibc's: the same bits, the same end
 * pointer and the same errno, for random doubles printed with 17 digits
 * (the round trip), random decimal strings of every length and exponent
 * (halfway cases included: exactly representable midpoints printed in
 * full), hexadecimal floats, inf/nan spellings, and malformed input.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "../rand.h"

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t bits_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof(b));
    return b;
}

static int compare(const char *s)
{
    char *end_mine, *end_theirs;

    errno = 0;
    double mine = mote_strtod(s, &end_mine);
    int errno_mine = errno;
    errno = 0;
    double theirs = strtod(s, &end_theirs);
    int errno_theirs = errno;
    bool same = bits_of(mine) == bits_of(theirs) || (isnan(mine) && isnan(theirs)
                                                    && signbit(mine) == signbit(theirs));
    if (!same || end_mine != end_theirs || errno_mine != errno_theirs) {
        CHECK(0, "\"%.80s\": mote %a (end +%td, errno %d), glibc %a (end +%td, errno %d)", s,
              mine, end_mine - s, errno_mine, theirs, end_theirs - s, errno_theirs);
        return 1;
    }
    return 0;
}

static void test_fixed_inputs(void)
{
    static const char *const inputs[] = {
        "0", "-0", "+0", "1", "-1", "0.1", "1e10", "1E-10", "  \t\n42", "3.14159",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "1e309", "-1e309", "2.2250738585072014e-308", "2.2250738585072011e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "2.4703282292062326e-324", "1e-324", "1e-400", "1e-99999", "1e99999", ".5", "5.",
        ".", "-.", "e5", "1e", "1e+", "1e-x", "0x", "0x1p3", "0x1.8p-1", "0X.8P1", "0x1p-1074",
        "0x1p-1075", "0x1.0000000000001p-1075", "0x1p1024", "0x1.fffffffffffff8p1023",
        "0xffffffffffffffffffff", "inf", "-INF", "infinity", "Infinityx", "infin", "nan",
        "-nan", "nan(123)", "nan(", "nan(ab_c)x", "abc", "", "-", "+ 1", "00000000000001",
        "0.000000000000000000000000000000000000000000001", "9007199254740993",
        "9007199254740992.5", "9007199254740993.0000000000000000000000000001",
        "123456789012345678901234567890e-20", "1e23", "8.98846567431158e307",
        "0.1e1", "1.e2", "1..2", "1e2e3", "1.5e+00308", "7e-315",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        compare(inputs[i]);
}

/* Every double printed with %.17g reads back exactly (both libraries). */
static void test_round_trip(void)
{
    int budget = 20;
    for (int i = 0; i < 30000 && budget > 0; i++) {
        uint64_t b = xorshift64star(&seed);
        double d;
        memcpy(&d, &b, sizeof(d));
        char s[64];
        snprintf(s, sizeof(s), "%.17g", d);
        if (compare(s))
            budget--;
        if (!isnan(d) && bits_of(mote_strtod(s, NULL)) != bits_of(d)) {
            CHECK(0, "%s does not read back as %a", s, d);
            budget--;
        }
    }
}

/* Random digit strings: 1..40 digits (sometimes 800, beyond what is kept),
 * a point anywhere, exponents that cross overflow and underflow. */
static void test_random_strings(void)
{
    int budget = 20;
    for (int i = 0; i < 30000 && budget > 0; i++) {
        char s[1000];
        uint64_t r = xorshift64star(&seed);
        int n = r % 50 == 0 ? 800 : 1 + (int)(r % 40);
        int point = (int)((r >> 8) % (uint64_t)(n + 1));
        int len = 0;
        if (r >> 20 & 1)
            s[len++] = '-';
        for (int k = 0; k < n; k++) {
            if (k == point)
                s[len++] = '.';
            s[len++] = (char)('0' + xorshift64star(&seed) % 10);
        }
        int exp = (int)((r >> 24) % 700) - 350 - (n > 100 ? 400 : 0);
        if (r >> 40 & 1)
            len += sprintf(s + len, "e%d", exp);
        s[len] = '\0';
        if (compare(s))
            budget--;
    }
}

/* The midpoint between two neighbouring doubles, printed exactly: strtod
 * must round it to the even one; one digit more or less decides. */
static void test_halfway_cases(void)
{
    int budget = 20;
    for (int i = 0; i < 3000 && budget > 0; i++) {
        uint64_t b = xorshift64star(&seed) & 0x7fefffffffffffffull;
        double lo, hi;
        memcpy(&lo, &b, sizeof(lo));
        hi = nextafter(lo, INFINITY);
        long double mid = ((long double)lo + (long double)hi) / 2;
        char s[1200];
        /* long double holds the midpoint exactly when the exponent is in range */
        if (fabsl(mid) > 1e-300L && fabsl(mid) < 1e300L) {
            snprintf(s, sizeof(s), "%.800Le", mid);
            if (compare(s))
                budget--;
        }
        uint64_t sub = xorshift64star(&seed) & 0x000fffffffffffffull;
        memcpy(&lo, &sub, sizeof(lo));
        snprintf(s, sizeof(s), "%.800Le", ((long double)lo + (long double)nextafter(lo, 1)) / 2);
        if (compare(s))
            budget--;
    }
}

/* strtof rounds through double, so it is compared where that is exact:
 * strings printed from floats with 9 digits (which round-trip). atof is
 * strtod without the end pointer. */
static void test_strtof_atof(void)
{
    int budget = 20;
    for (int i = 0; i < 30000 && budget > 0; i++) {
        uint32_t b = (uint32_t)xorshift64star(&seed);
        float f;
        memcpy(&f, &b, sizeof(f));
        char s[64];
        snprintf(s, sizeof(s), "%.9g", f);
        float mine = mote_strtof(s, NULL), theirs = strtof(s, NULL);
        if (memcmp(&mine, &theirs, sizeof(mine)) && !(isnan(mine) && isnan(theirs))) {
            CHECK(0, "strtof(\"%s\"): mote %a, glibc %a", s, mine, theirs);
            budget--;
        }
        double dm = mote_atof(s), dt = atof(s);
        if (bits_of(dm) != bits_of(dt) && !(isnan(dm) && isnan(dt))) {
            CHECK(0, "atof(\"%s\"): mote %a, glibc %a", s, dm, dt);
            budget--;
        }
    }
}

static void test_hex(void)
{
    int budget = 20;
    for (int i = 0; i < 20000 && budget > 0; i++) {
        uint64_t r = xorshift64star(&seed);
        char s[80];
        snprintf(s, sizeof(s), "%s0x%llx.%llxp%d", r & 1 ? "-" : "",
                 (unsigned long long)(xorshift64star(&seed) >> (r % 64)),
                 (unsigned long long)(xorshift64star(&seed) >> (r >> 8) % 64),
                 (int)((r >> 20) % 2400) - 1200);
        if (compare(s))
            budget--;
    }
}

int main(void)
{
    RUN("strtod", test_fixed_inputs);
    RUN("strtod", test_round_trip);
    RUN("strtod", test_random_strings);
    RUN("strtod", test_halfway_cases);
    RUN("strtod", test_hex);
    RUN("strtod", test_strtof_atof);
    return check_tests_failed ? 1 : 0;
}
