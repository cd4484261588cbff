/* SPDX-License-Identifier: MIT */
/*
 * strtod and strtof (ISO C 7.22.1.3), correctly rounded: the decimal input
 * is turned into an exact big-integer ratio and divided out to 64+ bits
 * with a sticky bit, then rounded once to nearest, ties to even. At most
 * 780 significant digits are kept, plus a sticky digit for the rest: a
 * halfway point between two doubles has at most 767, so the rounding is
 * still exact. Only integer arithmetic; the result is assembled bit by bit.
 * glibc's strtod is the reference (tests/unit/test_strtod.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIG_DIGITS 780
#define BIG_LIMBS 130           /* 4160 bits: 10^1105 * 2^66 fits */

/* Unsigned big integers, 32-bit limbs, little-endian. */
struct big {
    uint32_t limb[BIG_LIMBS];
    int n;                      /* limbs in use; the top one is nonzero */
};

static void big_trim(struct big *b)
{
    while (b->n > 0 && !b->limb[b->n - 1])
        b->n--;
}

static void big_muladd(struct big *b, uint32_t mul, uint32_t add)
{
    uint64_t carry = add;

    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->limb[i] * mul + carry;
        b->limb[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry)
        b->limb[b->n++] = (uint32_t)carry;
}

static void big_pow10(struct big *b, int k)
{
    for (; k >= 9; k -= 9)
        big_muladd(b, 1000000000u, 0);
    uint32_t rest = 1;
    while (k--)
        rest *= 10;
    big_muladd(b, rest, 0);
}

static int big_bits(const struct big *b)
{
    if (!b->n)
        return 0;
    return 32 * (b->n - 1) + 32 - __builtin_clz(b->limb[b->n - 1]);
}

static bool big_bit(const struct big *b, int i)
{
    return i >= 0 && i / 32 < b->n && (b->limb[i / 32] >> (i % 32) & 1);
}

/* dst = src << s */
static void big_shl(struct big *dst, const struct big *src, int s)
{
    int words = s / 32, bits = s % 32;

    memset(dst->limb, 0, sizeof(dst->limb));
    for (int i = 0; i < src->n; i++) {
        uint64_t v = (uint64_t)src->limb[i] << bits;
        dst->limb[i + words] |= (uint32_t)v;
        if (i + words + 1 < BIG_LIMBS)
            dst->limb[i + words + 1] |= (uint32_t)(v >> 32);
    }
    dst->n = src->n + words + 1 < BIG_LIMBS ? src->n + words + 1 : BIG_LIMBS;
    big_trim(dst);
}

static int big_cmp(const struct big *a, const struct big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->limb[i] != b->limb[i])
            return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

/* a -= b, for a >= b */
static void big_sub(struct big *a, const struct big *b)
{
    int64_t borrow = 0;

    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->limb[i] - (i < b->n ? b->limb[i] : 0) - borrow;
        borrow = t < 0;
        a->limb[i] = (uint32_t)(t + (borrow << 32));
    }
    big_trim(a);
}

/* The top 64 bits of b (b != 0), *exp so that b ~ m * 2^exp, and whether
 * any bit below them is set. */
static uint64_t big_top64(const struct big *b, int *exp, bool *sticky)
{
    int bits = big_bits(b);
    uint64_t m = 0;

    for (int i = 0; i < 64; i++)
        m = m << 1 | big_bit(b, bits - 1 - i);
    *exp = bits - 64;
    for (int i = 0; i < bits - 64 && !*sticky; i++)
        *sticky = big_bit(b, i);
    return m;
}

/*
 * The double nearest to m * 2^exp (+ a little more if sticky), m != 0.
 * Rounds once, at the precision the result has (fewer bits when subnormal).
 */
static double assemble(uint64_t m, int exp, bool sticky, bool negative)
{
    int shift = __builtin_clzll(m);
    m <<= shift;                    /* top bit set: value = m * 2^(exp - shift) */
    exp -= shift;
    int top = exp + 63;             /* exponent of the leading bit */
    int drop = top >= -1022 ? 11 : 11 + (-1022 - top);
    uint64_t kept, rest, half;

    if (drop >= 64) {               /* below the smallest subnormal's unit */
        kept = 0;
        half = drop == 64 ? m >> 63 : 0;
        rest = drop == 64 ? m << 1 : m;
        sticky = sticky || rest || drop > 64;
        bool up = half && sticky;
        kept = up;
    } else {
        kept = m >> drop;
        rest = m & ((1ull << drop) - 1);
        half = 1ull << (drop - 1);
        if (rest > half || (rest == half && (sticky || (kept & 1))))
            kept++;
        sticky = sticky || rest;
    }

    uint64_t bits;
    if (top >= -1022) {
        if (kept >> 53) {           /* rounding carried into a new bit */
            kept >>= 1;
            top++;
        }
        if (top > 1023) {
            errno = ERANGE;
            bits = 0x7ffull << 52;
        } else {
            bits = (uint64_t)(top + 1023) << 52 | (kept & ((1ull << 52) - 1));
        }
    } else {
        /* Subnormal: a carry into bit 52 is exactly the smallest normal. */
        bits = kept;
        if (kept < 1ull << 52 && (sticky || !kept))
            errno = ERANGE;
    }
    bits |= (uint64_t)negative << 63;
    double d;
    memcpy(&d, &bits, sizeof(d));
    return d;
}

static double signed_zero(bool negative)
{
    return negative ? -0.0 : 0.0;
}

static bool match(const char *p, const char *word)
{
    for (; *word; p++, word++)
        if (tolower((unsigned char)*p) != *word)
            return false;
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads an exponent "e-12" / "p+3" at p if there is one; saturates. */
static const char *parse_exponent(const char *p, char letter, long *exp)
{
    const char *q = p + 1;
    bool neg = false;
    long v = 0;

    *exp = 0;
    if ((*p | 0x20) != letter)
        return p;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-';
    if (!isdigit((unsigned char)*q))
        return p;
    for (; isdigit((unsigned char)*q); q++)
        if (v < 100000000)
            v = v * 10 + (*q - '0');
    *exp = neg ? -v : v;
    return q;
}

/* Hexadecimal digits after "0x": false if there are none. */
static bool parse_hex(const char *p, const char **end, bool negative, double *out)
{
    uint64_t m = 0;
    long exp = 0;
    bool any = false, sticky = false, point = false;

    for (;; p++) {
        if (*p == '.' && !point) {
            point = true;
            continue;
        }
        int v = hex_value(*p);
        if (v < 0)
            break;
        any = true;
        if (m >> 60) {              /* no room: keep as sticky, scale instead */
            sticky = sticky || v;
            if (!point)
                exp += 4;
        } else {
            m = m << 4 | (uint64_t)v;
            if (point)
                exp -= 4;
        }
    }
    if (!any)
        return false;
    long e;
    *end = parse_exponent(p, 'p', &e);
    exp += e;
    if (exp > 5000)
        exp = 5000;
    if (exp < -5000)
        exp = -5000;
    *out = m ? assemble(m, (int)exp, sticky, negative) : signed_zero(negative);
    return true;
}

/* D * 10^scale as (m, exp, sticky) with m the top 64 bits, D != 0. */
static uint64_t scale_decimal(struct big *d, long scale, int *exp, bool *rest)
{
    if (scale >= 0) {
        big_pow10(d, (int)scale);
        return big_top64(d, exp, rest);
    }
    static struct big den_init = { { 1 }, 1 };
    struct big den = den_init, num, shifted;
    big_pow10(&den, (int)-scale);
    /* D / 10^-scale = (D * 2^s) / 10^-scale * 2^-s, with s chosen so that
     * the quotient has 66 to 68 bits; a negative s scales the divisor. */
    int s = big_bits(&den) - big_bits(d) + 66;
    if (s >= 0) {
        big_shl(&num, d, s);
    } else {
        num = *d;
        big_shl(&shifted, &den, -s);
        den = shifted;
    }
    /* q = num / den by shift-and-subtract; q < 2^68 by the choice of s. */
    unsigned __int128 q = 0;
    for (int i = 68; i >= 0; i--) {
        big_shl(&shifted, &den, i);
        if (big_cmp(&num, &shifted) >= 0) {
            big_sub(&num, &shifted);
            q |= (unsigned __int128)1 << i;
        }
    }
    *rest = num.n != 0;
    *exp = -s;
    while (q >> 64) {
        *rest = *rest || (q & 1);
        q >>= 1;
        (*exp)++;
    }
    return (uint64_t)q;
}

/* Decimal digits with an optional point and exponent: false if no digit. */
static bool parse_decimal(const char *p, const char **end, bool negative, double *out)
{
    char digits[MAX_SIG_DIGITS + 1];
    int nd = 0;
    long exp10 = 0;                 /* value = 0.digits * 10^exp10 */
    bool any = false, point = false, sticky = false;

    for (;; p++) {
        if (*p == '.' && !point) {
            point = true;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            break;
        any = true;
        if (*p == '0' && nd == 0) { /* leading zeros only move the point */
            if (point)
                exp10--;
            continue;
        }
        if (nd < MAX_SIG_DIGITS)
            digits[nd++] = *p;
        else
            sticky = sticky || *p != '0';
        if (!point)
            exp10++;
    }
    if (!any)
        return false;
    long e;
    *end = parse_exponent(p, 'e', &e);
    if (!nd) {
        *out = signed_zero(negative);
        return true;
    }
    long point10 = exp10 + e;
    if (point10 > 310) {
        errno = ERANGE;
        *out = negative ? -__builtin_inf() : __builtin_inf();
        return true;
    }
    if (point10 < -324) {
        errno = ERANGE;
        *out = signed_zero(negative);
        return true;
    }
    if (sticky)
        digits[nd++] = '1';         /* a digit past the rest: keeps it inexact */

    struct big d = { .n = 0 };
    for (int i = 0; i < nd; i++)
        big_muladd(&d, 10, (uint32_t)(digits[i] - '0'));
    big_trim(&d);
    int exp;
    bool rest = false;
    uint64_t m = scale_decimal(&d, point10 - nd, &exp, &rest);
    *out = assemble(m, exp, rest, negative);
    return true;
}

double strtod(const char *restrict s, char **restrict end)
{
    const char *p = s, *stop = s;
    bool negative = false;
    double v = 0;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if (match(p, "inf")) {
        stop = p + (match(p, "infinity") ? 8 : 3);
        v = negative ? -__builtin_inf() : __builtin_inf();
    } else if (match(p, "nan")) {
        stop = p + 3;
        if (*stop == '(') {         /* nan(n-char-sequence) */
            const char *q = stop + 1;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (*q == ')')
                stop = q + 1;
        }
        v = negative ? -__builtin_nan("") : __builtin_nan("");
    } else if (p[0] == '0' && (p[1] | 0x20) == 'x' && parse_hex(p + 2, &stop, negative, &v)) {
        /* v and stop set */
    } else if (!parse_decimal(p, &stop, negative, &v)) {
        stop = s;                   /* no number: *end = s, result 0 */
    }
    if (end)
        *end = (char *)stop;
    return v;
}

/* Parsed as a double, then narrowed: double rounding can differ from a
 * direct conversion in rare halfway cases (not tested against glibc). */
float strtof(const char *restrict s, char **restrict end)
{
    return (float)strtod(s, end);
}

double atof(const char *s)
{
    return strtod(s, NULL);
}
