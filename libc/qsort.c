/* SPDX-License-Identifier: MIT */
/*
 * qsort and bsearch (<stdlib.h>). qsort is a heapsort over elements of any
 * size, like lib/sort.c: O(n log n) in the worst case, no recursion, no
 * allocation, so it is safe on a 12 KiB thread stack. It is not stable
 * (neither is glibc's, by contract).
 */
#include <stddef.h>
#include <stdlib.h>

typedef int (*compare_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Moves element i down until the subtree rooted at i (of the first n) is a max-heap. */
static void sift_down(char *base, size_t i, size_t n, size_t size, compare_fn cmp)
{
    for (;;) {
        size_t largest = i, l = 2 * i + 1, r = l + 1;
        if (l < n && cmp(base + l * size, base + largest * size) > 0)
            largest = l;
        if (r < n && cmp(base + r * size, base + largest * size) > 0)
            largest = r;
        if (largest == i)
            return;
        swap(base + i * size, base + largest * size, size);
        i = largest;
    }
}

void qsort(void *base, size_t n, size_t size, compare_fn cmp)
{
    char *b = base;

    if (n < 2 || size == 0)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(b, i, n, size, cmp);
    for (size_t end = n; end > 1; end--) {
        swap(b, b + (end - 1) * size, size);
        sift_down(b, 0, end - 1, size, cmp);
    }
}

void *bsearch(const void *key, const void *base, size_t n, size_t size, compare_fn cmp)
{
    const char *lo = base;

    while (n > 0) {
        const char *mid = lo + (n / 2) * size;
        int c = cmp(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            lo = mid + size;
            n -= n / 2 + 1;
        } else {
            n /= 2;
        }
    }
    return NULL;
}
