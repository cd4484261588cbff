/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page allocator: one buddy allocator (lib/buddy.c) over all
 * pfns of the domain, addressed through the direct map. mm_init gives it the
 * pages nothing else uses. Allocating and freeing mask event delivery, so
 * event handlers may call them (as in kernel/malloc.c).
 */
#include <buddy.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <xen_shared.h>

static struct buddy pages;

void page_alloc_init(unsigned long nr_frames, unsigned char *meta)
{
    buddy_init(&pages, pfn_to_virt(0), nr_frames, meta);
}

void page_alloc_add_range(unsigned long first_pfn, unsigned long count)
{
    buddy_add_range(&pages, first_pfn, count);
}

void *alloc_pages(unsigned order)
{
    unsigned long flags = local_irq_save();
    void *p = buddy_alloc(&pages, order);
    local_irq_restore(flags);
    return p;
}

void free_pages(void *va, unsigned order)
{
    unsigned long flags = local_irq_save();
    int bad = buddy_free(&pages, va, order);
    local_irq_restore(flags);
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

unsigned long free_page_count(void)
{
    return pages.free_pages;
}

/* sysrq 'm' (kernel/sysrq.c): free pages, and how they are split. */
void page_alloc_dump(void)
{
    unsigned long flags = local_irq_save();

    printk("  page allocator: %lu of %lu pages free; free blocks by order:", pages.free_pages,
           pages.nr_frames);
    for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++) {
        unsigned long n = buddy_free_blocks(&pages, order);
        if (n)
            printk(" %u:%lu", order, n);
    }
    printk("\n");
    local_irq_restore(flags);
}
