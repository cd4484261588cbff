/* SPDX-License-Identifier: MIT */
/*
 * strtol, strtoul, strtoll, strtoull (ISO C 7.22.1.4) and atoi/atol/atoll:
 * leading white space, an optional sign, base 0 (0x.. hex, 0.. octal, else
 * decimal) or 2..36, and *end set past the last digit used (to s when there
 * was none). Overflow saturates and sets errno to ERANGE; an unsupported
 * base sets EINVAL, as glibc does. long and long long are both 64 bits here,
 * so one parser serves all four.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdlib.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* Parses the magnitude; *negative gets the sign, *overflow whether it saturated. */
static unsigned long long parse_magnitude(const char *s, char **end, int base,
                                          bool *negative, bool *overflow)
{
    const char *p = s;
    unsigned long long value = 0;
    bool any = false;

    *negative = false;
    *overflow = false;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
        && digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (int d; (d = digit_value(*p)) < base; p++) {
        any = true;
        if (value > (ULLONG_MAX - (unsigned long long)d) / (unsigned long long)base)
            *overflow = true;
        else
            value = value * (unsigned long long)base + (unsigned long long)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return *overflow ? ULLONG_MAX : value;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    bool negative, overflow;
    unsigned long long v = parse_magnitude(s, end, base, &negative, &overflow);

    if (overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return negative ? -v : v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    bool negative, overflow;
    unsigned long long v = parse_magnitude(s, end, base, &negative, &overflow);

    if (negative) {
        if (overflow || v > (unsigned long long)LLONG_MAX + 1) {
            errno = ERANGE;
            return LLONG_MIN;
        }
        return (long long)(0 - v);
    }
    if (overflow || v > LLONG_MAX) {
        errno = ERANGE;
        return LLONG_MAX;
    }
    return (long long)v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}
