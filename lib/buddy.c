/* SPDX-License-Identifier: MIT */
/*
 * The binary buddy allocator (contract in lib/buddy.h).
 *
 * Free blocks of each order sit on a doubly linked list threaded through
 * their first bytes, so removing a block's buddy when merging is O(1); the
 * per-frame head byte says whether a frame starts a free block and of which
 * order, which is all merging needs to know about a buddy.
 */
#include <buddy.h>

static struct buddy_block *frame_addr(const struct buddy *b, unsigned long frame)
{
    return (struct buddy_block *)(b->base + (frame << BUDDY_PAGE_SHIFT));
}

static void list_push(struct buddy *b, unsigned long frame, unsigned order)
{
    struct buddy_block *blk = frame_addr(b, frame);

    blk->prev = NULL;
    blk->next = b->free_list[order];
    if (blk->next)
        blk->next->prev = blk;
    b->free_list[order] = blk;
    b->head[frame] = (uint8_t)(order + 1);
}

static void list_remove(struct buddy *b, unsigned long frame, unsigned order)
{
    struct buddy_block *blk = frame_addr(b, frame);

    if (blk->prev)
        blk->prev->next = blk->next;
    else
        b->free_list[order] = blk->next;
    if (blk->next)
        blk->next->prev = blk->prev;
    b->head[frame] = 0;
}

void buddy_init(struct buddy *b, void *base, unsigned long nr_frames, uint8_t *head)
{
    b->base = base;
    b->nr_frames = nr_frames;
    b->head = head;
    for (unsigned i = 0; i <= BUDDY_MAX_ORDER; i++)
        b->free_list[i] = NULL;
    b->free_pages = 0;
}

void buddy_extend(struct buddy *b, unsigned long nr_frames)
{
    /* Merging never looks at a frame past nr_frames, so head bytes up
     * there need no clearing until now. */
    for (unsigned long f = b->nr_frames; f < nr_frames; f++)
        b->head[f] = 0;
    if (nr_frames > b->nr_frames)
        b->nr_frames = nr_frames;
}

/* Inserts a free block, merging it with its buddies as far as they are free. */
static void insert_merging(struct buddy *b, unsigned long frame, unsigned order)
{
    b->free_pages += 1UL << order;
    while (order < BUDDY_MAX_ORDER) {
        unsigned long buddy = frame ^ (1UL << order);
        if (buddy + (1UL << order) > b->nr_frames || b->head[buddy] != order + 1)
            break;
        list_remove(b, buddy, order);
        frame &= ~(1UL << order);
        order++;
    }
    list_push(b, frame, order);
}

void buddy_add_range(struct buddy *b, unsigned long first, unsigned long count)
{
    while (count) {
        unsigned order = 0;
        /* The largest block that is aligned at `first` and fits in `count`. */
        while (order < BUDDY_MAX_ORDER && !(first & (1UL << order)) &&
               (2UL << order) <= count)
            order++;
        insert_merging(b, first, order);
        first += 1UL << order;
        count -= 1UL << order;
    }
}

void *buddy_alloc(struct buddy *b, unsigned order)
{
    unsigned k = order;

    if (order > BUDDY_MAX_ORDER)
        return NULL;
    while (k <= BUDDY_MAX_ORDER && !b->free_list[k])
        k++;
    if (k > BUDDY_MAX_ORDER)
        return NULL;

    unsigned long frame = (unsigned long)((char *)b->free_list[k] - b->base) >> BUDDY_PAGE_SHIFT;
    list_remove(b, frame, k);
    /* Split: the upper halves go back on the lists, the lowest part is ours. */
    while (k > order) {
        k--;
        list_push(b, frame + (1UL << k), k);
    }
    b->free_pages -= 1UL << order;
    return frame_addr(b, frame);
}

int buddy_free(struct buddy *b, void *p, unsigned order)
{
    unsigned long off = (unsigned long)((char *)p - b->base);
    unsigned long frame = off >> BUDDY_PAGE_SHIFT;

    if ((char *)p < b->base || (off & (BUDDY_PAGE_SIZE - 1)) || order > BUDDY_MAX_ORDER ||
        (frame & ((1UL << order) - 1)) || frame + (1UL << order) > b->nr_frames)
        return -1;
    /* A free block starting here, or one of a larger order containing it,
     * means a double free; the first is cheap to detect and common. */
    if (b->head[frame])
        return -1;
    insert_merging(b, frame, order);
    return 0;
}

unsigned long buddy_free_blocks(const struct buddy *b, unsigned order)
{
    unsigned long n = 0;

    for (const struct buddy_block *blk = b->free_list[order]; blk; blk = blk->next)
        n++;
    return n;
}
