/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the heap (lib/heap.c) with the host's aligned_alloc as the
 * page source: random operations with content checks and the invariant walk,
 * merging of neighbours, alignment, realloc, misuse reports, and no pages
 * kept once everything is freed.
 */
#include "check.h"
#include "../../lib/heap.h"
#include <stdint.h>
#include <stdlib.h>

static long pages_out;
static int misuses;

static void *get_pages(unsigned order)
{
    if (pages_out + (1L << order) > 4096)       /* a 16 MiB "machine" */
        return NULL;
    void *p = aligned_alloc(HEAP_PAGE_SIZE << order, HEAP_PAGE_SIZE << order);
    if (p)
        pages_out += 1L << order;
    return p;
}

static void put_pages(void *p, unsigned order)
{
    pages_out -= 1L << order;
    free(p);
}

static void misuse(const char *what, const void *p)
{
    (void)what;
    (void)p;
    misuses++;
}

static struct heap h;

static void setup(void)
{
    heap_init(&h, get_pages, put_pages, misuse);
    misuses = 0;
}

#define SLOTS 512

static void random_operations(void)
{
    struct { unsigned char *p; size_t size; unsigned char seed; } b[SLOTS] = { { 0 } };
    unsigned long long r = 88172645463325252ULL;

    setup();
    for (int n = 0; n < 200000; n++) {
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        unsigned i = r % SLOTS, op = (r >> 10) % 4;
        size_t size = (r >> 20) % 16 == 0 ? (r >> 30) % 60000 : (r >> 30) % 400;
        if (b[i].p)
            for (size_t k = 0; k < b[i].size; k++)
                if (b[i].p[k] != (unsigned char)(b[i].seed + k)) {
                    CHECK(0, "slot %u corrupted at byte %zu (op %d)", i, k, n);
                    return;
                }
        if (op == 0) {
            heap_free(&h, b[i].p);
            b[i].p = NULL;
            continue;
        }
        if (op == 1 && b[i].p) {
            unsigned char *q = heap_realloc(&h, b[i].p, size);
            CHECK(q != NULL, "realloc %zu failed", size);
            size_t keep = size < b[i].size ? size : b[i].size;
            for (size_t k = keep; k < size; k++)
                q[k] = (unsigned char)(b[i].seed + k);
            b[i].p = q;
            b[i].size = size;
            continue;
        }
        heap_free(&h, b[i].p);
        size_t align = op == 3 ? (size_t)16 << ((r >> 40) % 10) : 16;
        b[i].p = heap_alloc(&h, size, align);
        CHECK(b[i].p != NULL, "alloc %zu failed", size);
        CHECK(((uintptr_t)b[i].p & (align - 1)) == 0, "alignment %zu: %p", align, (void *)b[i].p);
        CHECK(heap_usable_size(b[i].p) >= size, "usable %zu < %zu", heap_usable_size(b[i].p), size);
        b[i].size = size;
        b[i].seed = (unsigned char)(r >> 50);
        for (size_t k = 0; k < size; k++)
            b[i].p[k] = (unsigned char)(b[i].seed + k);
        if (n % 1000 == 0)
            CHECK(heap_check(&h), "invariants broken at op %d", n);
    }
    CHECK(heap_check(&h), "invariants broken at the end");
    for (unsigned i = 0; i < SLOTS; i++)
        heap_free(&h, b[i].p);
    CHECK(h.used_bytes == 0 && h.free_bytes == 0, "used %zu free %zu", h.used_bytes, h.free_bytes);
    CHECK(pages_out == 0 && h.nr_arenas == 0 && h.nr_large == 0, "%ld pages kept", pages_out);
    CHECK(misuses == 0, "%d misuse reports", misuses);
}

static void neighbours_merge(void)
{
    setup();
    char *a = heap_alloc(&h, 100, 16), *b = heap_alloc(&h, 100, 16), *c = heap_alloc(&h, 100, 16);
    char *keep = heap_alloc(&h, 100, 16);
    CHECK(b == a + 128 && c == b + 128, "not adjacent");
    heap_free(&h, a);
    heap_free(&h, c);
    heap_free(&h, b);
    CHECK(heap_check(&h), "invariants");
    CHECK(heap_alloc(&h, 3 * 128 - 16, 16) == a, "three freed neighbours did not merge");
    /* realloc grows into a free neighbour without moving. */
    char *d = heap_alloc(&h, 40, 16);
    char *e = heap_alloc(&h, 200, 16);
    heap_free(&h, e);
    CHECK(heap_realloc(&h, d, 200) == d, "realloc did not grow in place");
    CHECK(heap_check(&h), "invariants");
    heap_free(&h, d);
    heap_free(&h, a);
    heap_free(&h, keep);
    CHECK(pages_out == 0, "%ld pages kept", pages_out);
}

static void out_of_memory(void)
{
    setup();
    CHECK(heap_alloc(&h, (size_t)1 << 40, 16) == NULL, "1 TiB");
    CHECK(heap_alloc(&h, SIZE_MAX, 16) == NULL, "SIZE_MAX");
    CHECK(heap_alloc(&h, 10, 24) == NULL, "alignment not a power of two");
    void *p = heap_alloc(&h, 10, 16);
    CHECK(heap_realloc(&h, p, (size_t)1 << 40) == NULL, "huge realloc");
    heap_free(&h, p);
    CHECK(pages_out == 0, "%ld pages kept", pages_out);
}

static void misuse_reported(void)
{
    setup();
    void *p = heap_alloc(&h, 64, 16);
    void *q = heap_alloc(&h, 64, 16);
    heap_free(&h, p);
    heap_free(&h, p);
    CHECK(misuses == 1, "double free: %d reports", misuses);
    heap_free(&h, (char *)q + 8);
    CHECK(misuses == 2, "interior pointer: %d reports", misuses);
    CHECK(heap_check(&h), "heap damaged by misuse");
    heap_free(&h, q);
    CHECK(pages_out == 0, "%ld pages kept", pages_out);
}

int main(void)
{
    RUN("heap", random_operations);
    RUN("heap", neighbours_merge);
    RUN("heap", out_of_memory);
    RUN("heap", misuse_reported);
    return check_tests_failed != 0;
}
