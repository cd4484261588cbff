/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator: every free page of the domain, in blocks of
 * 2^order pages (a buddy allocator, lib/buddy.c), addressed through the
 * direct map (include/mm.h). Pages are not cleared.
 *
 * Each call masks event delivery while it changes the allocator, so event
 * handlers may allocate and free pages too.
 */
#ifndef PAGE_ALLOC_H
#define PAGE_ALLOC_H

#include <stddef.h>

/* alloc_pages, free_pages, free_page_count: the API. */
#include <mote/memory.h>

/* Called by mm_init: frames 0..nr_frames-1 mapped so far, metadata of
 * nr_frames zero bytes with room for one byte per page of the domain (the allocator
 * clears the rest as it grows). */
void page_alloc_init(unsigned long nr_frames, unsigned char *meta);
/* Called by mm_init for each range of free pfns. */
void page_alloc_add_range(unsigned long first_pfn, unsigned long count);


static inline void *alloc_page(void) { return alloc_pages(0); }
static inline void free_page(void *va) { free_pages(va, 0); }

/* For kernel allocations that cannot fail: panics, naming the request size
 * and the free-page count, instead of returning NULL. */
void *alloc_pages_or_panic(unsigned order);


/* Grows the direct map over every pfn the domain may have (mm_nr_pages),
 * adding those with a frame: the balloon, before it fills pfns past the
 * boot size, so that each has a page table to be mapped in and the growing
 * never needs a page from pfns with no frame. */
void page_alloc_cover_all(void);

/* Prints the free pages by block order (sysrq 'm'). */
void page_alloc_dump(void);
/* Prints the malloc heap's figures (kernel/malloc.c, sysrq 'm'). */
void malloc_dump(void);

#endif
