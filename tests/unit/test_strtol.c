/* SPDX-License-Identifier: MIT */
/*
 * strtol, strtoul, strtoll, strtoull, atoi, atol, atoll (libc/strtol.c)
 * against glibc: values, end pointers and errno, over generated inputs
 * (random digits in every base 0 and 2..36, signs, white space, prefixes,
 * overflow by one and by far) and invalid bases.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include "check.h"
#include "../rand.h"

static uint64_t seed = 0x0123456789abcdefull;

#define COMPARE(fn, type, fmt, s, base)                                       \
    do {                                                                      \
        char *em, *et;                                                        \
        errno = 0;                                                            \
        type vm = mote_##fn(s, &em, base);                                    \
        int errm = errno;                                                     \
        errno = 0;                                                            \
        type vt = fn(s, &et, base);                                           \
        int errt = errno;                                                     \
        /* glibc leaves *end unset for an invalid base: not compared. */  \
        bool valid = base == 0 || (base >= 2 && base <= 36);                \
        if (vm != vt || (valid && em != et) || errm != errt) {                           \
            CHECK(0, #fn "(\"%s\", %d): mote " fmt " +%td errno %d, glibc " fmt \
                  " +%td errno %d", s, base, vm, em - s, errm, vt, et - s, errt); \
            failed++;                                                         \
        }                                                                     \
    } while (0)

static int compare_all(const char *s, int base)
{
    int failed = 0;
    COMPARE(strtol, long, "%ld", s, base);
    COMPARE(strtoul, unsigned long, "%lu", s, base);
    COMPARE(strtoll, long long, "%lld", s, base);
    COMPARE(strtoull, unsigned long long, "%llu", s, base);
    if (base == 10) {
        /* atoi of an out-of-range value is undefined; compare in range only. */
        errno = 0;
        long v = strtol(s, NULL, 10);
        if (!errno && v >= INT_MIN && v <= INT_MAX)
            CHECK(mote_atoi(s) == atoi(s), "atoi(\"%s\")", s);
        if (!errno)
            CHECK(mote_atol(s) == atol(s) && mote_atoll(s) == atoll(s), "atol/atoll(\"%s\")", s);
    }
    return failed;
}

static void test_fixed(void)
{
    static const char *const inputs[] = {
        "0", "-0", "42", "  -42", "\t\n+7x", "0x1f", "0X1F", "0x", "0xg", "010", "08", "-",
        "+", "", "  ", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "-18446744073709551615", "-18446744073709551616", "99999999999999999999999999",
        "zz", "ZZ", "1z", "--1", "+-1", "0b101",
    };
    static const int bases[] = { 0, 2, 8, 10, 16, 36, 1, -1, 37 };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
            compare_all(inputs[i], bases[b]);
}

static void test_generated(void)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCZ";
    int budget = 20;
    for (int i = 0; i < 100000 && budget > 0; i++) {
        char s[64];
        int len = 0;
        uint64_t r = xorshift64star(&seed);
        int base = r % 5 == 0 ? 0 : 2 + (int)(r % 35);
        if (r >> 8 & 1)
            s[len++] = ' ';
        if (r >> 9 & 3)
            s[len++] = "+- "[(r >> 11) % 3];
        if ((r >> 13 & 7) == 0) {
            s[len++] = '0';
            s[len++] = 'x';
        }
        int n = (int)((r >> 16) % 30);
        for (int k = 0; k < n; k++)
            s[len++] = digits[xorshift64star(&seed) % (sizeof(digits) - 1)];
        s[len] = '\0';
        budget -= compare_all(s, base) > 0;
        snprintf(s, sizeof(s), "%lld", (long long)xorshift64star(&seed) >> (r % 64));
        budget -= compare_all(s, 10) > 0;
    }
}

int main(void)
{
    RUN("strtol", test_fixed);
    RUN("strtol", test_generated);
    return check_tests_failed ? 1 : 0;
}
