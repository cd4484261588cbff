/* SPDX-License-Identifier: MIT */
/*
 * printf's %e %f %g (libc/printf_fp.c through lib/vsnprintf.c) against
 * glibc: random bit patterns (every exponent, subnormals, inf, nan), random
 * "human" values, and the halfway cases where rounding is decided, each in
 * many formats (flags, widths, precisions up to 60, and %.1074f exactness).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include "check.h"
#include "../rand.h"

static const char *const formats[] = {
    "%f", "%e", "%g", "%E", "%G", "%F", "%.0f", "%.0e", "%.0g", "%.1f", "%.3f",
    "%.3e", "%.3g", "%.10f", "%.17g", "%.17e", "%.20e", "%.25f", "%.60f", "%#.0f",
    "%#.0e", "%#.8g", "%+f", "% e", "%+.2g", "%12.4f", "%-12.4f|",
    "%012.4f", "%+012.3e", "%-+14.5g|", "% 010g", "%025.17g", "%.1g", "%.2g", "%30e",
    "%Lf", "%.5Lg",
};

static uint64_t seed = 0x1234567890abcdefull;

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof(d));
    return d;
}

static int compare(const char *fmt, double v)
{
    char mine[2048], theirs[2048];
    int rm, rt;

    if (strchr(fmt, 'L')) {
        rm = mote_snprintf(mine, sizeof(mine), fmt, (long double)v);
        rt = snprintf(theirs, sizeof(theirs), fmt, (long double)v);
    } else {
        rm = mote_snprintf(mine, sizeof(mine), fmt, v);
        rt = snprintf(theirs, sizeof(theirs), fmt, v);
    }
    if (rm != rt || strcmp(mine, theirs)) {
        CHECK(0, "format \"%s\" value %a: mote \"%s\" (%d), glibc \"%s\" (%d)", fmt, v,
              mine, rm, theirs, rt);
        return 1;
    }
    return 0;
}

static void compare_all_formats(double v, int *budget)
{
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        if (*budget > 0 && compare(formats[f], v))
            (*budget)--;
}

static void test_special_values(void)
{
    static const double values[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125, 0.05, 0.15, 0.25, 0.35, 9.5,
        99.5, 999.9999, 1e-5, 1e-4, 123456.0, 1234567.0, 1e15, 1e16, 1e17, 1e22,
        1e23, 1e300, 1.7976931348623157e308, 2.2250738585072014e-308,
        4.9406564584124654e-324, 1e-320, 3.14159265358979, 2.718281828459045, 0.1,
        0.2, 0.3, 1.0 / 3, 2.0 / 3, 9.999999e-5, 0.00009999995, 999999.5, 9999995.0,
        INFINITY, -INFINITY, NAN, -NAN,
    };
    int budget = 30;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        compare_all_formats(values[i], &budget);
    compare("%.1074f", 4.9406564584124654e-324);
    compare("%.1074e", 4.9406564584124654e-324);
    compare("%.400f", 1.7976931348623157e308);
    compare("%f", 1.7976931348623157e308);
    compare("%.0f", 0.5);
    compare("%.0f", 1.5);
    compare("%.0f", 2.5);
    compare("%.0f", 3.5);
    compare("%.1f", 0.25);
    compare("%.1f", 0.35);
    compare("%.2f", 1.005);
    char buf[64];
    mote_snprintf(buf, sizeof(buf), "%8.3f|%-8.3e|%g", 3.14159, 3.14159, 3.14159);
    CHECK(!strcmp(buf, "   3.142|3.142e+00|3.14159"), "three conversions: %s", buf);
    /* '#' with %g keeps trailing zeros (C11 7.21.6.1). When rounding adds a
     * digit (999999.5 -> 1e+06) glibc 2.36 prints "1.e+06"; the standard's
     * P - 1 = 5 fraction digits are kept here, so this one is not compared. */
    mote_snprintf(buf, sizeof(buf), "%#g|%#.3g|%#g", 999999.5, 999.9, 1.5);
    CHECK(!strcmp(buf, "1.00000e+06|1.00e+03|1.50000"), "%%#g: %s", buf);
}

/* Random bit patterns: every exponent, subnormals, inf and nan alike. */
static void test_random_bits(void)
{
    int budget = 30;
    for (int i = 0; i < 20000 && budget > 0; i++)
        compare_all_formats(from_bits(xorshift64star(&seed)), &budget);
}

/* Values people print: small integers over powers of ten, near a rounding
 * boundary of the formats above. */
static void test_random_decimal_values(void)
{
    int budget = 30;
    for (int i = 0; i < 20000 && budget > 0; i++) {
        uint64_t r = xorshift64star(&seed);
        double v = (double)(r % 2000001) - 1000000.0;
        int scale = (int)(r >> 40) % 24 - 12;
        v = v * pow(10.0, scale);
        compare_all_formats(v, &budget);
        /* An exact halfway case: k + 0.5 at 1 digit, k + 0.25 at 2. */
        compare_all_formats((double)(r % 100000) + 0.5, &budget);
        compare_all_formats((double)(r % 100000) / 4.0, &budget);
    }
}

int main(void)
{
    RUN("printf_fp", test_special_values);
    RUN("printf_fp", test_random_bits);
    RUN("printf_fp", test_random_decimal_values);
    return check_tests_failed ? 1 : 0;
}
