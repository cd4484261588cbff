/* SPDX-License-Identifier: MIT */
/*
 * Memory policy (include/mm.h): what is mapped, with which protection, and
 * when the page allocator starts. The page-table mechanism is the arch's
 * (arch/x86_64/mm.c, through arch/mm.h).
 *
 * The policy, in mm_init's order:
 *  - W^X for the image: .text read-only and executable, .rodata read-only,
 *    everything else not executable; the boot stack's guard page and the
 *    part of Xen's boot mapping past what Xen uses are unmapped, so a stack
 *    overflow and a stray pointer there fault. (The arch may also leave
 *    Xen's P2M out of the boot mapping, read through the direct map.)
 *  - Every page of the domain is mapped once more in the direct map, the
 *    image's text and rodata read-only there too (a writable alias would
 *    undo W^X). At boot only the pages up to the allocator's metadata and
 *    the tables, in whole 2 MiB steps; the rest is mapped 2 MiB at a time
 *    when the page allocator runs out (kernel/page_alloc.c), so boot time
 *    does not grow with the domain's memory.
 *  - The page allocator then starts with every pfn nothing else holds: past
 *    Xen's boot mapping, the allocator's own metadata and our page tables.
 */
#include <mm.h>
#include <kernel.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>

struct mm_stats mm_stats;

/* linker.ld and arch/x86_64/head.S */
extern char _text[], _etext[], _erodata[], _end[], boot_stack_guard[];

/* First pfn after a section end: linker.ld aligns the next section to a page,
 * so the page holding the end still belongs to this one. */
static unsigned long end_pfn(const void *va)
{
    return virt_to_pfn((const char *)va + PAGE_SIZE - 1);
}

static enum page_prot image_prot(unsigned long pfn)
{
    if (pfn == virt_to_pfn(boot_stack_guard))
        return PAGE_NONE;
    if (pfn < end_pfn(_etext))
        return PAGE_RX;
    if (pfn < end_pfn(_erodata))
        return PAGE_RO;
    return PAGE_RW;
}

/* In the boot mapping: the image as above, nothing past Xen's own pages. */
static enum page_prot boot_mapping_prot(unsigned long pfn)
{
    return pfn >= mm_stats.boot_pages ? PAGE_NONE : image_prot(pfn);
}

/* In the direct map: never executable, the image's read-only parts too. */
static enum page_prot direct_map_prot(unsigned long pfn)
{
    enum page_prot prot = image_prot(pfn);

    return prot == PAGE_RX ? PAGE_RO : prot;
}

void mm_init(void)
{
    arch_mm_discover();
    mm_stats.total_pages = mm_boot_nr_pages;
    mm_stats.image_pages = (unsigned long)(_end - _text) / PAGE_SIZE;

    /* The metadata first (for every pfn the domain may grow to), then a
     * P2M for those pfns if there are more than Xen's has entries for, then
     * the tables, which map up to their own end. */
    unsigned long meta_first = mm_stats.boot_pages;
    unsigned long meta_pages = (mm_nr_pages + PAGE_SIZE - 1) / PAGE_SIZE;
    unsigned long p2m_first = meta_first + meta_pages;
    unsigned long p2m_pages = mm_nr_pages > mm_boot_nr_pages
                                  ? (mm_nr_pages * sizeof(xen_pfn_t) + PAGE_SIZE - 1) / PAGE_SIZE
                                  : 0;
    unsigned long tables = arch_mm_reserve_tables(p2m_first + p2m_pages, mm_boot_nr_pages);
    unsigned long free_first = p2m_first + p2m_pages + tables;
    if (free_first >= mm_boot_nr_pages)
        panic("mm: %lu pages are too few: boot mapping %lu, page tables %lu, allocator %lu",
              mm_boot_nr_pages, mm_stats.boot_pages, tables, meta_pages + p2m_pages);

    arch_mm_protect_boot_mapping(boot_mapping_prot);
    arch_mm_map_direct(direct_map_prot);
    if (p2m_pages)
        arch_mm_move_p2m(pfn_to_virt(p2m_first));
    arch_mm_finish_boot_mapping();

    /* Only the metadata of what is mapped is cleared now (one byte a
     * page; 512 KiB for 2 GiB): the allocator clears the rest as it grows. */
    unsigned char *meta = pfn_to_virt(meta_first);
    memset(meta, 0, arch_mm_boot_direct_pages());
    page_alloc_init(arch_mm_boot_direct_pages(), meta);
    page_alloc_add_range(free_first, arch_mm_boot_direct_pages() - free_first);

    mm_stats.pt_pages = arch_mm_table_pages();
    mm_stats.free_after_boot = free_page_count();
    printk("mote: memory: %lu pages total, %lu free, kernel image %lu KiB, %lu page-table pages\n",
           mm_stats.total_pages, mm_stats.free_after_boot, mm_stats.image_pages * 4,
           mm_stats.pt_pages);
    printk("mote: memory: boot mapping %lu pages (%lu in use), direct map %#lx-%#lx "
           "(%lu pages mapped at boot, the rest on demand)\n",
           arch_mm_boot_map_pages(), mm_stats.boot_pages, DIRECTMAP_BASE,
           DIRECTMAP_BASE + mm_nr_pages * PAGE_SIZE, arch_mm_boot_direct_pages());
    /* What the allocator will never get, and why. The rest of the direct
     * map's tables come out of the pages it maps later. */
    unsigned long unmapped = mm_boot_nr_pages - arch_mm_boot_direct_pages();
    unsigned long image = mm_stats.image_pages < mm_stats.boot_pages ? mm_stats.image_pages
                                                                    : mm_stats.boot_pages;
    printk("mote: memory: reserved %lu pages: kernel image %lu, Xen's start-of-day data %lu "
           "(start_info, P2M, rings, its page tables, its stack), allocator metadata %lu, "
           "our page tables %lu (+%lu as the direct map grows)\n",
           mm_boot_nr_pages - mm_stats.free_after_boot, image, mm_stats.boot_pages - image,
           meta_pages + p2m_pages, tables, unmapped - arch_mm_unmapped_usable());
    if (p2m_pages)
        printk("mote: memory: room to grow to %lu pages (the memory map's RAM): pfns %lu-%lu "
               "have no frame until the balloon asks Xen; P2M of %lu pages at pfn %lu\n",
               mm_nr_pages, mm_boot_nr_pages, mm_nr_pages - 1, p2m_pages, p2m_first);
}
