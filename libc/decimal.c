/* SPDX-License-Identifier: MIT */
/*
 * Exact binary-to-decimal expansion (libc/decimal.h), with big integers in
 * base 10^9: m * 2^e for e >= 0 is the integer m doubled e times; for e < 0
 * it is m * 5^-e / 10^-e, so the digits are those of the integer m * 5^-e
 * with the decimal point -e places from the right.
 */
#include "decimal.h"
#include <stdbool.h>
#include <string.h>

#define LIMB_BASE 1000000000u
#define MAX_LIMBS 90            /* 10^810 > 2^64 * 5^1100 */

struct big {
    uint32_t limb[MAX_LIMBS];   /* little-endian, base 10^9 */
    int n;
};

static void big_set(struct big *b, uint64_t v)
{
    b->n = 0;
    while (v) {
        b->limb[b->n++] = (uint32_t)(v % LIMB_BASE);
        v /= LIMB_BASE;
    }
}

/* b *= f, for f < 2^32 (so each step stays below 2^64). */
static void big_mul(struct big *b, uint32_t f)
{
    uint64_t carry = 0;

    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->limb[i] * f + carry;
        b->limb[i] = (uint32_t)(t % LIMB_BASE);
        carry = t / LIMB_BASE;
    }
    while (carry) {
        b->limb[b->n++] = (uint32_t)(carry % LIMB_BASE);
        carry /= LIMB_BASE;
    }
}

/* The decimal digits of b, most significant first, into d; returns the count. */
static int big_digits(const struct big *b, char *d)
{
    int n = 0;

    for (int i = b->n - 1; i >= 0; i--) {
        uint32_t v = b->limb[i];
        char chunk[9];
        for (int k = 8; k >= 0; k--, v /= 10)
            chunk[k] = (char)('0' + v % 10);
        int skip = 0;
        if (i == b->n - 1)          /* no leading zeros in the top limb */
            while (skip < 8 && chunk[skip] == '0')
                skip++;
        memcpy(d + n, chunk + skip, (size_t)(9 - skip));
        n += 9 - skip;
    }
    return n;
}

void decimal_from_binary(struct decimal *dec, uint64_t m, int e)
{
    struct big b;

    dec->n = 0;
    dec->point = 0;
    if (m == 0)
        return;
    big_set(&b, m);
    if (e >= 0) {
        for (; e >= 29; e -= 29)
            big_mul(&b, 1u << 29);
        big_mul(&b, 1u << e);
        dec->n = big_digits(&b, dec->d);
        dec->point = dec->n;
    } else {
        int k = -e;
        for (; k >= 13; k -= 13)
            big_mul(&b, 1220703125u);       /* 5^13 */
        uint32_t rest = 1;
        while (k--)
            rest *= 5;
        big_mul(&b, rest);
        dec->n = big_digits(&b, dec->d);
        dec->point = dec->n + e;
    }
    while (dec->n > 0 && dec->d[dec->n - 1] == '0')
        dec->n--;
}

void decimal_round(struct decimal *dec, int keep)
{
    if (keep >= dec->n)
        return;
    if (keep < 0) {                 /* below half of the last kept unit */
        dec->n = 0;
        return;
    }
    bool up;
    char first = dec->d[keep];
    if (first != '5') {
        up = first > '5';
    } else {
        bool beyond = keep + 1 < dec->n;    /* digits are trimmed: any is nonzero */
        bool odd = keep > 0 && (dec->d[keep - 1] - '0') % 2;
        up = beyond || odd;
    }
    dec->n = keep;
    if (up) {
        int i = keep - 1;
        while (i >= 0 && dec->d[i] == '9')
            i--;
        if (i < 0) {                /* 999.. -> 1000..: one more digit before the point */
            dec->d[0] = '1';
            dec->n = 1;
            dec->point++;
            return;
        }
        dec->d[i]++;
        dec->n = i + 1;
    }
    while (dec->n > 0 && dec->d[dec->n - 1] == '0')
        dec->n--;
}
