/* SPDX-License-Identifier: MIT */
/*
 * Host tests of netfront's response path (drivers/net/netif_rsp.c): the
 * named cases, one by one, that tests/fuzz/fuzz_netif_rsp.c also explores
 * at random. rx: a packet of one slot, one of several slots
 * (NETRXF_more_data), extra-info slots skipped, GSO metadata kept or
 * refused, checksum flags passed on, a packet whose last slot has not
 * arrived, bad ids, sizes, statuses and chains, impossible producer
 * indices. tx: completions, errors, bad and repeated ids.
 */
#include <stdlib.h>
#include "check.h"
#include "../../drivers/net/netif_rsp.h"

#define PAGE 4096
#define RX_SLOTS __CONST_RING_SIZE(netif_rx, PAGE)
#define TX_SLOTS __CONST_RING_SIZE(netif_tx, PAGE)

static netif_rx_front_ring_t rx;
static netif_tx_front_ring_t tx;
static struct netif_rx_stats rst;
static struct netif_tx_stats tst;
static unsigned int packets, last_nr, last_bytes, last_flags, last_gso;
static struct netif_rx_frag last[NETIF_RX_MAX_FRAGS];
static int tx_done_count[TX_SLOTS];
static bool tx_busy[TX_SLOTS], tx_sent[TX_SLOTS];

static void packet(void *ctx, const struct netif_rx_packet *pkt)
{
    (void)ctx;
    packets++;
    last_nr = pkt->nr_frags;
    last_bytes = pkt->bytes;
    last_flags = pkt->flags;
    last_gso = pkt->gso_size;
    memcpy(last, pkt->frags, pkt->nr_frags * sizeof(pkt->frags[0]));
}

static void tx_done(void *ctx, unsigned int id, bool sent)
{
    (void)ctx;
    tx_done_count[id]++;
    tx_sent[id] = sent;
}

static void setup(void)
{
    static netif_rx_sring_t *rs;
    static netif_tx_sring_t *ts;

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
    /* The frontend keeps every rx position posted. */
    rx.req_prod_pvt = RX_SLOTS;
    memset(&rst, 0, sizeof(rst));
    memset(&tst, 0, sizeof(tst));
    packets = last_nr = last_bytes = last_flags = last_gso = 0;
    memset(tx_done_count, 0, sizeof(tx_done_count));
    memset(tx_busy, 0, sizeof(tx_busy));
}

/* The backend answers the next rx position. */
static void rx_respond(int id, uint16_t offset, uint16_t flags, int16_t status)
{
    netif_rx_response_t *r = RING_GET_RESPONSE(&rx, rx.sring->rsp_prod);

    r->id = (uint16_t)(id < 0 ? rx.sring->rsp_prod % RX_SLOTS : (unsigned int)id);
    r->offset = offset;
    r->flags = flags;
    r->status = status;
    rx.sring->rsp_prod++;
}

/* An extra-info slot of `type`; a GSO one with segment size gso_size and
 * GSO type gso_type. */
static void rx_extra_of(uint8_t type, uint8_t flags, uint16_t gso_size, uint8_t gso_type)
{
    struct netif_extra_info *x = (void *)RING_GET_RESPONSE(&rx, rx.sring->rsp_prod);

    memset(x, 0, sizeof(*x));
    x->type = type;
    x->flags = flags;
    x->u.gso.size = gso_size;
    x->u.gso.type = gso_type;
    rx.sring->rsp_prod++;
}

static void rx_extra(uint8_t flags)
{
    rx_extra_of(XEN_NETIF_EXTRA_TYPE_GSO, flags, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
}

static int rx_take(void)
{
    return netif_rx_take(&rx, &rst, packet, NULL);
}

static void rx_one_slot(void)
{
    setup();
    rx_respond(-1, 10, 0, 60);
    CHECK(rx_take() == 1, "not consumed");
    CHECK(packets == 1 && last_nr == 1 && last_bytes == 60, "packets %u nr %u bytes %u", packets,
          last_nr, last_bytes);
    CHECK(last[0].id == 0 && last[0].offset == 10 && last[0].len == 60, "frag %u+%u@%u",
          last[0].id, last[0].len, last[0].offset);
    CHECK(rx.rsp_cons == 1 && rx.sring->rsp_event == 2, "cons %u event %u", rx.rsp_cons,
          rx.sring->rsp_event);
}

static void rx_several_slots(void)
{
    setup();
    rx_respond(-1, 0, NETRXF_more_data, 4000);
    rx_respond(-1, 0, NETRXF_more_data, 4096);
    CHECK(rx_take() == 0 && packets == 0 && rx.rsp_cons == 0, "half a packet delivered");
    rx_respond(-1, 0, 0, 904);
    CHECK(rx_take() == 3, "not consumed");
    CHECK(packets == 1 && last_nr == 3 && last_bytes == 9000, "nr %u bytes %u", last_nr, last_bytes);
    CHECK(last[1].id == 1 && last[2].id == 2, "ids %u %u", last[1].id, last[2].id);
}

static void rx_extra_info(void)
{
    setup();
    rx_respond(-1, 0, NETRXF_extra_info | NETRXF_more_data, 1000);
    rx_extra_of(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0);
    rx_extra(0);
    rx_respond(-1, 0, 0, 500);
    CHECK(rx_take() == 4, "not consumed");
    CHECK(packets == 1 && last_nr == 2 && last_bytes == 1500, "nr %u bytes %u", last_nr, last_bytes);
    CHECK(last[1].id == 3, "second slot id %u: the extras were not skipped", last[1].id);
}

/* A large TCP segment (feature-gso-tcpv4): 17 slots of 4096 bytes after
 * its GSO slot; its segment size and checksum flags reach the stack. */
static void rx_gso_large_segment(void)
{
    setup();
    rx_respond(-1, 0, NETRXF_extra_info | NETRXF_more_data | NETRXF_csum_blank |
               NETRXF_data_validated, 4096);
    rx_extra_of(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
    for (unsigned int i = 1; i < 16; i++)
        rx_respond(-1, 0, NETRXF_more_data, 4096);
    rx_respond(-1, 0, 0, 65535 + 14 - 16 * 4096);
    CHECK(rx_take() == 18, "consumed %u", rx.rsp_cons);
    CHECK(packets == 1 && last_nr == 17 && last_bytes == 65535 + 14 && last_gso == 1448 &&
          last_flags == (NETRXF_csum_blank | NETRXF_data_validated),
          "packets %u nr %u bytes %u gso %u flags %#x", packets, last_nr, last_bytes, last_gso,
          last_flags);
    /* Flags on later slots say nothing of the packet. */
    setup();
    rx_respond(-1, 0, NETRXF_more_data, 100);
    rx_respond(-1, 0, NETRXF_data_validated, 100);
    CHECK(rx_take() == 2 && packets == 1 && last_flags == 0 && last_gso == 0, "flags %#x",
          last_flags);
}

/* GSO metadata netback must never send, each refusing its packet (and only
 * it): size 0, a type we did not ask for, two GSO slots, an unknown extra
 * type. Other known extra types are skipped. */
static void rx_gso_bad_metadata(void)
{
    static const struct { uint8_t type; uint16_t size; uint8_t gso_type; } bad[] = {
        { XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4 },
        { XEN_NETIF_EXTRA_TYPE_GSO, 1448, XEN_NETIF_GSO_TYPE_TCPV6 },
        { XEN_NETIF_EXTRA_TYPE_GSO, 1448, 9 },
        { XEN_NETIF_EXTRA_TYPE_NONE, 1448, XEN_NETIF_GSO_TYPE_TCPV4 },
        { XEN_NETIF_EXTRA_TYPE_MAX, 1448, XEN_NETIF_GSO_TYPE_TCPV4 },
    };

    setup();
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rx_respond(-1, 0, NETRXF_extra_info | NETRXF_more_data, 1000);
        rx_extra_of(bad[i].type, 0, bad[i].size, bad[i].gso_type);
        rx_respond(-1, 0, 0, 1000);
    }
    rx_respond(-1, 0, NETRXF_extra_info, 60);        /* two GSO slots */
    rx_extra(XEN_NETIF_EXTRA_FLAG_MORE);
    rx_extra(0);
    rx_respond(-1, 0, NETRXF_extra_info, 60);        /* a hash slot: skipped */
    rx_extra_of(XEN_NETIF_EXTRA_TYPE_HASH, 0, 0, 0);
    RING_IDX slots = rx.sring->rsp_prod;
    CHECK(rx_take() == (int)slots, "consumed %u of %u", rx.rsp_cons, slots);
    CHECK(packets == 1 && last_bytes == 60 && last_gso == 0, "packets %u", packets);
    CHECK(rst.bad_gso == 4 && rst.bad_extra == 2, "bad gso %lu extra %lu", rst.bad_gso,
          rst.bad_extra);
}

static void rx_bad(void)
{
    setup();
    rx_respond(7, 0, 0, 60);                       /* id not its position */
    rx_respond(-1, 4000, 0, 200);                  /* beyond the page */
    rx_respond(-1, 0, 0, NETIF_RSP_ERROR);         /* an error */
    rx_respond(-1, 0, NETRXF_more_data, 100);      /* a chain with a bad slot in it */
    rx_respond(99, 0, 0, 100);
    rx_respond(-1, 0, 0, 0);                       /* empty */
    rx_respond(-1, 0, 0, 60);                      /* and a good one after all that */
    CHECK(rx_take() == 7, "consumed %d", rx.rsp_cons);
    CHECK(packets == 1 && last[0].id == 6, "packets %u id %u", packets, last[0].id);
    CHECK(rst.bad_id == 2 && rst.bad_size == 1 && rst.bad_status == 1 && rst.bad_chain == 1,
          "id %lu size %lu status %lu chain %lu", rst.bad_id, rst.bad_size, rst.bad_status,
          rst.bad_chain);
}

static void rx_chain_too_long(void)
{
    setup();
    for (unsigned int i = 0; i < NETIF_RX_MAX_FRAGS; i++)
        rx_respond(-1, 0, NETRXF_more_data, 10);
    rx_respond(-1, 0, 0, 10);
    CHECK(rx_take() == NETIF_RX_MAX_FRAGS + 1 && packets == 0 && rst.bad_chain == 1,
          "packets %u chain %lu", packets, rst.bad_chain);
    /* A chain as long as the ring never ends; it must not stall the ring. */
    setup();
    for (unsigned int i = 0; i < RX_SLOTS; i++)
        rx_respond(-1, 0, NETRXF_more_data, 10);
    CHECK(rx_take() == (int)RX_SLOTS && rst.bad_chain == 1, "endless chain: cons %u", rx.rsp_cons);
}

static void rx_impossible_producer(void)
{
    setup();
    rx.req_prod_pvt = 2;
    rx_respond(-1, 0, 0, 60);
    rx.sring->rsp_prod = 3;
    CHECK(rx_take() == -1 && rst.bad_prod == 1 && rx.rsp_cons == 0 && packets == 0,
          "accepted: cons %u", rx.rsp_cons);
}

static void tx_push(unsigned int id)
{
    tx_busy[id] = true;
    tx.req_prod_pvt++;
}

static void tx_respond(unsigned int id, int16_t status)
{
    netif_tx_response_t *r = RING_GET_RESPONSE(&tx, tx.sring->rsp_prod);
    r->id = (uint16_t)id;
    r->status = status;
    tx.sring->rsp_prod++;
}

static void tx_responses(void)
{
    setup();
    tx_push(3);
    tx_push(9);
    tx_push(4);
    tx_push(5);
    tx_push(7);   /* stays unanswered: the ring is never empty below */
    tx_respond(3, NETIF_RSP_OKAY);
    tx_respond(9, NETIF_RSP_DROPPED);
    tx_respond(3, NETIF_RSP_OKAY);     /* again */
    tx_respond(300, NETIF_RSP_OKAY);   /* beyond the ring */
    CHECK(netif_tx_take(&tx, tx_busy, &tst, tx_done, NULL) == 2, "taken %lu", tst.done);
    CHECK(tx_done_count[3] == 1 && tx_sent[3] && tx_done_count[9] == 1 && !tx_sent[9],
          "3: %d, 9: %d", tx_done_count[3], tx_done_count[9]);
    CHECK(tst.bad_id == 2 && tst.errors == 1 && !tx_busy[3] && tx_busy[4], "bad id %lu errors %lu",
          tst.bad_id, tst.errors);
    tx_push(6);   /* the refused responses used up two requests' places */
    tx_respond(4, 77);
    CHECK(netif_tx_take(&tx, tx_busy, &tst, tx_done, NULL) == 1 && tst.bad_status == 1,
          "bad status %lu", tst.bad_status);
    CHECK(tst.lost == 0 && tx_busy[5] && tx_busy[6] && tx_busy[7], "lost %lu with requests "
          "still unanswered", tst.lost);
    tx.sring->rsp_prod += 5;
    CHECK(netif_tx_take(&tx, tx_busy, &tst, tx_done, NULL) == -1 && tst.bad_prod == 1,
          "impossible producer accepted");
}

/* A response with a bad id takes the place of some request's, whose id
 * then never comes back: once every request has had its response, the ids
 * still in flight are freed (as not sent) and counted as lost, so a
 * backend that keeps doing it cannot use up the ids and stall senders. */
static void tx_bad_id_frees_slot(void)
{
    setup();
    tx_push(1);
    tx_push(2);
    tx_push(3);
    tx_respond(1, NETIF_RSP_OKAY);
    tx_respond(999, NETIF_RSP_OKAY);   /* in place of 2's */
    CHECK(netif_tx_take(&tx, tx_busy, &tst, tx_done, NULL) == 1 && tst.lost == 0 &&
          tx_busy[2], "freed while 3 is unanswered: lost %lu", tst.lost);
    tx_respond(3, NETIF_RSP_OKAY);
    CHECK(netif_tx_take(&tx, tx_busy, &tst, tx_done, NULL) == 1, "3 not taken");
    CHECK(tst.bad_id == 1 && tst.lost == 1 && !tx_busy[2] && tx_done_count[2] == 1 &&
          !tx_sent[2] && tx_done_count[3] == 1 && tx_sent[3],
          "bad id %lu lost %lu, 2 busy %d done %d", tst.bad_id, tst.lost, tx_busy[2],
          tx_done_count[2]);
    /* Twice round the ring, every response a bad id: each id is free
     * again before it is used next. */
    unsigned int leaked = 0;
    for (unsigned int i = 0; i < 2 * TX_SLOTS; i++) {
        unsigned int id = i % TX_SLOTS;
        if (tx_busy[id]) {
            leaked++;
            continue;
        }
        tx_push(id);
        tx_respond(id + 1000, NETIF_RSP_OKAY);
        netif_tx_take(&tx, tx_busy, &tst, tx_done, NULL);
    }
    CHECK(leaked == 0 && tst.lost == 1 + 2 * TX_SLOTS && tst.bad_id == 1 + 2 * TX_SLOTS,
          "%u ids leaked, lost %lu, bad id %lu", leaked, tst.lost, tst.bad_id);
}

int main(void)
{
    RUN("netif_rsp", rx_one_slot);
    RUN("netif_rsp", rx_several_slots);
    RUN("netif_rsp", rx_extra_info);
    RUN("netif_rsp", rx_gso_large_segment);
    RUN("netif_rsp", rx_gso_bad_metadata);
    RUN("netif_rsp", rx_bad);
    RUN("netif_rsp", rx_chain_too_long);
    RUN("netif_rsp", rx_impossible_producer);
    RUN("netif_rsp", tx_responses);
    RUN("netif_rsp", tx_bad_id_frees_slot);
    return check_tests_failed != 0;
}
