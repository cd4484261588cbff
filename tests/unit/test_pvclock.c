/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the PV clock scaling (lib/pvclock.c) against the formula of
 * xen.h (struct vcpu_time_info) computed the straightforward way, with
 * unsigned __int128, over edge cases and random inputs.
 */
#include <stdint.h>

#include "check.h"
#include "../../lib/pvclock.h"
#include "../rand.h"

static uint64_t reference(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift <= -64 || shift >= 64)
        return 0;
    delta = shift < 0 ? delta >> -shift : delta << shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    return xorshift64star(&rng_state);
}

static void check_one(uint64_t delta, uint32_t mul, int8_t shift)
{
    uint64_t got = pvclock_scale_delta(delta, mul, shift);
    uint64_t want = reference(delta, mul, shift);

    CHECK(got == want, "delta %#llx mul %#x shift %d: got %llu want %llu",
          (unsigned long long)delta, mul, shift, (unsigned long long)got,
          (unsigned long long)want);
}

static void test_edges(void)
{
    static const uint64_t deltas[] = { 0, 1, 2, 0xffffffffull, 0x100000000ull,
                                       0x100000001ull, 0x7fffffffffffffffull,
                                       0x8000000000000000ull, ~0ull };
    static const uint32_t muls[] = { 0, 1, 0x80000000u, 0xffffffffu, 0xcccccccdu };
    for (unsigned i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++)
        for (unsigned j = 0; j < sizeof(muls) / sizeof(muls[0]); j++)
            for (int s = -70; s <= 70; s++)
                check_one(deltas[i], muls[j], (int8_t)s);
}

/* A 2 GHz TSC: Xen publishes mul = 2^31 with shift 0 (0.5 ns per tick). */
static void test_realistic(void)
{
    CHECK(pvclock_scale_delta(2000000000ull, 0x80000000u, 0) == 1000000000ull,
          "2e9 ticks at 2 GHz should be 1 s");
    /* 3 GHz: 1/3 ns per tick, mul = 2^32 / 3 rounded down, so 3e9 ticks come
     * to just under 1 s. */
    uint64_t ns = pvclock_scale_delta(3000000000ull, 0x55555555u, 0);
    CHECK(ns <= 1000000000ull && ns > 999999990ull, "3 GHz: got %llu", (unsigned long long)ns);
}

static void test_random(void)
{
    for (int i = 0; i < 2000000; i++) {
        uint64_t delta = rnd();
        /* Mix full-width deltas with small ones, as real deltas are small. */
        if (i & 1)
            delta >>= rnd() % 64;
        uint32_t mul = (uint32_t)rnd();
        int8_t shift = (int8_t)((int)(rnd() % 81) - 40);
        check_one(delta, mul, shift);
        if (check_failures > 20)
            return;
    }
}

int main(void)
{
    RUN("pvclock", test_edges);
    RUN("pvclock", test_realistic);
    RUN("pvclock", test_random);
    return check_tests_failed != 0;
}
