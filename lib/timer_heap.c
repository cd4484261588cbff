/* SPDX-License-Identifier: MIT */
/*
 * The pointer-linked binary min-heap behind the timer queue
 * (lib/timer_heap.h).
 *
 * It keeps the shape of an array heap, a complete binary tree whose node n
 * has children 2n and 2n+1, but the nodes are linked, not stored in an array:
 * the timers are the nodes, so there is no capacity to run out of. To reach
 * node n, read the bits of n after the leading 1 from the top: 0 goes left,
 * 1 goes right. Sifting swaps a node with its parent by relinking both.
 * tests/unit/test_timer_heap.c checks it against a plain sorted reference.
 */
#include <timer_heap.h>

/* a comes before b: earlier deadline, or the same deadline and inserted first. */
static bool before(const struct timerq_node *a, const struct timerq_node *b)
{
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

/* Points whoever pointed at `old` (its parent, or the root) at `new`. */
static void replace_in_parent(struct timerq *h, struct timerq_node *old,
                              struct timerq_node *new, struct timerq_node *parent)
{
    if (!parent)
        h->root = new;
    else if (parent->left == old)
        parent->left = new;
    else
        parent->right = new;
}

/* The node at position pos (1-based), which must exist. */
static struct timerq_node *node_at(const struct timerq *h, size_t pos)
{
    struct timerq_node *n = h->root;
    int bit = 63 - __builtin_clzll(pos);

    while (--bit >= 0)
        n = (pos >> bit) & 1 ? n->right : n->left;
    return n;
}

/* Exchanges child c with its parent p; c takes p's place in the tree. */
static void swap_with_parent(struct timerq *h, struct timerq_node *c)
{
    struct timerq_node *p = c->parent, *g = p->parent;
    struct timerq_node *cl = c->left, *cr = c->right;

    if (p->left == c) {
        c->left = p;
        c->right = p->right;
        if (c->right)
            c->right->parent = c;
    } else {
        c->right = p;
        c->left = p->left;
        if (c->left)
            c->left->parent = c;
    }
    p->left = cl;
    p->right = cr;
    if (cl)
        cl->parent = p;
    if (cr)
        cr->parent = p;
    replace_in_parent(h, p, c, g);
    c->parent = g;
    p->parent = c;
}

static void sift_up(struct timerq *h, struct timerq_node *n)
{
    while (n->parent && before(n, n->parent))
        swap_with_parent(h, n);
}

static void sift_down(struct timerq *h, struct timerq_node *n)
{
    for (;;) {
        struct timerq_node *m = n->left;

        if (n->right && before(n->right, m))
            m = n->right;
        if (!m || !before(m, n))
            return;
        swap_with_parent(h, m);
    }
}

void timerq_insert(struct timerq *h, struct timerq_node *n, uint64_t key)
{
    n->key = key;
    n->seq = h->next_seq++;
    n->left = n->right = NULL;
    n->queued = true;

    size_t pos = ++h->count;
    if (pos == 1) {
        n->parent = NULL;
        h->root = n;
        return;
    }
    struct timerq_node *p = node_at(h, pos / 2);
    if (pos & 1)
        p->right = n;
    else
        p->left = n;
    n->parent = p;
    sift_up(h, n);
}

bool timerq_remove(struct timerq *h, struct timerq_node *n)
{
    if (!n->queued)
        return false;

    /* Unlink the last node; unless it is n, it then moves into n's place. */
    struct timerq_node *last = node_at(h, h->count);
    replace_in_parent(h, last, NULL, last->parent);
    h->count--;
    n->queued = false;
    if (last == n) {
        n->parent = n->left = n->right = NULL;
        return true;
    }

    last->parent = n->parent;
    last->left = n->left;
    last->right = n->right;
    if (last->left)
        last->left->parent = last;
    if (last->right)
        last->right->parent = last;
    replace_in_parent(h, n, last, n->parent);
    n->parent = n->left = n->right = NULL;

    /* The moved node may belong above or below n's old place, not both. */
    if (last->parent && before(last, last->parent))
        sift_up(h, last);
    else
        sift_down(h, last);
    return true;
}
