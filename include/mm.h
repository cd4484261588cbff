/* SPDX-License-Identifier: MIT */
/*
 * Memory: the domain's pages and their addresses.
 *
 * Three kinds of frame number (xen.h, "pseudo-physical"):
 *   pfn  the domain's own page index, 0 .. nr_pages-1, contiguous;
 *   mfn  the machine frame Xen gave for it (start_info->mfn_list, the P2M);
 *   va   where the kernel reaches it: DIRECTMAP_BASE + pfn * PAGE_SIZE for
 *        every page, and VIRT_BASE + pfn * PAGE_SIZE for the kernel image and
 *        the rest of Xen's boot mapping (arch/layout.h).
 * The reverse mfn -> pfn is Xen's M2P table, mapped read-only in every guest
 * at MACH2PHYS_VIRT_START (arch-x86/xen-x86_64.h).
 *
 * mm_init() maps all pages, protects the image, and hands every free page to
 * the page allocator (include/page_alloc.h); it reports one boot line:
 *   "mote: memory: P pages total, F free, kernel image K KiB, T page-table pages"
 */
#ifndef MM_H
#define MM_H

#include <stdbool.h>
#include <stdint.h>
#include <xen_interface.h>
#include <arch/layout.h>
#include <arch/mm.h>

/* Called once from start_kernel, right after console_init. Panics on failure. */
void mm_init(void);

/* Figures for the boot line and for tests. */
struct mm_stats {
    unsigned long total_pages;      /* start_info->nr_pages */
    unsigned long image_pages;      /* _text .. _end */
    unsigned long boot_pages;       /* pfns Xen's boot mapping keeps busy */
    unsigned long pt_pages;         /* Xen's boot tables + ours */
    unsigned long free_after_boot;  /* pages given to the page allocator */
    unsigned long free_at_main;     /* pages still free when main starts */
};
extern struct mm_stats mm_stats;

/* map_foreign_page and unmap_foreign_page (the foreign-map window): the API. */
#include <mote/memory.h>

/*
 * A free slot of the window with nothing mapped, for mappings Xen writes
 * itself: GNTTABOP_map_grant_ref with GNTMAP_host_map fills in the L1 entry
 * of host_addr, which must already exist for a PV guest (grant_table.h).
 * NULL, after reporting, when the window is full. Release it once the
 * mapping is gone.
 */
void *foreign_slot_reserve(void);
void foreign_slot_release(void *va);

#endif
