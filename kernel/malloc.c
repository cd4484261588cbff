/* SPDX-License-Identifier: MIT */
/*
 * malloc and friends (libc/include/stdlib.h): the heap of lib/heap.c, taking its
 * pages from the page allocator and giving them back when free.
 *
 * Event handlers may allocate too. A handler runs between any two
 * instructions a thread executes with delivery enabled, so each entry point
 * masks delivery (vcpu_info's evtchn_upcall_mask, include/xen_shared.h)
 * while it changes the heap; threads are cooperative, so that is all the
 * exclusion there is to do on one vCPU.
 */
#include <heap.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <xen_shared.h>

static void misuse(const char *what, const void *p)
{
    panic("heap: %s: %p", what, p);
}

static struct heap heap = {
    .get_pages = alloc_pages,
    .put_pages = free_pages,
    .misuse = misuse,
};

void *aligned_alloc(size_t align, size_t size)
{
    unsigned long flags = local_irq_save();
    void *p = heap_alloc(&heap, size, align);
    local_irq_restore(flags);
    return p;
}

void *malloc(size_t size)
{
    return aligned_alloc(16, size);
}

void free(void *p)
{
    unsigned long flags = local_irq_save();
    heap_free(&heap, p);
    local_irq_restore(flags);
}

void *calloc(size_t n, size_t size)
{
    size_t bytes;

    if (__builtin_mul_overflow(n, size, &bytes))
        return NULL;
    void *p = malloc(bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void *realloc(void *p, size_t size)
{
    unsigned long flags = local_irq_save();
    void *q = heap_realloc(&heap, p, size);
    local_irq_restore(flags);
    return q;
}

void *malloc_or_panic(size_t size)
{
    void *p = malloc(size);

    if (!p)
        panic("out of memory: malloc(%zu) failed, %lu pages free", size, free_page_count());
    return p;
}

size_t heap_used_bytes(void)
{
    return heap.used_bytes;
}

size_t heap_free_bytes(void)
{
    return heap.free_bytes;
}

int heap_verify(void)
{
    unsigned long flags = local_irq_save();
    bool ok = heap_check(&heap);
    local_irq_restore(flags);
    return ok ? 0 : -1;
}

/* sysrq 'm' (kernel/sysrq.c). */
void malloc_dump(void)
{
    unsigned long flags = local_irq_save();

    printk("  heap: %zu bytes in use, %zu free in %lu arenas, %lu large blocks\n",
           heap.used_bytes, heap.free_bytes, heap.nr_arenas, heap.nr_large);
    local_irq_restore(flags);
}
