/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (libFuzzer) for blkfront's response path
 * (drivers/block/blkif_rsp.c): the input is a script for a hostile block
 * backend that writes any response (id, operation, status) into any ring
 * slot and sets rsp_prod to anything, interleaved with the frontend pushing
 * requests (as blkfront does: a free slot, an id with a generation count)
 * and taking responses. Built with ASan and UBSan; the checks below abort
 * on a broken invariant:
 *   - a completion names a slot with a request in flight, once, answered
 *     by a response with that request's exact id, and its error is 0, -EIO or -EOPNOTSUPP (EOPNOTSUPP only if the backend said so)
 *   - an impossible producer index is refused: nothing is consumed, and it
 *     is counted
 *   - the consumer never passes what we pushed; the counters add up
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../drivers/block/blkif_rsp.h"

#define REQUIRE(cond)                                                       \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "invariant broken: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                        \
        }                                                                   \
    } while (0)

#define PAGE 4096
#define SLOTS __CONST_RING_SIZE(blkif, PAGE)

struct script {
    const uint8_t *p;
    size_t left;
};

static uint64_t take(struct script *s, unsigned bytes)
{
    uint64_t v = 0;

    while (bytes-- && s->left) {
        v = v << 8 | *s->p++;
        s->left--;
    }
    return v;
}

struct model {
    bool in_flight[SLOTS];
    unsigned long completions;
    unsigned int completed_this_round[SLOTS];
    /* The round being taken: the responses the backend published. */
    const blkif_front_ring_t *ring;
    const uint64_t *slot_id;
    RING_IDX from, to;
};

/* Some published response carries exactly this slot's id (generation too). */
static bool answered(const struct model *m, unsigned int id)
{
    for (RING_IDX i = m->from; i != m->to; i++)
        if (RING_GET_RESPONSE(m->ring, i)->id == m->slot_id[id])
            return true;
    return false;
}

static void complete(void *ctx, unsigned int id, int err)
{
    struct model *m = ctx;

    REQUIRE(id < SLOTS);
    REQUIRE(m->in_flight[id]);
    REQUIRE(answered(m, id));
    REQUIRE(err == 0 || err == -XEN_EIO || err == -XEN_EOPNOTSUPP);
    m->in_flight[id] = false;
    m->completed_this_round[id]++;
    m->completions++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script s = { data, size };
    void *page = aligned_alloc(PAGE, PAGE);
    blkif_sring_t *sring = page;
    blkif_front_ring_t ring;
    uint8_t slot_op[SLOTS];
    uint64_t slot_id[SLOTS] = { 0 }, gen = 0;
    struct blkif_rsp_stats st = { 0 };
    struct model m = { 0 };
    bool broken = false;

    memset(page, 0, PAGE);
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&ring, sring, PAGE);
    REQUIRE(RING_SIZE(&ring) == SLOTS);
    memset(slot_op, BLKIF_SLOT_FREE, sizeof(slot_op));

    while (s.left && !broken) {
        switch (take(&s, 1) % 6) {
        case 0: {   /* the frontend pushes a request into a free slot */
            unsigned int id = (unsigned int)take(&s, 1) % SLOTS;
            if (m.in_flight[id] || RING_FULL(&ring))
                break;
            uint8_t op = (uint8_t)(take(&s, 1) % 4);
            slot_op[id] = op;
            slot_id[id] = id | (gen++ << 8);
            m.in_flight[id] = true;
            blkif_request_t *r = RING_GET_REQUEST(&ring, ring.req_prod_pvt);
            r->operation = op;
            r->id = slot_id[id];
            ring.req_prod_pvt++;
            break;
        }
        case 1: {   /* the backend answers a slot it was asked about, correctly or not */
            unsigned int id = (unsigned int)take(&s, 1) % SLOTS;
            RING_IDX at = sring->rsp_prod;
            blkif_response_t *rsp = &sring->ring[at % SLOTS].rsp;
            rsp->id = take(&s, 1) & 1 ? slot_id[id] : slot_id[id] + 256;  /* stale generation */
            rsp->operation = take(&s, 1) & 1 ? slot_op[id] : (uint8_t)take(&s, 1);
            rsp->status = (int16_t)(take(&s, 1) % 4 == 0 ? (int16_t)take(&s, 2) : -(int16_t)(take(&s, 1) % 3));
            sring->rsp_prod = at + 1;
            break;
        }
        case 2: {   /* the backend writes anything into any response slot */
            blkif_response_t *rsp = &sring->ring[take(&s, 1) % SLOTS].rsp;
            rsp->id = take(&s, 8);
            rsp->operation = (uint8_t)take(&s, 1);
            rsp->status = (int16_t)take(&s, 2);
            break;
        }
        case 3:     /* the backend sets rsp_prod to anything */
            sring->rsp_prod = (RING_IDX)take(&s, 4);
            break;
        case 4:     /* the backend moves rsp_prod a little */
            sring->rsp_prod = ring.rsp_cons + (RING_IDX)(take(&s, 1) % 40);
            break;
        default: {  /* the frontend takes responses */
            RING_IDX cons_before = ring.rsp_cons;
            unsigned long bad_prod = st.bad_prod, taken = st.taken, done = m.completions;
            memset(m.completed_this_round, 0, sizeof(m.completed_this_round));
            m.ring = &ring;
            m.slot_id = slot_id;
            m.from = cons_before;
            m.to = sring->rsp_prod;
            int n = blkif_take_responses(&ring, slot_op, slot_id, &st, complete, &m);
            if (n < 0) {
                REQUIRE(ring.rsp_cons == cons_before);
                REQUIRE(st.bad_prod == bad_prod + 1);
                broken = true;      /* blkfront stops using the ring */
                break;
            }
            REQUIRE((unsigned long)n == st.taken - taken);
            REQUIRE((unsigned long)n == m.completions - done);
            REQUIRE((RING_IDX)(ring.rsp_cons - cons_before) <=
                    (RING_IDX)(ring.req_prod_pvt - cons_before));
            for (unsigned int i = 0; i < SLOTS; i++) {
                REQUIRE(m.completed_this_round[i] <= 1);
                REQUIRE((slot_op[i] == BLKIF_SLOT_FREE) == !m.in_flight[i]);
            }
            break;
        }
        }
    }
    REQUIRE(st.taken == m.completions);
    free(page);
    return 0;
}
