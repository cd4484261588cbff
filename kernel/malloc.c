/*
 * malloc and friends (include/stdlib.h): the heap of lib/heap.c, taking its
 * pages from the page allocator and giving them back when free.
 */
#include <heap.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>

static void misuse(const char *what, const void *p)
{
    panic("heap: %s: %p", what, p);
}

static struct heap heap = {
    .get_pages = alloc_pages,
    .put_pages = free_pages,
    .misuse = misuse,
};

void *malloc(size_t size)
{
    return heap_alloc(&heap, size, 16);
}

void free(void *p)
{
    heap_free(&heap, p);
}

void *calloc(size_t n, size_t size)
{
    size_t bytes;

    if (__builtin_mul_overflow(n, size, &bytes))
        return NULL;
    void *p = heap_alloc(&heap, bytes, 16);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void *realloc(void *p, size_t size)
{
    return heap_realloc(&heap, p, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    return heap_alloc(&heap, size, align);
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
    return heap_check(&heap) ? 0 : -1;
}
