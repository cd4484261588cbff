/* SPDX-License-Identifier: MIT */
/*
 * lib/sort.c against the host's qsort over random arrays of every small
 * length and a few large ones, including runs of duplicates.
 */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"

void sort_u64(uint64_t *a, size_t n);

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static void test_random_arrays(void)
{
    static uint64_t mine[5000], theirs[5000];
    static const size_t big[] = { 1000, 4999, 5000 };
    srand(7);
    for (size_t k = 0; k < 64 + 3; k++) {
        size_t n = k < 64 ? k : big[k - 64];
        for (size_t i = 0; i < n; i++)
            mine[i] = theirs[i] = (k % 3 == 0) ? (uint64_t)(rand() % 4)
                                               : ((uint64_t)rand() << 33) ^ (uint64_t)rand();
        sort_u64(mine, n);
        qsort(theirs, n, sizeof(theirs[0]), cmp_u64);
        CHECK(!memcmp(mine, theirs, n * sizeof(mine[0])), "length %zu", n);
    }
}

static void test_extremes(void)
{
    uint64_t a[] = { UINT64_MAX, 0, UINT64_MAX, 1, 0 };
    sort_u64(a, 5);
    CHECK(a[0] == 0 && a[1] == 0 && a[2] == 1 && a[3] == UINT64_MAX && a[4] == UINT64_MAX,
          "%lu %lu %lu", (unsigned long)a[0], (unsigned long)a[2], (unsigned long)a[4]);
}

int main(void)
{
    RUN("sort", test_random_arrays);
    RUN("sort", test_extremes);
    return check_tests_failed != 0;
}
