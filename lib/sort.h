/* SPDX-License-Identifier: MIT */
/*
 * Sorting (lib/sort.c): in-place heapsort of 64-bit unsigned values,
 * O(n log n) time, no extra memory, no recursion.
 */
#ifndef SORT_H
#define SORT_H

#include <stddef.h>
#include <stdint.h>

void sort_u64(uint64_t *a, size_t n);

#endif
