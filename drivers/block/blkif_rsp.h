/* SPDX-License-Identifier: MIT */
/*
 * Taking blkif responses off the shared ring (io/blkif.h, io/ring.h), with
 * every field the backend wrote checked before it is used. Pure code: no
 * hypercalls, no locks (the caller holds its own), so the host fuzz target
 * tests/fuzz/fuzz_blkif_rsp.c feeds it hostile rings under ASan/UBSan.
 */
#ifndef BLKIF_RSP_H
#define BLKIF_RSP_H

#include <stddef.h>   /* offsetof, for io/ring.h's __CONST_RING_SIZE */
#include <stdint.h>
#include <arch/barrier.h>
#include <xen_interface.h>
#include <xen/io/ring.h>
#include <xen/io/blkif.h>

/* slot_op[slot] of a ring slot with no request in flight. */
#define BLKIF_SLOT_FREE 0xff

/* A request's id is its slot in the low 8 bits and a generation count above,
 * so a late or repeated response for a slot since reused is recognised. */
#define BLKIF_ID_SLOT(id) ((id) & 0xff)

/* Responses taken and refused, by reason. */
struct blkif_rsp_stats {
    unsigned long taken;       /* matched a request in flight */
    unsigned long bad_prod;    /* producer index claiming more responses than requests */
    unsigned long bad_id;      /* id of no request in flight (or already answered) */
    unsigned long bad_op;      /* operation other than the request's */
    unsigned long bad_status;  /* status none of BLKIF_RSP_* */
};

/* Called once per answered slot `id` with 0, -XEN_EIO or -XEN_EOPNOTSUPP. */
typedef void (*blkif_complete_fn)(void *ctx, unsigned int id, int err);

/*
 * Takes every response between ring->rsp_cons and the backend's rsp_prod.
 * slot_op[RING_SIZE(ring)] holds the operation of the request in flight in
 * each slot, BLKIF_SLOT_FREE for none, and slot_id[] its full id; a response
 * answers slot BLKIF_ID_SLOT(id) only if that slot is in flight with exactly
 * that id. An answered slot is set free before `complete` runs, so a second
 * response for it is refused as a bad id.
 * A response with a bad operation or status completes its slot with
 * -XEN_EIO (the request is answered, but not as the backend claims).
 *
 * Returns the number of responses taken, or -1 when rsp_prod is impossible
 * (more responses than requests were pushed): the ring cannot be trusted any
 * more, nothing is consumed, and the caller must stop using it.
 */
int blkif_take_responses(blkif_front_ring_t *ring, uint8_t *slot_op, const uint64_t *slot_id,
                         struct blkif_rsp_stats *stats, blkif_complete_fn complete, void *ctx);

#endif
