/*
 * strtoul/strtol (ISO C 7.22.1.4) without errno: leading spaces, an optional
 * sign, base 0 (0x.. hex, 0.. octal, else decimal) or 2..36, and *end set past
 * the last digit used (to s when there was none). Overflow saturates to
 * ULONG_MAX / LONG_MAX / LONG_MIN as the standard requires.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* Parses the magnitude; *negative gets the sign, *overflow whether it saturated. */
static unsigned long parse_magnitude(const char *s, char **end, int base,
                                     bool *negative, bool *overflow)
{
    const char *p = s;
    unsigned long value = 0;
    bool any = false;

    *negative = false;
    *overflow = false;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
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
    if (base < 2 || base > 36) {
        if (end)
            *end = (char *)s;
        return 0;
    }
    for (int d; (d = digit_value(*p)) < base; p++) {
        any = true;
        if (value > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
            *overflow = true;
        else
            value = value * (unsigned long)base + (unsigned long)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return *overflow ? ULONG_MAX : value;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    bool negative, overflow;
    unsigned long v = parse_magnitude(s, end, base, &negative, &overflow);

    if (overflow)
        return ULONG_MAX;
    return negative ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
    bool negative, overflow;
    unsigned long v = parse_magnitude(s, end, base, &negative, &overflow);

    if (negative)
        return (overflow || v > (unsigned long)LONG_MAX + 1) ? LONG_MIN : (long)(0 - v);
    return (overflow || v > LONG_MAX) ? LONG_MAX : (long)v;
}
