/* SPDX-License-Identifier: MIT */
/*
 * qsort, bsearch (libc/qsort.c), abs/labs/llabs and rand/srand
 * (libc/stdlib.c): qsort against glibc's on generated arrays of several
 * element sizes (the sorted outputs must be equal, element for element, as
 * the comparison is total); bsearch against glibc's for present and absent
 * keys; rand's range, repeatability and spread.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include "check.h"
#include "../rand.h"

static uint64_t seed = 0xfeedfacecafebeefull;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

struct wide { char key[13]; };

static int cmp_wide(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(struct wide));
}

static void test_qsort(void)
{
    int budget = 10;
    for (int round = 0; round < 2000 && budget > 0; round++) {
        size_t n = xorshift64star(&seed) % 300;
        int range = 1 + (int)(xorshift64star(&seed) % 1000);
        int a[300], b[300];
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (int)(xorshift64star(&seed) % (uint64_t)range) - range / 2;
        mote_qsort(a, n, sizeof(int), cmp_int);
        qsort(b, n, sizeof(int), cmp_int);
        if (memcmp(a, b, n * sizeof(int))) {
            CHECK(0, "qsort of %zu ints (range %d) differs", n, range);
            budget--;
        }
        struct wide w1[50], w2[50];
        size_t m = n % 50;
        for (size_t i = 0; i < m; i++)
            for (size_t k = 0; k < sizeof(w1[i].key); k++)
                w1[i].key[k] = w2[i].key[k] = (char)('a' + xorshift64star(&seed) % 3);
        mote_qsort(w1, m, sizeof(struct wide), cmp_wide);
        qsort(w2, m, sizeof(struct wide), cmp_wide);
        if (memcmp(w1, w2, m * sizeof(struct wide))) {
            CHECK(0, "qsort of %zu 13-byte elements differs", m);
            budget--;
        }
        /* bsearch in the sorted ints: the same answer as glibc for present
         * keys (any equal element may be found, so compare values) and
         * NULL for absent ones. */
        for (int k = 0; k < 20; k++) {
            int key = (int)(xorshift64star(&seed) % (uint64_t)(range + 2)) - range / 2 - 1;
            int *pm = mote_bsearch(&key, a, n, sizeof(int), cmp_int);
            int *pt = bsearch(&key, b, n, sizeof(int), cmp_int);
            CHECK(!pm == !pt && (!pm || *pm == key), "bsearch %d in %zu", key, n);
        }
    }
}

static void test_abs(void)
{
    for (int i = 0; i < 10000; i++) {
        long long v = (long long)xorshift64star(&seed) >> (i % 64);
        if (v == LLONG_MIN)
            continue;
        CHECK(mote_llabs(v) == llabs(v) && mote_labs((long)v) == labs((long)v), "llabs %lld", v);
        if (v > INT_MIN && v <= INT_MAX)
            CHECK(mote_abs((int)v) == abs((int)v), "abs %lld", v);
    }
}

/* The div family and the <inttypes.h> helpers, over random operands of
 * every magnitude (C11: quotient truncated toward zero). */
static void test_div_and_intmax(void)
{
    int budget = 10;
    for (int i = 0; i < 20000 && budget > 0; i++) {
        long long a = (long long)xorshift64star(&seed) >> (xorshift64star(&seed) % 64);
        long long b = (long long)xorshift64star(&seed) >> (xorshift64star(&seed) % 64);
        if (b == 0 || (a == LLONG_MIN && b == -1))
            continue;
        lldiv_t m = mote_lldiv(a, b), t = lldiv(a, b);
        imaxdiv_t mi = mote_imaxdiv(a, b), ti = imaxdiv(a, b);
        ldiv_t ml = mote_ldiv((long)a, (long)b), tl = ldiv((long)a, (long)b);
        int fails = check_failures;
        CHECK(m.quot == t.quot && m.rem == t.rem, "lldiv(%lld, %lld)", a, b);
        CHECK(mi.quot == ti.quot && mi.rem == ti.rem, "imaxdiv(%lld, %lld)", a, b);
        CHECK(ml.quot == tl.quot && ml.rem == tl.rem, "ldiv(%lld, %lld)", a, b);
        int x = (int)a, y = (int)b;
        if (y != 0 && !(x == INT_MIN && y == -1)) {
            div_t md = mote_div(x, y), td = div(x, y);
            CHECK(md.quot == td.quot && md.rem == td.rem, "div(%d, %d)", x, y);
        }
        if (a != LLONG_MIN)
            CHECK(mote_imaxabs(a) == imaxabs(a), "imaxabs(%lld)", a);
        char s[32];
        snprintf(s, sizeof(s), "%lld", a);
        CHECK(mote_strtoimax(s, NULL, 10) == strtoimax(s, NULL, 10) &&
              mote_strtoumax(s, NULL, 0) == strtoumax(s, NULL, 0), "strtoimax/umax(%s)", s);
        if (check_failures != fails)
            budget--;
    }
}

static void test_rand(void)
{
    int first[100], hist[16] = { 0 };

    mote_srand(7);
    for (int i = 0; i < 100; i++)
        first[i] = mote_rand();
    mote_srand(7);
    for (int i = 0; i < 100; i++)
        CHECK(mote_rand() == first[i], "srand(7) does not repeat at %d", i);
    mote_srand(0);
    for (int i = 0; i < 160000; i++) {
        int r = mote_rand();
        CHECK(r >= 0 && r <= RAND_MAX, "rand %d out of range", r);
        hist[r >> 27]++;
    }
    for (int b = 0; b < 16; b++)
        CHECK(hist[b] > 9000 && hist[b] < 11000, "rand bucket %d has %d of 160000", b, hist[b]);
}

int main(void)
{
    RUN("stdlib", test_qsort);
    RUN("stdlib", test_abs);
    RUN("stdlib", test_div_and_intmax);
    RUN("stdlib", test_rand);
    return check_tests_failed ? 1 : 0;
}
