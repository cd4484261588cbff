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

/* Counts a packet's first fault only: one refused packet, one count. */
static void refuse(unsigned long *counter, bool *bad)
{
    if (!*bad)
        (*counter)++;
    *bad = true;
}

/* A data slot of the packet: response `rsp` at the position whose buffer
 * is `id`. Checked, then added to the packet unless it is already bad. */
static void take_slot(const netif_rx_response_t *rsp, unsigned int id,
                      struct netif_rx_packet *pkt, struct netif_rx_stats *stats, bool *bad)
{
    if (rsp->id != id)
        refuse(&stats->bad_id, bad);
    else if (rsp->status < 0)
        refuse(&stats->bad_status, bad);
    else if ((unsigned int)rsp->offset + (unsigned int)rsp->status > NETIF_PAGE_SIZE ||
             pkt->bytes + (unsigned int)rsp->status > NETIF_RX_MAX_BYTES)
        refuse(&stats->bad_size, bad);
    else if (pkt->nr_frags == NETIF_RX_MAX_FRAGS)
        refuse(&stats->bad_chain, bad);
    else if (!*bad) {
        struct netif_rx_frag *f = &pkt->frags[pkt->nr_frags++];
        f->id = (uint16_t)id;
        f->offset = rsp->offset;
        f->len = (uint16_t)rsp->status;
        pkt->bytes += (unsigned int)rsp->status;
    }
}

/* An extra-info slot of the packet (io/netif.h struct netif_extra_info). */
static void take_extra(const struct netif_extra_info *x, struct netif_rx_packet *pkt,
                       struct netif_rx_stats *stats, bool *bad)
{
    switch (x->type) {
    case XEN_NETIF_EXTRA_TYPE_GSO:
        /* gso.size is the segment size the packet was made of, never 0;
         * gso.type must be one we asked for (feature-gso-tcpv4 only). */
        if (x->u.gso.size == 0 || x->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 || pkt->gso_size)
            refuse(&stats->bad_gso, bad);
        else
            pkt->gso_size = x->u.gso.size;
        break;
    case XEN_NETIF_EXTRA_TYPE_MCAST_ADD:
    case XEN_NETIF_EXTRA_TYPE_MCAST_DEL:
    case XEN_NETIF_EXTRA_TYPE_HASH:
        break;          /* nothing we asked for; skipped, as Linux does */
    default:
        refuse(&stats->bad_extra, bad);
    }
}

/*
 * The per-packet step: takes the packet whose first slot is at `cons`
 * (io/netif.h "Guest receive": the first data slot, its extra-info slots
 * if it has NETRXF_extra_info, one chained by XEN_NETIF_EXTRA_FLAG_MORE to
 * the next, then a data slot for each NETRXF_more_data) into *pkt. Returns
 * the ring positions it spans, with *good false if it is refused; or 0 if
 * its last slot is not before `prod` yet.
 */
static unsigned int take_packet(netif_rx_front_ring_t *ring, RING_IDX cons, RING_IDX prod,
                                struct netif_rx_stats *stats, struct netif_rx_packet *pkt,
                                bool *good)
{
    bool bad = false, more_data = true, more_extras = false;
    RING_IDX pos = cons;

    pkt->nr_frags = pkt->bytes = 0;
    pkt->flags = pkt->gso_size = 0;
    for (; (more_data || more_extras) && pos != prod; pos++) {
        netif_rx_response_t rsp = *(volatile netif_rx_response_t *)RING_GET_RESPONSE(ring, pos);
        if (more_extras) {
            const struct netif_extra_info *x = (const void *)&rsp;
            more_extras = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
            take_extra(x, pkt, stats, &bad);
            continue;
        }
        take_slot(&rsp, pos & (RING_SIZE(ring) - 1), pkt, stats, &bad);
        if (pos == cons) {
            /* Only the first slot says what the packet is. */
            pkt->flags = rsp.flags & (NETRXF_data_validated | NETRXF_csum_blank);
            more_extras = rsp.flags & NETRXF_extra_info;
        }
        more_data = rsp.flags & NETRXF_more_data;
    }
    if (more_data || more_extras) {
        if (pos - cons < RING_SIZE(ring))
            return 0;   /* the rest of this packet is not on the ring yet */
        /* A packet as long as the ring can never end: every buffer we
         * posted is in it. */
        refuse(&stats->bad_chain, &bad);
    }
    if (pkt->bytes == 0)
        refuse(&stats->bad_chain, &bad);
    *good = !bad;
    return pos - cons;
}

/* After a batch up to `prod`: asks the backend for an event when it adds
 * responses, and says whether some came meanwhile. */
static bool ask_for_more(netif_rx_front_ring_t *ring, RING_IDX prod)
{
    int more;

    if (ring->rsp_cons != prod) {
        /* A packet waits for its last slots. Ask to be notified when
         * they come, as RING_FINAL_CHECK_FOR_RESPONSES would for the
         * next response (the backend may push a packet's slots in
         * parts), then look again in case they came meanwhile. */
        ring->sring->rsp_event = prod + 1;
        xen_mb();
        return ring->sring->rsp_prod != prod;
    }
    /* rsp_event is left where it was while a batch is taken, so the
     * backend raises no event for responses we are about to take anyway;
     * only now is it set for the next one (io/ring.h). */
    RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
    return more;
}

int netif_rx_take(netif_rx_front_ring_t *ring, struct netif_rx_stats *stats,
                  netif_rx_packet_fn packet, void *ctx)
{
    struct netif_rx_packet pkt;
    int consumed = 0;

    for (;;) {
        RING_IDX prod;
        if (!READ_PROD(ring, prod, stats))
            return -1;
        unsigned int n;
        bool good;
        while (ring->rsp_cons != prod &&
               (n = take_packet(ring, ring->rsp_cons, prod, stats, &pkt, &good)) > 0) {
            if (good) {
                stats->packets++;
                packet(ctx, &pkt);
            }
            consumed += (int)n;
            ring->rsp_cons += n;
        }
        if (!ask_for_more(ring, prod))
            return consumed;
    }
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
