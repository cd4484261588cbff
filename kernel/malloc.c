/* SPDX-License-Identifier: MIT */
/*
 * malloc and friends (libc/include/stdlib.h): the heap of lib/heap.c, taking its
 * pages from the page allocator and giving them back when free.
 *
 * Event handlers may allocate too, and threads and handlers on other vCPUs.
 * Each entry point takes malloc_lock, a spinlock that also masks event
 * delivery on this vCPU (include/spinlock.h), so neither a handler here nor
 * another vCPU can change the heap under it.
 */
#include <heap.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <spinlock.h>
#include <string.h>

static void misuse(const char *what, const void *p)
{
    panic("heap: %s: %p", what, p);
}

static spinlock_t malloc_lock = SPINLOCK_INIT;

static struct heap heap = {
    .get_pages = alloc_pages,
    .put_pages = free_pages,
    .misuse = misuse,
};

void *aligned_alloc(size_t align, size_t size)
{
    unsigned long flags = spin_lock_irqsave(&malloc_lock);
    void *p = heap_alloc(&heap, size, align);
    spin_unlock_irqrestore(&malloc_lock, flags);
    return p;
}

void *malloc(size_t size)
{
    return aligned_alloc(16, size);
}

void free(void *p)
{
    unsigned long flags = spin_lock_irqsave(&malloc_lock);
    heap_free(&heap, p);
    spin_unlock_irqrestore(&malloc_lock, flags);
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
    unsigned long flags = spin_lock_irqsave(&malloc_lock);
    void *q = heap_realloc(&heap, p, size);
    spin_unlock_irqrestore(&malloc_lock, flags);
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
    unsigned long flags = spin_lock_irqsave(&malloc_lock);
    bool ok = heap_check(&heap);
    spin_unlock_irqrestore(&malloc_lock, flags);
    return ok ? 0 : -1;
}

/* sysrq 'm' (lifecycle/sysrq.c). */
void malloc_dump(void)
{
    unsigned long flags = local_irq_save();

    printk("  heap: %zu bytes in use, %zu free in %lu arenas, %lu large blocks\n",
           heap.used_bytes, heap.free_bytes, heap.nr_arenas, heap.nr_large);
    local_irq_restore(flags);
}
