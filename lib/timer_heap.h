/* SPDX-License-Identifier: MIT */
/*
 * An intrusive binary min-heap of deadlines: the software timer queue under
 * kernel/timer.c, kept apart from Xen so the host can test it.
 *
 * The heap is a complete binary tree linked through pointers in the nodes
 * themselves (parent, left, right), so it holds any number of entries without
 * an allocator. Node number n (1 = root) is found from the bits of n, as in
 * an array heap, by walking down from the root: insert, remove and finding
 * the last node are all O(log n). Ties in `key` go first-in first-out.
 */
#ifndef TIMER_HEAP_H
#define TIMER_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct timerq_node is in the timer API, as part of struct timer. */
#include <mote/timer.h>

struct timerq {
    struct timerq_node *root;
    size_t count;
    uint64_t next_seq;
};

#define TIMERQ_INIT { NULL, 0, 0 }

/* Adds `n` (not queued) with deadline `key`. O(log n). */
void timerq_insert(struct timerq *h, struct timerq_node *n, uint64_t key);

/* Takes `n` out if it is queued; returns whether it was. O(log n). */
bool timerq_remove(struct timerq *h, struct timerq_node *n);

/* The node with the smallest key (the oldest among equals), or NULL. O(1). */
static inline struct timerq_node *timerq_min(const struct timerq *h)
{
    return h->root;
}

static inline void timerq_node_init(struct timerq_node *n)
{
    n->parent = n->left = n->right = NULL;
    n->queued = false;
}

#endif
