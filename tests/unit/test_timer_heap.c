/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the timer queue's heap (lib/timer_heap.c): random inserts,
 * removals and pops checked against a plain reference (scan for the smallest
 * deadline, oldest first among equals), with the tree's links, shape and
 * order verified as it changes.
 */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "../../lib/timer_heap.h"
#include "../rand.h"

#define NODES 600

static struct timerq_node nodes[NODES];
static struct timerq heap = TIMERQ_INIT;

/* The reference: which nodes are queued, their key and insertion order. */
static bool ref_queued[NODES];
static uint64_t ref_key[NODES], ref_seq[NODES], ref_next_seq;
static size_t ref_count;

static uint64_t rng_state = 0x13198a2e03707344ull;

static uint64_t rnd(void)
{
    return xorshift64star(&rng_state);
}

static int ref_min(void)
{
    int best = -1;

    for (int i = 0; i < NODES; i++)
        if (ref_queued[i] && (best < 0 || ref_key[i] < ref_key[best] ||
                              (ref_key[i] == ref_key[best] && ref_seq[i] < ref_seq[best])))
            best = i;
    return best;
}

/* Walks the tree: links agree, parents come first, and node k's children are
 * at 2k and 2k+1 with no gaps (so the positions are exactly 1..count). */
static size_t walk(const struct timerq_node *n, const struct timerq_node *parent, size_t pos,
                   size_t *max_pos)
{
    if (!n)
        return 0;
    CHECK(n->parent == parent, "bad parent link at position %zu", pos);
    CHECK(n->queued, "unqueued node in the tree at %zu", pos);
    if (parent)
        CHECK(parent->key < n->key || (parent->key == n->key && parent->seq < n->seq),
              "heap order broken at position %zu", pos);
    if (pos > *max_pos)
        *max_pos = pos;
    return 1 + walk(n->left, n, 2 * pos, max_pos) + walk(n->right, n, 2 * pos + 1, max_pos);
}

static void verify(void)
{
    size_t max_pos = 0;
    size_t n = walk(heap.root, NULL, 1, &max_pos);

    CHECK(n == heap.count && n == ref_count, "tree has %zu nodes, count %zu, reference %zu",
          n, heap.count, ref_count);
    CHECK(max_pos == n, "tree not complete: %zu nodes, deepest position %zu", n, max_pos);
    int m = ref_min();
    CHECK((m < 0 && !timerq_min(&heap)) || (m >= 0 && timerq_min(&heap) == &nodes[m]),
          "min is node %td, reference %d",
          timerq_min(&heap) ? timerq_min(&heap) - nodes : (ptrdiff_t)-1, m);
}

static void ref_insert(int i, uint64_t key)
{
    ref_queued[i] = true;
    ref_key[i] = key;
    ref_seq[i] = ref_next_seq++;
    ref_count++;
}

static void test_random_ops(void)
{
    for (int i = 0; i < NODES; i++)
        timerq_node_init(&nodes[i]);

    for (int step = 0; step < 300000; step++) {
        int i = (int)(rnd() % NODES);
        unsigned op = rnd() % 10;
        /* A narrow key range some of the time, so equal deadlines happen. */
        uint64_t key = (step / 1000) % 2 ? rnd() % 50 : rnd();

        if (op < 5) {                           /* insert, or re-arm if queued */
            if (nodes[i].queued) {
                CHECK(timerq_remove(&heap, &nodes[i]), "remove of queued node %d failed", i);
                ref_queued[i] = false;
                ref_count--;
            }
            timerq_insert(&heap, &nodes[i], key);
            ref_insert(i, key);
        } else if (op < 8) {                    /* cancel, queued or not */
            bool was = timerq_remove(&heap, &nodes[i]);
            CHECK(was == ref_queued[i], "remove(%d) said %d, reference %d", i, was, ref_queued[i]);
            if (ref_queued[i]) {
                ref_queued[i] = false;
                ref_count--;
            }
        } else {                                /* pop the earliest */
            struct timerq_node *n = timerq_min(&heap);
            int m = ref_min();
            CHECK((n ? n - nodes : -1) == m, "min %td, reference %d", n ? n - nodes : -1, m);
            if (n) {
                timerq_remove(&heap, n);
                ref_queued[n - nodes] = false;
                ref_count--;
            }
        }
        if (step % 97 == 0 || heap.count < 8)
            verify();
        if (check_failures > 20)
            return;
    }
    verify();
}

/* Draining pops every deadline in order, equal ones in insertion order. */
static void test_drain_order(void)
{
    struct timerq h = TIMERQ_INIT;

    for (int i = 0; i < NODES; i++) {
        timerq_node_init(&nodes[i]);
        timerq_insert(&h, &nodes[i], rnd() % 100);
    }
    uint64_t last_key = 0, last_seq = 0;
    for (int i = 0; i < NODES; i++) {
        struct timerq_node *n = timerq_min(&h);
        CHECK(n, "heap ran out after %d pops", i);
        if (!n)
            return;
        CHECK(n->key > last_key || (n->key == last_key && (i == 0 || n->seq > last_seq)),
              "pop %d out of order", i);
        last_key = n->key;
        last_seq = n->seq;
        timerq_remove(&h, n);
    }
    CHECK(!timerq_min(&h) && h.count == 0, "heap not empty after draining");
    CHECK(!timerq_remove(&h, &nodes[0]), "removing an unqueued node must say so");
}

int main(void)
{
    RUN("timer_heap", test_random_ops);
    RUN("timer_heap", test_drain_order);
    return check_tests_failed != 0;
}
