/* SPDX-License-Identifier: MIT */
/*
 * Taking blkif responses off the shared ring, checked (blkif_rsp.h).
 *
 * The backend owns rsp_prod and the response slots and may write anything
 * there at any time, so: rsp_prod is read once and checked against what we
 * pushed (io/ring.h: a response answers one request, so the backend can be
 * at most req_prod_pvt - rsp_cons responses ahead); each response is copied
 * out of the shared page once, after the read barrier, and only the copy is
 * looked at; its id must be that of a request in flight, its operation
 * must be that request's, its status one of BLKIF_RSP_*.
 */
#include "blkif_rsp.h"

static int status_to_errno(int16_t status, struct blkif_rsp_stats *stats)
{
    switch (status) {
    case BLKIF_RSP_OKAY:       return 0;
    case BLKIF_RSP_ERROR:      return -XEN_EIO;
    case BLKIF_RSP_EOPNOTSUPP: return -XEN_EOPNOTSUPP;
    default:
        stats->bad_status++;
        return -XEN_EIO;
    }
}

int blkif_take_responses(blkif_front_ring_t *ring, uint8_t *slot_op, const uint64_t *slot_id,
                         struct blkif_rsp_stats *stats, blkif_complete_fn complete, void *ctx)
{
    int taken = 0;
    int more;

    do {
        RING_IDX cons = ring->rsp_cons;
        RING_IDX prod = READ_ONCE(ring->sring->rsp_prod);
        xen_rmb();   /* read the responses after the index that publishes them */
        if ((RING_IDX)(prod - cons) > (RING_IDX)(ring->req_prod_pvt - cons)) {
            stats->bad_prod++;
            return -1;
        }
        for (; cons != prod; cons++) {
            blkif_response_t rsp = *(volatile blkif_response_t *)RING_GET_RESPONSE(ring, cons);
            unsigned int id = (unsigned int)BLKIF_ID_SLOT(rsp.id);
            if (id >= RING_SIZE(ring) || slot_op[id] == BLKIF_SLOT_FREE || slot_id[id] != rsp.id) {
                stats->bad_id++;
                continue;
            }
            int err = status_to_errno(rsp.status, stats);
            if (rsp.operation != slot_op[id]) {
                stats->bad_op++;
                err = -XEN_EIO;
            }
            slot_op[id] = BLKIF_SLOT_FREE;
            stats->taken++;
            taken++;
            complete(ctx, id, err);
        }
        ring->rsp_cons = cons;
        /* Sets rsp_event so the backend notifies us of the next response,
         * then looks once more in case one came meanwhile (io/ring.h). */
        RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
    } while (more);
    return taken;
}
