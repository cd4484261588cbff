/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (libFuzzer) for netfront's response path
 * (drivers/net/netif_rsp.c): the input is a script for a hostile network
 * backend that writes any rx or tx response (or extra-info slot) into any
 * ring slot and sets either producer index to anything, interleaved with
 * the frontend posting rx buffers and tx requests (as netfront does) and
 * taking responses. Built with ASan and UBSan; the checks below abort on a
 * broken invariant:
 *   - a delivered packet has 1..NETIF_RX_MAX_FRAGS slots, each within its
 *     page, each the buffer of a position that was consumed in this call,
 *     and its byte count is their sum, at most NETIF_RX_MAX_BYTES; its
 *     flags are only the checksum ones, its GSO size 0 or a TCPv4 one
 *     the backend wrote (size 0 and other types are refused)
 *   - a tx completion names a slot in flight, once
 *   - an impossible producer index consumes nothing; the consumer never
 *     passes what was posted
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../drivers/net/netif_rsp.h"

#define REQUIRE(cond)                                                       \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "invariant broken: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                        \
        }                                                                   \
    } while (0)

#define PAGE 4096
#define RX_SLOTS __CONST_RING_SIZE(netif_rx, PAGE)
#define TX_SLOTS __CONST_RING_SIZE(netif_tx, PAGE)

struct script {
    const uint8_t *p;
    size_t left;
};

static uint32_t take(struct script *s, unsigned bytes)
{
    uint32_t v = 0;

    while (bytes-- && s->left) {
        v = v << 8 | *s->p++;
        s->left--;
    }
    return v;
}

static RING_IDX rx_from, rx_to;   /* the positions the current take may consume */

static void packet(void *ctx, const struct netif_rx_packet *pkt)
{
    const struct netif_rx_frag *f = pkt->frags;
    unsigned int nr = pkt->nr_frags, bytes = pkt->bytes, sum = 0;

    (void)ctx;
    REQUIRE((pkt->flags & ~(NETRXF_data_validated | NETRXF_csum_blank)) == 0);
    REQUIRE(nr >= 1 && nr <= NETIF_RX_MAX_FRAGS);
    for (unsigned int i = 0; i < nr; i++) {
        REQUIRE(f[i].id < RX_SLOTS);
        REQUIRE((unsigned int)f[i].offset + f[i].len <= NETIF_PAGE_SIZE);
        /* The slot's buffer is one of the positions being consumed. */
        bool found = false;
        for (RING_IDX p = rx_from; p != rx_to && !found; p++)
            found = (p % RX_SLOTS) == f[i].id;
        REQUIRE(found);
        sum += f[i].len;
    }
    REQUIRE(sum == bytes && bytes > 0 && bytes <= NETIF_RX_MAX_BYTES);
}

static bool busy[TX_SLOTS];
static unsigned int done_count[TX_SLOTS];

static void tx_done(void *ctx, unsigned int id, bool sent)
{
    (void)ctx;
    (void)sent;
    REQUIRE(id < TX_SLOTS);
    REQUIRE(!busy[id]);            /* the parser frees it before telling us */
    REQUIRE(done_count[id] == 0);  /* once per request */
    done_count[id]++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static netif_rx_sring_t *rs;
    static netif_tx_sring_t *ts;
    netif_rx_front_ring_t rx;
    netif_tx_front_ring_t tx;
    struct netif_rx_stats rst = { 0 };
    struct netif_tx_stats tst = { 0 };
    struct script s = { data, size };

    if (!rs) {
        rs = aligned_alloc(PAGE, PAGE);
        ts = aligned_alloc(PAGE, PAGE);
    }
    memset(rs, 0, PAGE);
    memset(ts, 0, PAGE);
    SHARED_RING_INIT(rs);
    FRONT_RING_INIT(&rx, rs, PAGE);
    SHARED_RING_INIT(ts);
    FRONT_RING_INIT(&tx, ts, PAGE);
    memset(busy, 0, sizeof(busy));
    /* Both rings start anywhere: indices wrap. Every rx position is posted. */
    RING_IDX start = take(&s, 4);
    rx.rsp_cons = start;
    rx.req_prod_pvt = start + RX_SLOTS;
    rs->req_prod = rs->rsp_prod = start;
    tx.req_prod_pvt = tx.rsp_cons = start;
    ts->req_prod = ts->rsp_prod = start;

    while (s.left) {
        switch (take(&s, 1) % 9) {
        case 0: {   /* backend writes an rx response at any slot */
            netif_rx_response_t *r = RING_GET_RESPONSE(&rx, take(&s, 2));
            r->id = (uint16_t)take(&s, 2);
            r->offset = (uint16_t)take(&s, 2);
            r->flags = (uint16_t)take(&s, 1);
            r->status = (int16_t)take(&s, 2);
            break;
        }
        case 1:     /* backend answers the next rx position plausibly */
        {
            netif_rx_response_t *r = RING_GET_RESPONSE(&rx, rs->rsp_prod);
            r->id = (uint16_t)(rs->rsp_prod % RX_SLOTS);
            r->offset = (uint16_t)(take(&s, 1) * 16);
            r->flags = (uint16_t)(take(&s, 1) & (NETRXF_more_data | NETRXF_extra_info |
                                                 NETRXF_csum_blank | NETRXF_data_validated));
            r->status = (int16_t)(take(&s, 2) % 4200);
            rs->rsp_prod++;
            break;
        }
        case 2:     /* backend sets rx_prod to anything near */
            rs->rsp_prod = rx.rsp_cons + (RING_IDX)(int8_t)take(&s, 1) * 3;
            break;
        case 3: {   /* frontend takes rx */
            RING_IDX cons = rx.rsp_cons;
            rx_from = cons;
            rx_to = rs->rsp_prod;
            int n = netif_rx_take(&rx, &rst, packet, NULL);
            if (n < 0)
                REQUIRE(rx.rsp_cons == cons);
            else
                REQUIRE(rx.rsp_cons - cons == (RING_IDX)n);
            REQUIRE(rx.rsp_cons - cons <= RX_SLOTS);
            /* netfront posts every consumed position again */
            rx.req_prod_pvt = rx.rsp_cons + RX_SLOTS;
            break;
        }
        case 4: {   /* frontend pushes a tx request */
            unsigned int id = take(&s, 1) % TX_SLOTS;
            if (!busy[id] && tx.req_prod_pvt - tx.rsp_cons < TX_SLOTS) {
                busy[id] = true;
                done_count[id] = 0;
                tx.req_prod_pvt++;
            }
            break;
        }
        case 5: {   /* backend writes a tx response */
            netif_tx_response_t *r = RING_GET_RESPONSE(&tx, ts->rsp_prod);
            r->id = (uint16_t)take(&s, 2);
            r->status = (int16_t)(int8_t)take(&s, 1);
            ts->rsp_prod++;
            break;
        }
        case 6:
            ts->rsp_prod = tx.rsp_cons + (RING_IDX)(int8_t)take(&s, 1);
            break;
        case 7: {   /* frontend takes tx */
            RING_IDX cons = tx.rsp_cons;
            int n = netif_tx_take(&tx, busy, &tst, tx_done, NULL);
            if (n < 0)
                REQUIRE(tx.rsp_cons == cons);
            REQUIRE(tx.rsp_cons - cons <= tx.req_prod_pvt - cons);
            break;
        }
        case 8: {   /* backend writes an extra-info slot at the next rx position */
            struct netif_extra_info *x = (void *)RING_GET_RESPONSE(&rx, rs->rsp_prod);
            x->type = (uint8_t)(take(&s, 1) % (XEN_NETIF_EXTRA_TYPE_MAX + 1));
            x->flags = (uint8_t)(take(&s, 1) & XEN_NETIF_EXTRA_FLAG_MORE);
            x->u.gso.size = (uint16_t)take(&s, 2);
            x->u.gso.type = (uint8_t)(take(&s, 1) % 4);
            x->u.gso.features = (uint16_t)take(&s, 2);
            rs->rsp_prod++;
            break;
        }
        }
    }
    return 0;
}
