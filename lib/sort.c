/* SPDX-License-Identifier: MIT */
/*
 * Heapsort (lib/sort.h). Chosen over quicksort for its guaranteed
 * O(n log n) and constant stack use: kernel stacks are small.
 */
#include <sort.h>

/* Moves a[i] down until the subtree rooted at i (of the first n) is a max-heap. */
static void sift_down(uint64_t *a, size_t i, size_t n)
{
    for (;;) {
        size_t largest = i, l = 2 * i + 1, r = l + 1;
        if (l < n && a[l] > a[largest])
            largest = l;
        if (r < n && a[r] > a[largest])
            largest = r;
        if (largest == i)
            return;
        uint64_t t = a[i];
        a[i] = a[largest];
        a[largest] = t;
        i = largest;
    }
}

void sort_u64(uint64_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t end = n; end > 1; end--) {
        uint64_t t = a[0];
        a[0] = a[end - 1];
        a[end - 1] = t;
        sift_down(a, 0, end - 1);
    }
}
