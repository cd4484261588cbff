/* SPDX-License-Identifier: MIT */
/*
 * A binary buddy allocator over a range of page frames (lib/buddy.c).
 *
 * Pure logic, no Xen: it is given the address of frame 0 and a byte of
 * metadata per frame, and keeps its free lists inside the free pages
 * themselves. The kernel runs one over the direct map (kernel/page_alloc.c);
 * the host unit tests run it over a malloc'd arena.
 *
 * A block of order k is 2^k pages, aligned to its size in frame numbers.
 * Freeing merges a block with its buddy (frame ^ 2^k) while the buddy is a
 * free block of the same order, so no memory is lost to splitting.
 */
#ifndef BUDDY_H
#define BUDDY_H

#include <stddef.h>
#include <stdint.h>

#define BUDDY_PAGE_SHIFT 12
#define BUDDY_PAGE_SIZE  (1UL << BUDDY_PAGE_SHIFT)
#define BUDDY_MAX_ORDER  20             /* 4 GiB blocks */

struct buddy_block {
    struct buddy_block *next, *prev;
};

struct buddy {
    char *base;                     /* address of frame 0 */
    unsigned long nr_frames;
    uint8_t *head;                  /* per frame: 0, or 1 + order of the free block it heads */
    struct buddy_block *free_list[BUDDY_MAX_ORDER + 1];
    unsigned long free_pages;
};

/* `head` must hold nr_frames zero bytes. All frames start allocated. */
void buddy_init(struct buddy *b, void *base, unsigned long nr_frames, uint8_t *head);

/* Makes the allocator span frames [0, nr_frames), nr_frames at least what it
 * was: the new frames start allocated, and their `head` bytes are cleared
 * here (buddy_init's caller clears only the first ones). `head` must have
 * room for them. */
void buddy_extend(struct buddy *b, unsigned long nr_frames);

/* Gives frames [first, first + count) to the allocator (they become free). */
void buddy_add_range(struct buddy *b, unsigned long first, unsigned long count);

/* Returns the address of a free block of 2^order pages, or NULL. */
void *buddy_alloc(struct buddy *b, unsigned order);

/* Frees a block from buddy_alloc. Returns 0, or -1 (nothing done) if the
 * address is not a frame of this allocator or is already free. */
int buddy_free(struct buddy *b, void *p, unsigned order);

/* Number of free blocks of exactly this order (for tests and reports). */
unsigned long buddy_free_blocks(const struct buddy *b, unsigned order);

#endif
