/* SPDX-License-Identifier: MIT */
/*
 * Exact decimal expansion of a double, shared by printf's %e %f %g
 * (libc/printf_fp.c). A double is m * 2^e with integer m, so its decimal
 * expansion is finite: at most 767 significant digits (the smallest
 * subnormal, 2^-1074). These functions compute all of them with integer
 * arithmetic, then round in decimal, so output is exact to the last digit,
 * as glibc's is. No floating-point instruction is used here.
 */
#ifndef LIBC_DECIMAL_H
#define LIBC_DECIMAL_H

#include <stdint.h>

#define DECIMAL_MAX_DIGITS 800

/* value = 0.d[0]d[1]...d[n-1] * 10^point; n == 0 means zero. */
struct decimal {
    char d[DECIMAL_MAX_DIGITS];     /* '0'..'9', no trailing zeros */
    int n;
    int point;
};

/* Expands m * 2^e exactly (m < 2^64, -1100 < e < 1024). */
void decimal_from_binary(struct decimal *dec, uint64_t m, int e);

/* Keeps the first `keep` digits (any int; <= 0 leaves a power of ten or
 * zero), rounding to nearest with ties to even as glibc does. */
void decimal_round(struct decimal *dec, int keep);

#endif
