/* SPDX-License-Identifier: MIT */
/*
 * A boundary-tag heap (lib/heap.c) under malloc and friends.
 *
 * Pure logic, no Xen: it takes blocks of 2^order pages from a page source
 * (the page allocator in the kernel, the host's aligned_alloc in the unit
 * tests) and gives them back as soon as they are entirely free, so a heap
 * with nothing allocated holds no pages at all.
 *
 * Small requests are carved from 64 KiB arenas. Every chunk has a 16-byte
 * header (the size of the chunk before it when that one is free, its own size
 * and flags); free chunks sit in size-segregated bins and are merged with free
 * neighbours at once, so two free chunks are never adjacent. Requests above
 * HEAP_LARGE get a page block of their own.
 *
 * Not reentrant: the caller provides the exclusion (kernel/malloc.c masks
 * event delivery around each call).
 */
#ifndef HEAP_H
#define HEAP_H

#include <stdbool.h>
#include <stddef.h>

#define HEAP_PAGE_SIZE   4096UL
#define HEAP_ARENA_ORDER 4                      /* 64 KiB arenas */
#define HEAP_LARGE       (16 * 1024UL)          /* chunks above this get their own pages */
#define HEAP_NBINS       80

struct heap_chunk;

struct heap_arena {
    struct heap_arena *next, *prev;
    size_t pad[2];                              /* keeps chunks 16-byte aligned */
};

struct heap {
    /* Page source: 2^order pages aligned to their size, or NULL. */
    void *(*get_pages)(unsigned order);
    void (*put_pages)(void *p, unsigned order);
    /* Called when free/realloc is handed a pointer the heap did not give out
     * or already freed; the operation is then ignored. */
    void (*misuse)(const char *what, const void *p);

    struct heap_chunk *bins[HEAP_NBINS];
    struct heap_arena *arenas;

    size_t used_bytes;      /* bytes in chunks handed out, headers included */
    size_t free_bytes;      /* bytes in free chunks inside arenas */
    unsigned long nr_arenas, nr_large;
};

/* Sets up an empty heap with the given page source (misuse may be NULL). */
void heap_init(struct heap *h, void *(*get_pages)(unsigned order),
               void (*put_pages)(void *p, unsigned order),
               void (*misuse)(const char *what, const void *p));

/* The ISO C contracts: NULL when out of memory; heap_free(NULL) does nothing;
 * heap_realloc keeps the old block when it returns NULL; alignment is a power
 * of two (16 is always met). Size 0 returns a unique pointer. */
void *heap_alloc(struct heap *h, size_t size, size_t align);
void heap_free(struct heap *h, void *p);
void *heap_realloc(struct heap *h, void *p, size_t size);

/* Bytes usable at p (at least what was asked for). */
size_t heap_usable_size(const void *p);

/* Walks every arena and bin; returns false (and names the first broken rule
 * through misuse) if the heap's invariants do not hold. For tests. */
bool heap_check(struct heap *h);

#endif
