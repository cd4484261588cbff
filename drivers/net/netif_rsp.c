/* SPDX-License-Identifier: MIT */
/*
 * Taking netif responses off the shared rings, checked (netif_rsp.h).
 *
 * The backend owns rsp_prod and the response slots and may write anything
 * there at any time, so rsp_prod is read once and checked against what we
 * pushed (io/ring.h: one response per request), each response is copied
 * out of the shared page once, after the read barrier, and only the copy is
 * looked at.
 */
#include "netif_rsp.h"

/* rsp_prod as the backend claims it, or false if it is impossible. */
#define READ_PROD(ring, prod, stats)                                           \
    ({                                                                         \
        (prod) = READ_ONCE((ring)->sring->rsp_prod);                           \
        xen_rmb(); /* read the responses after the index that publishes them */ \
        bool ok__ = (RING_IDX)((prod) - (ring)->rsp_cons) <=                   \
                    (RING_IDX)((ring)->req_prod_pvt - (ring)->rsp_cons);       \
        if (!ok__)                                                             \
            (stats)->bad_prod++;                                               \
        ok__;                                                                  \
    })

int netif_rx_take(netif_rx_front_ring_t *ring, struct netif_rx_stats *stats,
                  netif_rx_packet_fn packet, void *ctx)
{
    struct netif_rx_frag frags[NETIF_RX_MAX_FRAGS];
    int consumed = 0;
    int more;

    do {
        RING_IDX prod;
        if (!READ_PROD(ring, prod, stats))
            return -1;
        RING_IDX cons = ring->rsp_cons;
        while (cons != prod) {
            /* One packet: its slots, then any extra-info slots. */
            RING_IDX pos = cons;
            unsigned int n = 0, bytes = 0;
            bool bad = false, complete = false, extras = false;
            while (pos != prod) {
                netif_rx_response_t rsp =
                    *(volatile netif_rx_response_t *)RING_GET_RESPONSE(ring, pos);
                unsigned int id = pos & (RING_SIZE(ring) - 1);
                pos++;
                if (extras) {
                    /* This slot is a struct netif_extra_info, not a response. */
                    const struct netif_extra_info *x = (const void *)&rsp;
                    extras = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
                    if (!extras && complete)
                        break;
                    continue;
                }
                if (rsp.id != id) {
                    if (!bad)
                        stats->bad_id++;
                    bad = true;
                } else if (rsp.status < 0) {
                    if (!bad)
                        stats->bad_status++;
                    bad = true;
                } else if ((unsigned int)rsp.offset + (unsigned int)rsp.status > NETIF_PAGE_SIZE ||
                           bytes + (unsigned int)rsp.status > NETIF_RX_MAX_BYTES) {
                    if (!bad)
                        stats->bad_size++;
                    bad = true;
                } else if (n == NETIF_RX_MAX_FRAGS) {
                    if (!bad)
                        stats->bad_chain++;
                    bad = true;
                } else if (!bad) {
                    frags[n].id = (uint16_t)id;
                    frags[n].offset = rsp.offset;
                    frags[n].len = (uint16_t)rsp.status;
                    bytes += (unsigned int)rsp.status;
                    n++;
                }
                /* Only the first slot of a packet may carry extra info. */
                if (pos - 1 == cons && (rsp.flags & NETRXF_extra_info))
                    extras = true;
                if (!(rsp.flags & NETRXF_more_data)) {
                    complete = true;
                    if (!extras)
                        break;
                }
            }
            if ((!complete || extras) && pos - cons < RING_SIZE(ring))
                break;   /* the rest of this packet is not on the ring yet */
            if (!complete || extras) {
                /* A packet as long as the ring can never end: every buffer
                 * we posted is in it. */
                if (!bad)
                    stats->bad_chain++;
                bad = true;
            }
            if (!bad && bytes == 0) {
                stats->bad_chain++;
                bad = true;
            }
            if (!bad) {
                stats->packets++;
                packet(ctx, frags, n, bytes);
            }
            consumed += (int)(pos - cons);
            cons = pos;
        }
        ring->rsp_cons = cons;
        if (cons != prod) {
            /* A packet waits for its last slots. Ask to be notified when
             * they come, as RING_FINAL_CHECK_FOR_RESPONSES would for the
             * next response (the backend may push a packet's slots in
             * parts), then look again in case they came meanwhile. */
            ring->sring->rsp_event = prod + 1;
            xen_mb();
            more = ring->sring->rsp_prod != prod;
            if (!more)
                return consumed;
            continue;
        }
        /* Sets rsp_event so the backend notifies us of the next response,
         * then looks once more in case one came meanwhile (io/ring.h). */
        RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
    } while (more);
    return consumed;
}

int netif_tx_take(netif_tx_front_ring_t *ring, bool *busy, struct netif_tx_stats *stats,
                  netif_tx_done_fn done, void *ctx)
{
    int taken = 0;
    int more;

    do {
        RING_IDX prod;
        if (!READ_PROD(ring, prod, stats))
            return -1;
        RING_IDX cons = ring->rsp_cons;
        for (; cons != prod; cons++) {
            netif_tx_response_t rsp = *(volatile netif_tx_response_t *)RING_GET_RESPONSE(ring, cons);
            unsigned int id = rsp.id;
            if (id >= RING_SIZE(ring) || !busy[id]) {
                stats->bad_id++;
                stats->owed = true;
                continue;
            }
            bool sent = rsp.status == NETIF_RSP_OKAY;
            if (sent)
                stats->done++;
            else if (rsp.status == NETIF_RSP_ERROR || rsp.status == NETIF_RSP_DROPPED)
                stats->errors++;
            else
                stats->bad_status++;
            busy[id] = false;
            taken++;
            done(ctx, id, sent);
        }
        ring->rsp_cons = cons;
        RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
    } while (more);
    if (stats->owed && ring->rsp_cons == ring->req_prod_pvt) {
        /* Every request has had its response place: a slot still in
         * flight lost its place to a bad id and will never be answered. */
        stats->owed = false;
        for (unsigned int id = 0; id < RING_SIZE(ring); id++) {
            if (!busy[id])
                continue;
            busy[id] = false;
            stats->lost++;
            done(ctx, id, false);
        }
    }
    return taken;
}
