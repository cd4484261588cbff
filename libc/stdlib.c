/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic and pseudo-random parts of <stdlib.h>: abs, div, rand.
 * Pure functions (host-tested in tests/unit/test_stdlib.c); exit, atexit,
 * abort and getenv, which need the kernel, are in libc/exit.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdlib.h>

int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }

/* C11: the quotient is truncated toward zero, and quot * den + rem == num. */
div_t div(int num, int den) { return (div_t){ num / den, num % den }; }
ldiv_t ldiv(long num, long den) { return (ldiv_t){ num / den, num % den }; }
lldiv_t lldiv(long long num, long long den) { return (lldiv_t){ num / den, num % den }; }

/*
 * rand: xorshift64* (Vigna), the top 31 bits of each output. The state is
 * shared by every thread and updated with a compare-and-swap, so concurrent
 * callers (or a handler) each get a distinct step, without a lock.
 */
static uint64_t rand_state = 0x853c49e6748fea9bull;

static uint64_t rand_step(uint64_t x)
{
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return x;
}

int rand(void)
{
    uint64_t old = __atomic_load_n(&rand_state, __ATOMIC_RELAXED), next;

    do {
        next = rand_step(old);
    } while (!__atomic_compare_exchange_n(&rand_state, &old, next, true,
                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return (int)((next * 0x2545f4914f6cdd1dull) >> 33);
}

/* Seed 0 would make xorshift stick at 0; any seed maps to a nonzero state. */
void srand(unsigned int seed)
{
    __atomic_store_n(&rand_state, ((uint64_t)seed << 1 | 1) * 0x9e3779b97f4a7c15ull,
                     __ATOMIC_RELAXED);
}

/* <inttypes.h>: intmax_t is long here. */
intmax_t imaxabs(intmax_t v) { return v < 0 ? -v : v; }
imaxdiv_t imaxdiv(intmax_t num, intmax_t den) { return (imaxdiv_t){ num / den, num % den }; }
