/* SPDX-License-Identifier: MIT */
/*
 * xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift
 * generators"): the reproducible pseudo-random inputs of the host unit tests
 * (tests/unit) and the boot-test kernels (tests/kernels). Each test keeps its
 * own non-zero state, so its sequence depends on nothing else.
 */
#ifndef TESTS_RAND_H
#define TESTS_RAND_H

#include <stdint.h>

static inline uint64_t xorshift64star(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dull;
}

#endif
