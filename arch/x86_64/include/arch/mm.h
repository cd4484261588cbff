/* SPDX-License-Identifier: MIT */
/*
 * Address translation helpers for x86-64 PV (see include/mm.h for the three
 * kinds of frame number). Inline because the allocators use them per page.
 */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include <stdbool.h>
#include <stdint.h>
#include <xen_interface.h>
#include <arch/layout.h>

/* The P2M list: start_info->mfn_list, nr_pages entries (xen.h, start_info),
 * or our own copy of it when the domain may grow past its boot size. */
extern xen_pfn_t *phys_to_machine;
/* pfns the domain may have: its boot size, or (a domU started with maxmem
 * above memory) the end of the RAM its memory map gives, static-max; the
 * pfns past mm_boot_nr_pages have no frame until the balloon asks Xen. */
extern unsigned long mm_nr_pages;
/* pfns with a frame at boot (start_info->nr_pages). */
extern unsigned long mm_boot_nr_pages;
/* A P2M entry for a pfn with no frame behind it (given back by the balloon),
 * the value Linux and the save/restore tools use (~0). */
#define INVALID_P2M_ENTRY (~(xen_pfn_t)0)

static inline xen_pfn_t pfn_to_mfn(unsigned long pfn)
{
    return phys_to_machine[pfn];
}

/* Xen's M2P table (machine_to_phys_mapping, arch-x86/xen-x86_64.h). For a
 * frame that is not ours the entry is meaningless. */
static inline unsigned long mfn_to_pfn(xen_pfn_t mfn)
{
    return machine_to_phys_mapping[mfn];
}

/* For an address in the direct map or in Xen's boot mapping (the image). */
static inline unsigned long virt_to_pfn(const void *va)
{
    unsigned long a = (unsigned long)va;

    if (a >= VIRT_BASE)
        return (a - VIRT_BASE) >> PAGE_SHIFT;
    return (a - DIRECTMAP_BASE) >> PAGE_SHIFT;
}

static inline xen_pfn_t virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

/* The direct-map address of a page. */
static inline void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(DIRECTMAP_BASE + (pfn << PAGE_SHIFT));
}

/*
 * The page-table mechanism kernel/mm.c drives (arch/x86_64/mm.c has the
 * details). The policy says, per pfn, which protection a mapping gets.
 */
enum page_prot { PAGE_NONE, PAGE_RX, PAGE_RO, PAGE_RW };

/* Reads start_info's memory layout (sets mm_nr_pages, the P2M,
 * mm_stats.boot_pages) and finds Xen's boot mapping. */
void arch_mm_discover(void);
/* Pages Xen's boot mapping covers at VIRT_BASE (pfn N at VIRT_BASE + N). */
unsigned long arch_mm_boot_map_pages(void);
/* Sets aside, from first_pfn on, page tables for the part of the direct map
 * mapped at boot (arch_mm_boot_direct_pages) and the foreign-map window;
 * returns how many pfns that takes. */
unsigned long arch_mm_reserve_tables(unsigned long first_pfn, unsigned long nr_pages);
/* pfns 0 .. this - 1 are in the direct map from boot on. */
unsigned long arch_mm_boot_direct_pages(void);
/* Rewrites the boot mapping: each pfn gets prot(pfn). */
void arch_mm_protect_boot_mapping(enum page_prot (*prot)(unsigned long pfn));
/* Maps pfns 0 .. arch_mm_boot_direct_pages() - 1 at pfn_to_virt(pfn) with
 * prot(pfn), and sets up the foreign-map window. */
void arch_mm_map_direct(enum page_prot (*prot)(unsigned long pfn));
/* After arch_mm_map_direct: the P2M is read through the direct map, and
 * the boot mapping's rebuilt ranges, which leave Xen's P2M out, go live. */
void arch_mm_finish_boot_mapping(void);
/* Maps the next 2 MiB of the direct map, read-write (it is past the image).
 * Its page tables come from take_page (a mapped page nobody uses, or NULL),
 * else from its own first pfns. Sets [*first, *first + *count) to the pfns
 * now mapped and free; false when every pfn was mapped already. Any
 * context (it takes its own lock). */
bool arch_mm_grow_direct(void *(*take_page)(void), unsigned long *first, unsigned long *count);
/* Free pages arch_mm_grow_direct will still hand out (net of its tables). */
unsigned long arch_mm_unmapped_usable(void);
/* When mm_nr_pages > mm_boot_nr_pages: the P2M moves to `to` (page-aligned,
 * mm_nr_pages entries, in the direct map), the pfns past the boot size
 * marked as having no frame. */
void arch_mm_move_p2m(xen_pfn_t *to);
/* Page-table pages in use: Xen's boot tables and ours. */
unsigned long arch_mm_table_pages(void);
/* One direct-map page, for the balloon (lifecycle/balloon.c): unmapped on every
 * vCPU before its frame goes back to Xen, mapped read-write to the frame
 * the P2M now names once Xen has given one back. Return 0 or Xen's error. */
int arch_mm_unmap_direct_page(unsigned long pfn);
int arch_mm_map_direct_page(unsigned long pfn);

static inline uint64_t virt_to_maddr(const void *va)
{
    return ((uint64_t)virt_to_mfn(va) << PAGE_SHIFT) | ((unsigned long)va & (PAGE_SIZE - 1));
}

#endif
