/* SPDX-License-Identifier: MIT */
/*
 * mote application API: whole pages, and mapping other domains' pages.
 * malloc and friends are in <stdlib.h> (with mote's malloc_or_panic and
 * the heap figures).
 */
#ifndef MOTE_MEMORY_H
#define MOTE_MEMORY_H

#include <stddef.h>
#include <xen/xen.h>

/* 2^order contiguous pages aligned to their size, or NULL when none is free. */
void *alloc_pages(unsigned order);
/* Frees a block from alloc_pages; panics on a pointer it did not give out. */
void free_pages(void *va, unsigned order);
/* Pages the allocator still has. */
unsigned long free_page_count(void);

/* Maps machine frame `mfn`, owned by domain `owner` (DOMID_SELF, or a
 * domain that granted it to us), at a free kernel address; NULL if Xen
 * refuses (reported on the console). */
void *map_foreign_page(xen_pfn_t mfn, domid_t owner);
/* Removes a mapping made by map_foreign_page. Returns 0, or Xen's error
 * (reported) with the page still mapped. */
int unmap_foreign_page(void *va);

#endif
