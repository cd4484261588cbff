/* SPDX-License-Identifier: MIT */
/*
 * mote application API: whole pages, and mapping other domains' pages.
 * malloc and friends are in <stdlib.h> (with mote's malloc_or_panic and
 * the heap figures).
 */
#ifndef MOTE_MEMORY_H
#define MOTE_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

/* 2^order contiguous pages aligned to their size, or NULL when none is free
 * (the buddy allocator, kernel/page_alloc.c; pages are not cleared). Each
 * call masks event delivery, so event handlers may allocate and free too. */
void *alloc_pages(unsigned order);
/* Frees a block from alloc_pages; panics on a pointer it did not give out. */
void free_pages(void *va, unsigned order);
/* Pages the allocator still has. */
unsigned long free_page_count(void);

/*
 * Maps machine frame `mfn`, owned by domain `owner`, read-write and not
 * executable at a free slot of the foreign-map window, and returns its
 * address. Use DOMID_SELF for frames Xen shares with us (the shared info page,
 * start_info->shared_info >> PAGE_SHIFT) and for our own pages given by mfn
 * (a domU's console and xenstore rings); another domain's id for its pages
 * (xen.h, mmu_update: "FD"). Returns NULL, after reporting why, when the
 * window is full or Xen refuses the mapping.
 */
void *map_foreign_page(xen_pfn_t mfn, domid_t owner);
/* Removes a mapping made by map_foreign_page and frees its slot. Returns 0,
 * or Xen's error (reported) with the page still mapped and the slot kept. */
int unmap_foreign_page(void *va);

#endif
