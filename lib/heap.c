/* SPDX-License-Identifier: MIT */
/*
 * The boundary-tag heap (contract and overview in lib/heap.h).
 *
 * An arena, 64 KiB from the page source:
 *
 *   | struct heap_arena | chunk | chunk | ... | chunk | end marker |
 *                        ^ first chunk: PREV_INUSE set (nothing before it)
 *
 * A chunk: | prev_size | size+flags | payload ...                |
 *            prev_size is valid only when the chunk before is free (it is
 *            that chunk's footer); a free chunk keeps its bin links in its
 *            payload. The end marker is a header of size 0 marked in use, so
 *            merging stops there without a bounds check.
 *
 * A large block: 2^order pages, one chunk marked LARGE whose prev_size is its
 * offset from the block start (non-zero only for big alignments).
 */
#include <heap.h>
#include <stdint.h>
#include <string.h>

struct heap_chunk {
    size_t prev_size;
    size_t size;            /* bytes of the chunk, header included, | flags */
    /* Only while free (in a bin): */
    struct heap_chunk *next, *prev;
};

#define HDR           16UL
#define MIN_CHUNK     32UL  /* header + bin links */
#define INUSE         1UL
#define PREV_INUSE    2UL
#define LARGE         4UL
#define FLAGS         (INUSE | PREV_INUSE | LARGE)
#define ARENA_BYTES   (HEAP_PAGE_SIZE << HEAP_ARENA_ORDER)
#define ARENA_HDR     sizeof(struct heap_arena)
/* The one free chunk of an empty arena. */
#define ARENA_CHUNK   (ARENA_BYTES - ARENA_HDR - HDR)

_Static_assert(sizeof(struct heap_arena) % 16 == 0, "arena header keeps chunks aligned");

static size_t csize(const struct heap_chunk *c)
{
    return c->size & ~FLAGS;
}

static struct heap_chunk *next_chunk(const struct heap_chunk *c)
{
    return (struct heap_chunk *)((char *)c + csize(c));
}

static struct heap_chunk *chunk_of(const void *p)
{
    return (struct heap_chunk *)((char *)p - HDR);
}

static void *payload(struct heap_chunk *c)
{
    return (char *)c + HDR;
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Exact 16-byte classes below 1 KiB, then one bin per power of two. */
static unsigned bin_index(size_t size)
{
    if (size < 1024)
        return (unsigned)(size >> 4);
    unsigned log = 63 - (unsigned)__builtin_clzl(size);
    unsigned i = 64 + (log - 10);
    return i < HEAP_NBINS ? i : HEAP_NBINS - 1;
}

static void bin_insert(struct heap *h, struct heap_chunk *c)
{
    unsigned i = bin_index(csize(c));

    c->prev = NULL;
    c->next = h->bins[i];
    if (c->next)
        c->next->prev = c;
    h->bins[i] = c;
    h->free_bytes += csize(c);
}

static void bin_remove(struct heap *h, struct heap_chunk *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        h->bins[bin_index(csize(c))] = c->next;
    if (c->next)
        c->next->prev = c->prev;
    h->free_bytes -= csize(c);
}

/* Marks c free of `size` bytes: footer for the next chunk, next's flag. */
static void set_free(struct heap_chunk *c, size_t size)
{
    c->size = size | (c->size & PREV_INUSE);
    struct heap_chunk *n = next_chunk(c);
    n->prev_size = size;
    n->size &= ~PREV_INUSE;
}

static void set_inuse(struct heap_chunk *c, size_t size)
{
    c->size = size | (c->size & PREV_INUSE) | INUSE;
    next_chunk(c)->size |= PREV_INUSE;
}

void heap_init(struct heap *h, void *(*get_pages)(unsigned order),
               void (*put_pages)(void *p, unsigned order),
               void (*misuse)(const char *what, const void *p))
{
    memset(h, 0, sizeof(*h));
    h->get_pages = get_pages;
    h->put_pages = put_pages;
    h->misuse = misuse;
}

static void report(struct heap *h, const char *what, const void *p)
{
    if (h->misuse)
        h->misuse(what, p);
}

static bool arena_grow(struct heap *h)
{
    struct heap_arena *a = h->get_pages(HEAP_ARENA_ORDER);

    if (!a)
        return false;
    a->prev = NULL;
    a->next = h->arenas;
    if (a->next)
        a->next->prev = a;
    h->arenas = a;
    h->nr_arenas++;

    struct heap_chunk *c = (struct heap_chunk *)(a + 1);
    struct heap_chunk *end = (struct heap_chunk *)((char *)a + ARENA_BYTES - HDR);
    end->size = INUSE;
    c->size = PREV_INUSE;
    set_free(c, ARENA_CHUNK);
    bin_insert(h, c);
    return true;
}

static void arena_release(struct heap *h, struct heap_arena *a)
{
    if (a->prev)
        a->prev->next = a->next;
    else
        h->arenas = a->next;
    if (a->next)
        a->next->prev = a->prev;
    h->nr_arenas--;
    h->put_pages(a, HEAP_ARENA_ORDER);
}

/* A free chunk of at least `need` bytes, taken out of its bin, or NULL. */
static struct heap_chunk *bin_take(struct heap *h, size_t need)
{
    for (unsigned i = bin_index(need); i < HEAP_NBINS; i++) {
        for (struct heap_chunk *c = h->bins[i]; c; c = c->next) {
            if (csize(c) >= need) {
                bin_remove(h, c);
                return c;
            }
        }
    }
    return NULL;
}

/* Cuts c (in use) down to `need` bytes, returning the tail to the bins. */
static void trim(struct heap *h, struct heap_chunk *c, size_t need)
{
    size_t size = csize(c);

    if (size - need < MIN_CHUNK)
        return;
    set_inuse(c, need);
    struct heap_chunk *rest = next_chunk(c);
    rest->size = PREV_INUSE;
    struct heap_chunk *after = (struct heap_chunk *)((char *)rest + (size - need));
    /* Merge the tail with a free chunk after it, so no two free ones touch. */
    if (!(after->size & INUSE)) {
        bin_remove(h, after);
        set_free(rest, size - need + csize(after));
    } else {
        set_free(rest, size - need);
    }
    bin_insert(h, rest);
}

static void *large_alloc(struct heap *h, size_t size, size_t align)
{
    size_t bytes = size + HDR + (align > 16 ? align : 0);
    unsigned order = 0;

    if (bytes < size)
        return NULL;
    while ((HEAP_PAGE_SIZE << order) < bytes) {
        if (++order > 40)
            return NULL;
    }
    char *block = h->get_pages(order);
    if (!block)
        return NULL;
    size_t block_bytes = HEAP_PAGE_SIZE << order;
    size_t offset = align_up((uintptr_t)block + HDR, align) - HDR - (uintptr_t)block;
    struct heap_chunk *c = (struct heap_chunk *)(block + offset);
    c->prev_size = offset;
    c->size = (block_bytes - offset) | INUSE | LARGE;
    h->nr_large++;
    h->used_bytes += csize(c);
    return payload(c);
}

static void large_free(struct heap *h, struct heap_chunk *c)
{
    size_t block_bytes = c->prev_size + csize(c);
    char *block = (char *)c - c->prev_size;
    unsigned order = 0;

    while ((HEAP_PAGE_SIZE << order) < block_bytes)
        order++;
    h->used_bytes -= csize(c);
    h->nr_large--;
    c->size = 0;
    h->put_pages(block, order);
}

void *heap_alloc(struct heap *h, size_t size, size_t align)
{
    if (align < 16)
        align = 16;
    if (align & (align - 1))
        return NULL;
    if (size > HEAP_LARGE || align > HEAP_PAGE_SIZE)
        return large_alloc(h, size, align);

    size_t need = align_up(size + HDR, 16);
    if (need < MIN_CHUNK)
        need = MIN_CHUNK;
    /* With a big alignment, ask for room to cut a free chunk off the front. */
    size_t ask = align > 16 ? need + 2 * align + MIN_CHUNK : need;

    struct heap_chunk *c = bin_take(h, ask);
    if (!c) {
        if (!arena_grow(h))
            return NULL;
        c = bin_take(h, ask);
        if (!c)
            return NULL;
    }
    set_inuse(c, csize(c));

    uintptr_t p = (uintptr_t)payload(c);
    if (p & (align - 1)) {
        uintptr_t a = align_up(p, align);
        if (a - p < MIN_CHUNK)
            a += align;
        size_t lead = a - p;
        size_t rest = csize(c) - lead;
        /* The chunk before c is in use (free chunks never touch), so the
         * leading piece cannot merge backwards. */
        set_free(c, lead);
        bin_insert(h, c);
        c = next_chunk(c);
        c->size = 0;
        set_inuse(c, rest);
    }
    trim(h, c, need);
    h->used_bytes += csize(c);
    return payload(c);
}

/* Checks that p looks like a chunk we handed out. */
static bool valid_inuse(const void *p)
{
    if ((uintptr_t)p & 15)
        return false;
    const struct heap_chunk *c = chunk_of(p);
    return (c->size & INUSE) && csize(c) >= MIN_CHUNK && !(csize(c) & 15);
}

void heap_free(struct heap *h, void *p)
{
    if (!p)
        return;
    if (!valid_inuse(p)) {
        report(h, "free of a pointer not in use (double free?)", p);
        return;
    }
    struct heap_chunk *c = chunk_of(p);
    if (c->size & LARGE) {
        large_free(h, c);
        return;
    }
    size_t size = csize(c);
    h->used_bytes -= size;

    if (!(c->size & PREV_INUSE)) {
        struct heap_chunk *prev = (struct heap_chunk *)((char *)c - c->prev_size);
        bin_remove(h, prev);
        size += csize(prev);
        c = prev;
    }
    struct heap_chunk *n = (struct heap_chunk *)((char *)c + size);
    if (!(n->size & INUSE)) {
        bin_remove(h, n);
        size += csize(n);
    }
    set_free(c, size);

    /* The whole arena is free again: give its pages back. */
    if (size == ARENA_CHUNK) {
        arena_release(h, (struct heap_arena *)((char *)c - ARENA_HDR));
        return;
    }
    bin_insert(h, c);
}

size_t heap_usable_size(const void *p)
{
    return csize(chunk_of(p)) - HDR;
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
    if (!p)
        return heap_alloc(h, size, 16);
    if (!valid_inuse(p)) {
        report(h, "realloc of a pointer not in use", p);
        return NULL;
    }
    struct heap_chunk *c = chunk_of(p);
    size_t need = align_up(size + HDR, 16);
    if (need < MIN_CHUNK)
        need = MIN_CHUNK;
    if (need < size)
        return NULL;

    if (!(c->size & LARGE) && size <= HEAP_LARGE) {
        size_t old = csize(c);
        struct heap_chunk *n = next_chunk(c);
        /* Grow in place into a free neighbour. */
        if (need > old && !(n->size & INUSE) && old + csize(n) >= need) {
            bin_remove(h, n);
            set_inuse(c, old + csize(n));
        }
        if (csize(c) >= need) {
            h->used_bytes -= old;
            trim(h, c, need);
            h->used_bytes += csize(c);
            return p;
        }
    } else if ((c->size & LARGE) && heap_usable_size(p) >= size && size > HEAP_LARGE / 2) {
        return p;
    }

    void *q = heap_alloc(h, size, 16);
    if (!q)
        return NULL;
    size_t keep = heap_usable_size(p);
    memcpy(q, p, keep < size ? keep : size);
    heap_free(h, p);
    return q;
}

bool heap_check(struct heap *h)
{
    size_t free_bytes = 0;

    for (struct heap_arena *a = h->arenas; a; a = a->next) {
        struct heap_chunk *c = (struct heap_chunk *)(a + 1);
        struct heap_chunk *end = (struct heap_chunk *)((char *)a + ARENA_BYTES - HDR);
        bool prev_free = false;
        if (!(c->size & PREV_INUSE)) {
            report(h, "heap_check: first chunk of an arena has a free predecessor", c);
            return false;
        }
        while (c != end) {
            if (c > end || csize(c) < MIN_CHUNK || (csize(c) & 15)) {
                report(h, "heap_check: chunk with a bad size", c);
                return false;
            }
            bool is_free = !(c->size & INUSE);
            if (is_free && prev_free) {
                report(h, "heap_check: two free chunks touch", c);
                return false;
            }
            if (!!(c->size & PREV_INUSE) == prev_free) {
                report(h, "heap_check: PREV_INUSE disagrees with the chunk before", c);
                return false;
            }
            if (is_free) {
                if (next_chunk(c)->prev_size != csize(c)) {
                    report(h, "heap_check: free chunk without a matching footer", c);
                    return false;
                }
                free_bytes += csize(c);
            }
            prev_free = is_free;
            c = next_chunk(c);
        }
    }
    size_t binned = 0;
    for (unsigned i = 0; i < HEAP_NBINS; i++) {
        for (struct heap_chunk *c = h->bins[i]; c; c = c->next) {
            if ((c->size & INUSE) || bin_index(csize(c)) != i) {
                report(h, "heap_check: bin holds a chunk that does not belong", c);
                return false;
            }
            binned += csize(c);
        }
    }
    if (binned != free_bytes || binned != h->free_bytes) {
        report(h, "heap_check: free byte counts disagree", NULL);
        return false;
    }
    return true;
}
