/* SPDX-License-Identifier: MIT */
/*
 * Host tests of blkfront's response path (drivers/block/blkif_rsp.c): the
 * named hostile cases, one by one, that tests/fuzz/fuzz_blkif_rsp.c also
 * explores at random: a good response, a bad id, a stale generation, a
 * repeated response, a bad operation, a bad status, and producer indices
 * that claim more responses than requests were pushed.
 */
#include <stdlib.h>
#include "check.h"
#include "../../drivers/block/blkif_rsp.h"

#define PAGE  4096
#define SLOTS __CONST_RING_SIZE(blkif, PAGE)

static blkif_front_ring_t ring;
static uint8_t slot_op[SLOTS];
static uint64_t slot_id[SLOTS];
static struct blkif_rsp_stats st;
static int done_err[SLOTS], done_count[SLOTS];

static void complete(void *ctx, unsigned int id, int err)
{
    (void)ctx;
    done_count[id]++;
    done_err[id] = err;
}

static void setup(void)
{
    static blkif_sring_t *sring;

    if (!sring)
        sring = aligned_alloc(PAGE, PAGE);
    memset(sring, 0, PAGE);
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&ring, sring, PAGE);
    memset(slot_op, BLKIF_SLOT_FREE, sizeof(slot_op));
    memset(&st, 0, sizeof(st));
    memset(done_err, 0, sizeof(done_err));
    memset(done_count, 0, sizeof(done_count));
}

/* A request in slot `slot` with generation `gen`, pushed (req_prod_pvt). */
static uint64_t push(unsigned int slot, uint64_t gen, uint8_t op)
{
    slot_op[slot] = op;
    slot_id[slot] = slot | gen << 8;
    ring.req_prod_pvt++;
    return slot_id[slot];
}

/* The backend writes a response and publishes it. */
static void respond(uint64_t id, uint8_t op, int16_t status)
{
    blkif_response_t *r = RING_GET_RESPONSE(&ring, ring.sring->rsp_prod);

    r->id = id;
    r->operation = op;
    r->status = status;
    ring.sring->rsp_prod++;
}

static int take(void)
{
    return blkif_take_responses(&ring, slot_op, slot_id, &st, complete, NULL);
}

static void good_response(void)
{
    setup();
    uint64_t id = push(3, 7, BLKIF_OP_READ);
    respond(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    CHECK(take() == 1, "not taken");
    CHECK(done_count[3] == 1 && done_err[3] == 0, "count %d err %d", done_count[3], done_err[3]);
    CHECK(slot_op[3] == BLKIF_SLOT_FREE, "slot not freed");
    CHECK(ring.rsp_cons == 1 && st.taken == 1, "cons %u taken %lu", ring.rsp_cons, st.taken);
    CHECK(ring.sring->rsp_event == 2, "rsp_event %u: no notification asked for", ring.sring->rsp_event);
}

static void backend_errors(void)
{
    setup();
    respond(push(0, 1, BLKIF_OP_WRITE), BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
    respond(push(1, 2, BLKIF_OP_FLUSH_DISKCACHE), BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP);
    CHECK(take() == 2, "not taken");
    CHECK(done_err[0] == -XEN_EIO, "ERROR gave %d", done_err[0]);
    CHECK(done_err[1] == -XEN_EOPNOTSUPP, "EOPNOTSUPP gave %d", done_err[1]);
    CHECK(st.bad_status == 0, "legal statuses counted as bad");
}

static void bad_ids(void)
{
    setup();
    uint64_t id = push(5, 9, BLKIF_OP_READ);
    respond(200, BLKIF_OP_READ, BLKIF_RSP_OKAY);            /* slot beyond the ring */
    respond(6 | 9 << 8, BLKIF_OP_READ, BLKIF_RSP_OKAY);     /* a free slot */
    respond(5 | 8 << 8, BLKIF_OP_READ, BLKIF_RSP_OKAY);     /* stale generation */
    respond(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);             /* the real one */
    respond(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);             /* and again */
    ring.req_prod_pvt += 4;   /* so the producer index itself is plausible */
    CHECK(take() == 1, "taken %lu", st.taken);
    CHECK(done_count[5] == 1 && done_count[6] == 0, "slot 5 done %d, slot 6 done %d",
          done_count[5], done_count[6]);
    CHECK(st.bad_id == 4, "bad_id %lu, want 4", st.bad_id);
    CHECK(ring.rsp_cons == 5, "cons %u: refused responses are still consumed", ring.rsp_cons);
}

static void bad_operation_and_status(void)
{
    setup();
    respond(push(0, 1, BLKIF_OP_READ), BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    respond(push(1, 1, BLKIF_OP_READ), BLKIF_OP_READ, 42);
    CHECK(take() == 2, "not taken");
    CHECK(done_err[0] == -XEN_EIO && st.bad_op == 1, "bad op: err %d, counted %lu", done_err[0],
          st.bad_op);
    CHECK(done_err[1] == -XEN_EIO && st.bad_status == 1, "bad status: err %d, counted %lu",
          done_err[1], st.bad_status);
}

static void impossible_producer(void)
{
    setup();
    uint64_t id = push(0, 1, BLKIF_OP_READ);
    respond(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    ring.sring->rsp_prod = 2;           /* two responses to one request */
    CHECK(take() == -1, "accepted");
    CHECK(st.bad_prod == 1 && ring.rsp_cons == 0 && done_count[0] == 0,
          "bad_prod %lu cons %u done %d", st.bad_prod, ring.rsp_cons, done_count[0]);
    ring.sring->rsp_prod = 0xfffffff0;  /* behind the consumer: a huge unsigned distance */
    CHECK(take() == -1 && st.bad_prod == 2, "backwards index accepted");
}

int main(void)
{
    RUN("blkif_rsp", good_response);
    RUN("blkif_rsp", backend_errors);
    RUN("blkif_rsp", bad_ids);
    RUN("blkif_rsp", bad_operation_and_status);
    RUN("blkif_rsp", impossible_producer);
    return check_tests_failed != 0;
}
