/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page allocator: one buddy allocator (lib/buddy.c) over all
 * pfns of the domain, addressed through the direct map. mm_init gives it the
 * pages nothing else uses among those mapped at boot; when it runs out, it
 * maps the next 2 MiB of the direct map (arch_mm_grow_direct) and goes on.
 * Allocating and freeing take a spinlock, which masks event delivery, so
 * event handlers on any vCPU may call them (as in kernel/malloc.c).
 */
#include <buddy.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <spinlock.h>

static struct buddy pages;
static spinlock_t page_alloc_lock = SPINLOCK_INIT;

void page_alloc_init(unsigned long nr_frames, unsigned char *meta)
{
    buddy_init(&pages, pfn_to_virt(0), nr_frames, meta);
}

void page_alloc_add_range(unsigned long first_pfn, unsigned long count)
{
    buddy_add_range(&pages, first_pfn, count);
}

/* A page for a new page table of the direct map, if one is free. */
static void *take_page_for_table(void)
{
    return buddy_alloc(&pages, 0);
}

/* Maps the next part of the direct map into the allocator; false when all is. */
static bool grow(void)
{
    unsigned long first, count;

    if (!arch_mm_grow_direct(take_page_for_table, &first, &count))
        return false;
    buddy_extend(&pages, first + count);
    /* Only pfns with a frame: past the boot size the balloon fills pfns
     * and frees them to us one by one (lifecycle/balloon.c). */
    unsigned long end = first + count, run = first;
    for (unsigned long pfn = first; pfn <= end; pfn++) {
        if (pfn < end && pfn_to_mfn(pfn) != INVALID_P2M_ENTRY)
            continue;
        if (pfn > run)
            buddy_add_range(&pages, run, pfn - run);
        run = pfn + 1;
    }
    return true;
}

void page_alloc_cover_all(void)
{
    unsigned long flags = spin_lock_irqsave(&page_alloc_lock);
    while (grow())
        ;
    spin_unlock_irqrestore(&page_alloc_lock, flags);
}

/* Growing keeps this many pages mapped and free, so the next step's tables
 * (an L2 and an L1 at most) come from them; a step that had to use its own
 * first pages could never be a whole 2 MiB block. */
#define GROW_RESERVE 2

void *alloc_pages(unsigned order)
{
    unsigned long flags = spin_lock_irqsave(&page_alloc_lock);
    void *p;
    /* Growing runs under the lock, so one vCPU maps each new 2 MiB; new
     * mappings need no TLB flush on the others (they cached none). */
    while (!(p = buddy_alloc(&pages, order)) && order <= BUDDY_MAX_ORDER && grow())
        ;
    while (pages.free_pages < GROW_RESERVE && grow())
        ;
    spin_unlock_irqrestore(&page_alloc_lock, flags);
    return p;
}

void free_pages(void *va, unsigned order)
{
    unsigned long flags = spin_lock_irqsave(&page_alloc_lock);
    int bad = buddy_free(&pages, va, order);
    spin_unlock_irqrestore(&page_alloc_lock, flags);
    if (bad)
        panic("free_pages(%p, order %u): not an allocated block", va, order);
}

void *alloc_pages_or_panic(unsigned order)
{
    void *p = alloc_pages(order);

    if (!p)
        panic("out of memory: %lu bytes (order %u) requested, %lu pages free",
              (unsigned long)PAGE_SIZE << order, order, free_page_count());
    return p;
}

/* Counts the pages not yet mapped too: the allocator hands them out. */
unsigned long free_page_count(void)
{
    return pages.free_pages + arch_mm_unmapped_usable();
}

/* sysrq 'm' (lifecycle/sysrq.c): free pages, and how they are split. */
void page_alloc_dump(void)
{
    /* Counted under the lock (another vCPU may be splitting the blocks we
     * walk), printed after it. */
    unsigned long blocks[BUDDY_MAX_ORDER + 1];
    unsigned long flags = spin_lock_irqsave(&page_alloc_lock);
    for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++)
        blocks[order] = buddy_free_blocks(&pages, order);
    unsigned long free = pages.free_pages + arch_mm_unmapped_usable();
    spin_unlock_irqrestore(&page_alloc_lock, flags);

    /* Free counts the pages the direct map has yet to reach (they are handed
     * out as it grows); the blocks are those of the mapped part. */
    printk("  page allocator: %lu of %lu pages free; free blocks by order:", free, mm_nr_pages);
    for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++)
        if (blocks[order])
            printk(" %u:%lu", order, blocks[order]);
    printk("\n");
}
