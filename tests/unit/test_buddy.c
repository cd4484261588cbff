/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the buddy page allocator (lib/buddy.c), run over a
 * malloc'd arena: every free frame can be taken exactly once, blocks are
 * aligned and disjoint, and freeing everything merges back to the blocks a
 * fresh allocator starts with.
 */
#include "check.h"
#include "../../lib/buddy.h"
#include <stdlib.h>

#define FRAMES 4096

static char *arena;
static uint8_t meta[FRAMES];

static void fresh(struct buddy *b, unsigned long first, unsigned long count)
{
    memset(meta, 0, sizeof(meta));
    buddy_init(b, arena, FRAMES, meta);
    buddy_add_range(b, first, count);
}

static unsigned long frame_of(void *p)
{
    return (unsigned long)((char *)p - arena) / BUDDY_PAGE_SIZE;
}

static void same_blocks(const struct buddy *a, const struct buddy *b)
{
    for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
        CHECK(buddy_free_blocks(a, k) == buddy_free_blocks(b, k), "order %u: %lu blocks vs %lu",
              k, buddy_free_blocks(a, k), buddy_free_blocks(b, k));
}

static void every_frame_once(void)
{
    static struct buddy b, ref;
    static unsigned char seen[FRAMES];
    unsigned long n = 0;
    void *p;

    fresh(&b, 3, 4000);
    CHECK(b.free_pages == 4000, "free %lu", b.free_pages);
    memset(seen, 0, sizeof(seen));
    while ((p = buddy_alloc(&b, 0))) {
        unsigned long f = frame_of(p);
        CHECK(f >= 3 && f < 4003, "frame %lu outside the range given", f);
        CHECK(!seen[f], "frame %lu given twice", f);
        seen[f] = 1;
        n++;
    }
    CHECK(n == 4000 && b.free_pages == 0, "took %lu, %lu left", n, b.free_pages);
    for (unsigned long f = 0; f < FRAMES; f++)
        if (seen[f])
            CHECK(buddy_free(&b, arena + f * BUDDY_PAGE_SIZE, 0) == 0, "free of frame %lu", f);
    CHECK(b.free_pages == 4000, "free %lu after freeing all", b.free_pages);
    /* Everything merged back: the same blocks as a fresh allocator. */
    memcpy(&ref, &b, sizeof(ref));
    static uint8_t meta2[FRAMES];
    memset(meta2, 0, sizeof(meta2));
    buddy_init(&ref, arena, FRAMES, meta2);
    buddy_add_range(&ref, 3, 4000);
    same_blocks(&b, &ref);
}

static void aligned_and_disjoint(void)
{
    static struct buddy b;
    static int owner[FRAMES];
    struct { void *p; unsigned order; } held[512];
    unsigned nheld = 0;
    unsigned seed = 12345;

    fresh(&b, 0, FRAMES);
    memset(owner, 0, sizeof(owner));
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245 + 12345;
        if (nheld < 512 && (seed >> 16) % 3) {
            unsigned order = (seed >> 8) % 7;
            void *p = buddy_alloc(&b, order);
            if (!p)
                continue;
            unsigned long f = frame_of(p);
            CHECK((f & ((1UL << order) - 1)) == 0, "order %u block at frame %lu", order, f);
            for (unsigned long i = f; i < f + (1UL << order); i++) {
                CHECK(owner[i] == 0, "frame %lu in two blocks", i);
                owner[i] = step + 1;
            }
            held[nheld].p = p;
            held[nheld++].order = order;
        } else if (nheld) {
            unsigned i = (seed >> 4) % nheld;
            unsigned long f = frame_of(held[i].p);
            for (unsigned long j = f; j < f + (1UL << held[i].order); j++)
                owner[j] = 0;
            CHECK(buddy_free(&b, held[i].p, held[i].order) == 0, "free failed");
            held[i] = held[--nheld];
        }
    }
    while (nheld--)
        buddy_free(&b, held[nheld].p, held[nheld].order);
    CHECK(b.free_pages == FRAMES, "free %lu", b.free_pages);
    CHECK(buddy_free_blocks(&b, 12) == 1, "4096 frames did not merge into one block");
}

static void misuse_refused(void)
{
    static struct buddy b;

    fresh(&b, 0, 64);
    void *p = buddy_alloc(&b, 2);
    CHECK(buddy_free(&b, p, 2) == 0, "first free");
    CHECK(buddy_free(&b, p, 2) == -1, "double free accepted");
    CHECK(buddy_free(&b, arena + 1, 0) == -1, "unaligned pointer accepted");
    CHECK(buddy_free(&b, arena + BUDDY_PAGE_SIZE, 1) == -1, "misaligned order accepted");
    CHECK(buddy_free(&b, arena + FRAMES * BUDDY_PAGE_SIZE, 0) == -1, "frame past the end accepted");
    CHECK(buddy_alloc(&b, 7) == NULL, "order 7 from 64 frames");
    CHECK(buddy_alloc(&b, BUDDY_MAX_ORDER + 1) == NULL, "order beyond the maximum");
    CHECK(b.free_pages == 64, "free %lu", b.free_pages);
}

/* Growing in 512-frame steps, as the kernel's page allocator does over the
 * direct map: head bytes past nr_frames hold garbage until buddy_extend
 * clears them, and the steps still merge into the largest blocks. */
static void extend_in_steps(void)
{
    struct buddy b;

    /* Garbage that looks like "a free order-0 block starts here". */
    memset(meta, 1, sizeof(meta));
    memset(meta, 0, 512);
    buddy_init(&b, arena, 512, meta);
    buddy_add_range(&b, 0, 512);
    for (unsigned long end = 1024; end <= FRAMES; end += 512) {
        buddy_extend(&b, end);
        CHECK(b.nr_frames == end, "nr_frames %lu after extending to %lu", b.nr_frames, end);
        for (unsigned long f = end - 512; f < end; f++)
            CHECK(meta[f] == 0, "head byte of new frame %lu is %u", f, meta[f]);
        buddy_add_range(&b, end - 512, 512);
    }
    CHECK(b.free_pages == FRAMES, "free %lu", b.free_pages);
    CHECK(buddy_free_blocks(&b, 12) == 1, "4096 frames added in steps did not merge into one block");
    /* Every frame out and back one at a time: each free looks at its
     * buddy's head byte. */
    static void *taken[FRAMES];
    for (unsigned long i = 0; i < FRAMES; i++)
        taken[i] = buddy_alloc(&b, 0);
    for (unsigned long i = 0; i < FRAMES; i++)
        CHECK(taken[i] && buddy_free(&b, taken[i], 0) == 0, "frame %lu out and back", i);
    CHECK(buddy_free_blocks(&b, 12) == 1, "not one block again after all were freed");
    void *p = buddy_alloc(&b, 12);
    CHECK(p == arena, "the whole arena: %p", p);
    buddy_extend(&b, 1024);
    CHECK(b.nr_frames == FRAMES, "extending to fewer frames shrank it to %lu", b.nr_frames);
}

int main(void)
{
    arena = aligned_alloc(BUDDY_PAGE_SIZE * FRAMES, BUDDY_PAGE_SIZE * FRAMES);
    RUN("buddy", every_frame_once);
    RUN("buddy", aligned_and_disjoint);
    RUN("buddy", misuse_refused);
    RUN("buddy", extend_in_steps);
    free(arena);
    return check_tests_failed != 0;
}
