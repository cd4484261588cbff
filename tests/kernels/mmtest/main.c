/* SPDX-License-Identifier: MIT */
/*
 * mmtest: the kernel the memory boot tests (tests/boot/mm.sh) boot. argv[1]
 * names the scenario; each prints what its test asserts on, and "mmtest:
 * <scenario> ok" when every check passed.
 *
 *   pages            allocate every free page, pattern, verify, free; twice
 *   heap             100,000 random malloc/calloc/realloc/aligned_alloc/free
 *   heap_handler     the same while a timer handler allocates and frees
 *   frag             coalescing and fragmentation; no pages kept when empty
 *   oom              NULL on exhaustion, then malloc_or_panic's report
 *   grow             after xl mem-set up to maxmem: every page allocated
 *   foreign          map_foreign_page of our own page and of shared info
 *   write_text       store to .text                 -> #PF, never continues
 *   write_text_alias store to .text via the direct map -> #PF
 *   write_rodata     store to .rodata               -> #PF
 *   exec_heap        call into a malloc'd block     -> #PF (NX)
 *   exec_stack       call into the stack            -> #PF (NX)
 *   null             read address 0                 -> #PF at 0
 *   stack_overflow   unbounded recursion -> the stack check stops it
 */
#include <clock.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <timer.h>

static int failures;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            printk("mmtest: FAILED %s: ", #cond);                          \
            printk(__VA_ARGS__);                                            \
            printk("\n");                                                   \
        }                                                                   \
    } while (0)

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

/* xorshift64: reproducible, good enough to drive the random tests. */
static uint64_t xorshift64(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static uint64_t rng(void)
{
    return xorshift64(&rng_state);
}

static uint64_t page_word(unsigned long pfn, unsigned i, unsigned pass)
{
    return (pfn * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)i << 40) ^ pass;
}

/* One pass: every free page taken, patterned, checked, given back. Word 0 of
 * each page links the list of pages taken. */
static void pages_pass(unsigned pass)
{
    unsigned long before = free_page_count(), taken = 0, bad = 0;
    uint64_t *list = NULL, *p;

    while ((p = alloc_page())) {
        unsigned long pfn = virt_to_pfn(p);
        p[0] = (uint64_t)list;
        for (unsigned i = 1; i < PAGE_SIZE / 8; i++)
            p[i] = page_word(pfn, i, pass);
        list = p;
        taken++;
    }
    CHECK(free_page_count() == 0, "%lu pages still free after exhaustion", free_page_count());
    for (p = list; p; p = (uint64_t *)p[0]) {
        unsigned long pfn = virt_to_pfn(p);
        for (unsigned i = 1; i < PAGE_SIZE / 8; i++)
            if (p[i] != page_word(pfn, i, pass)) {
                bad++;
                break;
            }
    }
    while (list) {
        p = list;
        list = (uint64_t *)p[0];
        free_page(p);
    }
    printk("mmtest: pass %u: %lu free before, %lu pages taken, %lu bad, %lu free after\n",
           pass, before, taken, bad, free_page_count());
    CHECK(taken == before, "took %lu of %lu free pages", taken, before);
    CHECK(bad == 0, "%lu pages lost their pattern", bad);
    CHECK(free_page_count() == before, "%lu free after, %lu before", free_page_count(), before);
}

static void test_pages(void)
{
    unsigned long start = free_page_count();

    /* Between the allocator's start and main the kernel takes pages of its
     * own (each vCPU's idle thread and its stack); none may leak after. */
    printk("mmtest: %lu pages free at main, %lu after boot\n", mm_stats.free_at_main,
           mm_stats.free_after_boot);
    CHECK(start == mm_stats.free_at_main, "free %lu at main, %lu when main started", start,
          mm_stats.free_at_main);
    pages_pass(1);
    pages_pass(2);
    /* Merging must have restored the large blocks: a 2 MiB block is there. */
    void *big = alloc_pages(9);
    CHECK(big && ((unsigned long)big & ((PAGE_SIZE << 9) - 1)) == 0, "no aligned order-9 block: %p", big);
    if (big)
        free_pages(big, 9);
}

#define SLOTS 1024

struct block {
    unsigned char *p;
    size_t size;
    unsigned char seed;
};

static bool block_ok(const struct block *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b->p[i] != (unsigned char)(b->seed + i * 7))
            return false;
    return true;
}

static void block_fill(struct block *b, size_t from)
{
    for (size_t i = from; i < b->size; i++)
        b->p[i] = (unsigned char)(b->seed + i * 7);
}

/* Mostly small, some up to the large-block threshold, a few beyond it. */
static size_t random_size(void)
{
    uint64_t r = rng();
    switch (r % 16) {
    case 0: return (r >> 8) % 70000;
    case 1: case 2: return (r >> 8) % 16384;
    default: return (r >> 8) % 300;
    }
}

/* Checks each of the n blocks' content one last time and frees it. */
static void check_and_free_blocks(struct block *blocks, unsigned n, const char *what)
{
    for (unsigned i = 0; i < n; i++) {
        if (blocks[i].p)
            CHECK(block_ok(&blocks[i], blocks[i].size), "%s %u corrupted at the end", what, i);
        free(blocks[i].p);
        blocks[i].p = NULL;
    }
}

/* With everything freed, the heap and the page allocator are back where
 * they were before the test. */
static void check_no_leak(size_t used_before, unsigned long pages_before)
{
    CHECK(heap_used_bytes() == used_before, "leak: %zu bytes in use", heap_used_bytes() - used_before);
    CHECK(free_page_count() == pages_before, "leak: %ld pages",
          (long)(pages_before - free_page_count()));
}

/* 100,000 random heap operations on `blocks`, checking every block's
 * content before it is touched; counts each kind in ops[], NULLs in *nulls. */
static void heap_random_ops(struct block *blocks, unsigned long ops[5], unsigned long *nulls)
{
    for (unsigned long n = 0; n < 100000; n++) {
        struct block *b = &blocks[rng() % SLOTS];
        unsigned op = rng() % 5;

        if (b->p && !block_ok(b, b->size)) {
            CHECK(0, "block %p size %zu corrupted at op %lu", b->p, b->size, n);
            return;
        }
        if (op == 0 || (op == 1 && !b->p)) {            /* free */
            free(b->p);
            b->p = NULL;
            op = 0;
        } else if (op == 1) {                           /* realloc */
            size_t size = random_size();
            unsigned char *q = realloc(b->p, size);
            if (!q) {
                (*nulls)++;
                continue;
            }
            b->p = q;
            size_t keep = size < b->size ? size : b->size;
            CHECK(block_ok(b, keep), "realloc lost the first %zu bytes", keep);
            b->size = size;
            block_fill(b, keep);
        } else {                                        /* malloc / calloc / aligned */
            free(b->p);
            size_t size = random_size();
            size_t align = (size_t)16 << (rng() % 9);
            b->p = op == 2 ? malloc(size) : op == 3 ? calloc(1, size) : aligned_alloc(align, size);
            if (!b->p) {
                (*nulls)++;
                continue;
            }
            if (op == 3)
                for (size_t i = 0; i < size; i++)
                    if (b->p[i]) {
                        CHECK(0, "calloc(%zu) byte %zu is %u", size, i, b->p[i]);
                        break;
                    }
            if (op == 4)
                CHECK(((uintptr_t)b->p & (align - 1)) == 0, "aligned_alloc(%zu) gave %p", align, b->p);
            b->size = size;
            b->seed = (unsigned char)rng();
            block_fill(b, 0);
        }
        ops[op]++;
        if (n % 5000 == 0)
            CHECK(heap_verify() == 0, "heap inconsistent at op %lu", n);
    }
}

static void test_heap(void)
{
    static struct block blocks[SLOTS];
    unsigned long pages_before = free_page_count();
    size_t used_before = heap_used_bytes();
    unsigned long ops[5] = { 0 }, nulls = 0;

    heap_random_ops(blocks, ops, &nulls);
    CHECK(heap_verify() == 0, "heap inconsistent after the run");
    printk("mmtest: heap: %lu free, %lu realloc, %lu malloc, %lu calloc, %lu aligned_alloc, "
           "%lu NULL; %zu bytes in use, %lu pages free\n",
           ops[0], ops[1], ops[2], ops[3], ops[4], nulls, heap_used_bytes(), free_page_count());
    CHECK(nulls == 0, "%lu allocations failed with memory free", nulls);
    check_and_free_blocks(blocks, SLOTS, "block");
    printk("mmtest: heap: after freeing all: %zu bytes in use (%zu before), %lu pages free (%lu before)\n",
           heap_used_bytes(), used_before, free_page_count(), pages_before);
    check_no_leak(used_before, pages_before);
}

/*
 * The heap from event handlers: a timer re-arms itself every 20 us and each
 * time frees and allocates a block of its own, while the thread runs the
 * random test. The handler runs between any two instructions the thread
 * executes with delivery enabled; the allocators mask delivery inside, so
 * neither side may ever see the other's half-done change.
 */
#define HANDLER_SLOTS 64
static struct block handler_blocks[HANDLER_SLOTS];
static unsigned long handler_allocs, handler_corrupt;
static uint64_t handler_rng = 0x9e3779b97f4a7c15ULL;

static void heap_timer_fn(struct timer *t, void *ctx)
{
    (void)ctx;
    uint64_t r = xorshift64(&handler_rng);
    struct block *b = &handler_blocks[r % HANDLER_SLOTS];
    if (b->p && !block_ok(b, b->size))
        handler_corrupt++;
    free(b->p);
    b->size = (r >> 8) % 2000;
    b->seed = (unsigned char)(r >> 40);
    b->p = malloc(b->size);
    if (b->p) {
        block_fill(b, 0);
        handler_allocs++;
    }
    timer_arm(t, monotonic_ns() + 20000);
}

static void test_heap_handler(void)
{
    static struct block blocks[SLOTS];
    static struct timer timer;
    unsigned long pages_before = free_page_count();
    size_t used_before = heap_used_bytes();
    unsigned long ops[5] = { 0 }, nulls = 0;

    timer_init(&timer, heap_timer_fn, NULL);
    timer_arm(&timer, monotonic_ns());
    heap_random_ops(blocks, ops, &nulls);
    timer_cancel(&timer);
    printk("mmtest: heap_handler: %lu allocations in a timer handler during %lu thread operations\n",
           handler_allocs, ops[0] + ops[1] + ops[2] + ops[3] + ops[4]);
    CHECK(handler_allocs >= 1000, "the handler ran only %lu times", handler_allocs);
    CHECK(handler_corrupt == 0, "%lu handler blocks corrupted", handler_corrupt);
    CHECK(heap_verify() == 0, "heap inconsistent after the run");
    check_and_free_blocks(blocks, SLOTS, "block");
    check_and_free_blocks(handler_blocks, HANDLER_SLOTS, "handler block");
    check_no_leak(used_before, pages_before);
}

static void test_frag(void)
{
    enum { N = 4000 };
    static void *small[N];
    unsigned long pages_before = free_page_count();
    /* The kernel's own blocks (each vCPU's idle thread) stay. */
    size_t used_before = heap_used_bytes();

    /* Three neighbours freed in the order outer, outer, middle become one
     * chunk: the next request of their combined size starts at the first. */
    char *a = malloc(100), *b = malloc(100), *c = malloc(100), *guard = malloc(100);
    CHECK(b == a + 128 && c == b + 128, "not adjacent: %p %p %p", a, b, c);
    free(a);
    free(c);
    free(b);
    char *abc = malloc(3 * 128 - 16);
    CHECK(abc == a, "freed neighbours not merged: got %p, expected %p", abc, a);
    free(abc);
    free(guard);

    /* Checkerboard: every other small block freed leaves holes too small for
     * a bigger request; the bigger ones must still be served, and once all is
     * freed the holes must merge back so no arena is kept. */
    for (int i = 0; i < N; i++)
        small[i] = malloc(48);
    for (int i = 0; i < N; i += 2) {
        free(small[i]);
        small[i] = NULL;
    }
    size_t held = heap_free_bytes();
    void *big[64];
    for (int i = 0; i < 64; i++) {
        big[i] = malloc(1000);
        CHECK(big[i] != NULL, "malloc(1000) failed with %zu bytes free in holes", held);
    }
    for (int i = 1; i < N; i += 2)
        free(small[i]);
    for (int i = 0; i < 64; i++)
        free(big[i]);
    CHECK(heap_verify() == 0, "heap inconsistent");

    /* Growing one block by realloc, as a buffer does, then shrinking it. */
    char *buf = NULL;
    for (size_t size = 1; size < 200000; size = size * 3 / 2 + 1) {
        buf = realloc(buf, size);
        CHECK(buf != NULL, "realloc to %zu failed", size);
        buf[size - 1] = 'x';
    }
    buf = realloc(buf, 10);
    free(buf);

    printk("mmtest: frag: %zu bytes of holes after the checkerboard; at the end %zu bytes in use "
           "(%zu before), %lu pages free (%lu before)\n", held, heap_used_bytes(), used_before,
           free_page_count(), pages_before);
    CHECK(heap_used_bytes() == used_before, "%zu bytes still in use (%zu before)",
          heap_used_bytes(), used_before);
    CHECK(free_page_count() == pages_before, "%ld pages kept", (long)(pages_before - free_page_count()));
}

static void test_oom(void)
{
    unsigned long pages = free_page_count();

    CHECK(malloc((size_t)1 << 40) == NULL, "malloc(1 TiB) did not return NULL");
    CHECK(malloc(SIZE_MAX) == NULL, "malloc(SIZE_MAX) did not return NULL");
    CHECK(calloc(SIZE_MAX / 2, 4) == NULL, "overflowing calloc did not return NULL");
    CHECK(alloc_pages(20) == NULL, "alloc_pages(20) did not return NULL");
    void *p = malloc(64);
    CHECK(realloc(p, (size_t)1 << 40) == NULL, "huge realloc did not return NULL");
    free(p);
    CHECK(free_page_count() == pages, "failed allocations changed the free count");
    printk("mmtest: oom: NULL returned; now a must-not-fail allocation of 1 TiB\n");
    if (failures)
        return;
    malloc_or_panic((size_t)1 << 40);
    printk("mmtest: oom: malloc_or_panic returned\n");
    failures++;
}

static void test_foreign(void)
{
    uint64_t *page = alloc_page();
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        page[i] = i * 3;

    uint64_t *alias = map_foreign_page(virt_to_mfn(page), DOMID_SELF);
    CHECK(alias != NULL, "map of our own mfn failed");
    if (alias) {
        CHECK((unsigned long)alias >= FOREIGN_MAP_BASE, "mapped at %p", alias);
        CHECK(alias[5] == 15 && alias[511] == 511 * 3, "alias reads %lu %lu", alias[5], alias[511]);
        alias[7] = 0xabcdef;
        CHECK(page[7] == 0xabcdef, "write through the alias not seen: %#lx", page[7]);
        CHECK(unmap_foreign_page(alias) == 0, "unmap refused");
    }
    free_page(page);

    shared_info_t *si = map_foreign_page(start_info->shared_info >> PAGE_SHIFT, DOMID_SELF);
    CHECK(si != NULL, "map of shared info failed");
    if (si) {
        CHECK(si->vcpu_info[0].time.tsc_to_system_mul != 0, "shared info has no time scale");
        printk("mmtest: foreign: shared info at %p, tsc_to_system_mul %u\n", (void *)si,
               si->vcpu_info[0].time.tsc_to_system_mul);
    }
    /* Xen never lets a page table be mapped writable (xen.h, mmu_update). */
    void *bad = map_foreign_page(virt_to_mfn((void *)start_info->pt_base), DOMID_SELF);
    CHECK(bad == NULL, "mapping our L4 writable succeeded at %p", bad);
}

static void fault_and_report(const char *what, const void *addr)
{
    printk("mmtest: %s at %p\n", what, addr);
}

static void test_write_text(void)
{
    volatile unsigned char *t = (volatile unsigned char *)&test_write_text;
    fault_and_report("writing to .text", (const void *)t);
    *t = 0xcc;
}

static void test_write_text_alias(void)
{
    unsigned long pfn = virt_to_pfn((const void *)&test_write_text);
    volatile unsigned char *t = pfn_to_virt(pfn);
    fault_and_report("writing to .text through the direct map", (const void *)t);
    *t = 0xcc;
}

static const char rodata_string[] = "read-only";

static void test_write_rodata(void)
{
    volatile char *r = (volatile char *)rodata_string;
    fault_and_report("writing to .rodata", (const void *)r);
    r[0] = 'X';
}

static void test_exec_heap(void)
{
    unsigned char *code = malloc(16);
    code[0] = 0xc3;     /* ret */
    fault_and_report("calling into the heap", code);
    ((void (*)(void))code)();
}

static void test_exec_stack(void)
{
    unsigned char code[16] = { 0xc3 };
    fault_and_report("calling into the stack", code);
    ((void (*)(void))(void *)code)();
    asm volatile ("" ::: "memory");
}

static void test_null(void)
{
    fault_and_report("reading address 0", NULL);
    (void)*(volatile int *)0;
}

/* Each level keeps 1 KiB live on the stack, so 16 KiB of stack overflow in
 * 16 levels; the compiler must not turn it into a loop. */
static __attribute__((noinline)) unsigned long recurse(unsigned long depth)
{
    volatile char frame[1024];

    frame[0] = (char)depth;
    if ((depth & 3) == 0)
        printk("mmtest: depth %lu, stack at %p\n", depth, (void *)frame);
    /* The bound is never reached (the stack is 64 KiB); it only keeps GCC
     * from rejecting the recursion as infinite. */
    if (depth > (1UL << 30))
        return frame[0];
    return recurse(depth + 1) + frame[0];
}

static void test_stack_overflow(void)
{
    printk("mmtest: recursing from stack at %p\n", (void *)&failures);
    recurse(0);
}

/* grow: started with memory below maxmem, waits (2 minutes at most) until
 * the balloon has filled more pages than the domain booted with many times
 * over (dom0 runs xl mem-set), then allocates every free page, writes each
 * whole, checks them and frees them (tests/boot/lifecycle.sh). */
#define GROW_WANT_PAGES 14000       /* of 16384 for 64 MiB */

static void test_grow(void)
{
    uint64_t deadline = monotonic_ns() + 120 * NSEC_PER_SEC;

    printk("mmtest: grow: %lu pages free, waiting for %u\n", free_page_count(), GROW_WANT_PAGES);
    while (free_page_count() < GROW_WANT_PAGES && monotonic_ns() < deadline)
        sleep_ns(100 * 1000 * 1000);
    CHECK(free_page_count() >= GROW_WANT_PAGES, "only %lu pages free", free_page_count());
    /* The balloon fills in batches: let it finish. */
    sleep_ns(NSEC_PER_SEC);

    unsigned long **pages = NULL, n = 0, bad = 0;
    unsigned long *page;
    /* A list through the pages themselves: no other memory needed. */
    while ((page = alloc_page())) {
        *(unsigned long ***)page = pages;
        pages = (unsigned long **)page;
        for (size_t i = 1; i < PAGE_SIZE / sizeof(unsigned long); i++)
            page[i] = (unsigned long)page ^ i;
        n++;
    }
    printk("mmtest: grow: allocated %lu pages (%lu MiB)\n", n, n * PAGE_SIZE >> 20);
    while (pages) {
        unsigned long *p = (unsigned long *)pages;
        pages = *(unsigned long ***)p;
        for (size_t i = 1; i < PAGE_SIZE / sizeof(unsigned long); i++)
            if (p[i] != ((unsigned long)p ^ i)) {
                bad++;
                break;
            }
        free_page(p);
    }
    CHECK(bad == 0, "%lu pages lost what was written", bad);
    CHECK(n >= GROW_WANT_PAGES, "only %lu pages allocated", n);
    printk("mmtest: grow: %lu pages checked and freed, %lu free\n", n, free_page_count());
}

static const struct {
    const char *name;
    void (*fn)(void);
    bool faults;
} scenarios[] = {
    { "grow", test_grow, false },
    { "pages", test_pages, false },
    { "heap", test_heap, false },
    { "heap_handler", test_heap_handler, false },
    { "frag", test_frag, false },
    { "oom", test_oom, false },
    { "foreign", test_foreign, false },
    { "write_text", test_write_text, true },
    { "write_text_alias", test_write_text_alias, true },
    { "write_rodata", test_write_rodata, true },
    { "exec_heap", test_exec_heap, true },
    { "exec_stack", test_exec_stack, true },
    { "null", test_null, true },
    { "stack_overflow", test_stack_overflow, true },
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        printk("mmtest: no scenario given\n");
        return 2;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(scenarios); i++) {
        if (strcmp(argv[1], scenarios[i].name))
            continue;
        scenarios[i].fn();
        if (scenarios[i].faults) {
            printk("mmtest: %s continued after the fault\n", argv[1]);
            return 1;
        }
        if (failures) {
            printk("mmtest: %s: %d checks failed\n", argv[1], failures);
            return 1;
        }
        printk("mmtest: %s ok\n", argv[1]);
        return 0;
    }
    printk("mmtest: unknown scenario %s\n", argv[1]);
    return 2;
}
