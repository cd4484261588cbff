/* SPDX-License-Identifier: MIT */
/*
 * Taking netif rx and tx responses off the shared rings (io/netif.h,
 * io/ring.h), with every field the backend wrote checked before it is used.
 * Pure code: no hypercalls, no locks (the caller holds its own), so the unit
 * test tests/unit/test_netif_rsp.c and the host fuzz target
 * tests/fuzz/fuzz_netif_rsp.c feed it hostile rings under ASan/UBSan.
 */
#ifndef NETIF_RSP_H
#define NETIF_RSP_H

#include <stdbool.h>
#include <stddef.h>   /* offsetof, for io/ring.h's __CONST_RING_SIZE */
#include <stdint.h>
#include <arch/barrier.h>
#include <xen_interface.h>
#include <xen/io/ring.h>
#include <xen/io/netif.h>

#define NETIF_PAGE_SIZE 4096u

/* At most this many slots make one received packet: the smallest limit a
 * backend must honour (io/netif.h XEN_NETIF_NR_SLOTS_MIN). */
#define NETIF_RX_MAX_FRAGS XEN_NETIF_NR_SLOTS_MIN
/* The largest packet we take: an IPv4 datagram of 64 KiB plus the
 * Ethernet header. */
#define NETIF_RX_MAX_BYTES (65535u + 14u)

/* One slot of a received packet: the buffer of rx ring position `id` holds
 * `len` bytes at `offset` (checked: within the page). */
struct netif_rx_frag {
    uint16_t id;
    uint16_t offset;
    uint16_t len;
};

struct netif_rx_stats {
    unsigned long packets;      /* delivered */
    unsigned long bad_prod;     /* producer index claiming more responses than requests */
    unsigned long bad_id;       /* id other than the slot's own ring position */
    unsigned long bad_size;     /* offset + length beyond the page, or a packet too long */
    unsigned long bad_status;   /* the backend reported an error for the packet */
    unsigned long bad_chain;    /* more than NETIF_RX_MAX_FRAGS slots, or empty */
    unsigned long bad_extra;    /* an extra-info slot of no known type */
    unsigned long bad_gso;      /* GSO metadata we cannot honour (size 0, not TCPv4, twice) */
};

/* One received packet: its slots in order, and what the backend said of it
 * (io/netif.h): the first slot's NETRXF_data_validated (the checksums were
 * checked) and NETRXF_csum_blank (the TCP/UDP checksum field is not filled
 * in: the packet came from a local sender that offloaded it), and, from a
 * XEN_NETIF_EXTRA_TYPE_GSO extra-info slot, the segment size of a large
 * TCPv4 packet (feature-gso-tcpv4) or 0. */
struct netif_rx_packet {
    struct netif_rx_frag frags[NETIF_RX_MAX_FRAGS];
    unsigned int nr_frags;
    unsigned int bytes;
    uint16_t flags;             /* NETRXF_data_validated | NETRXF_csum_blank */
    uint16_t gso_size;
};

struct netif_tx_stats {
    unsigned long done;         /* answered OKAY */
    unsigned long errors;       /* answered ERROR or DROPPED */
    unsigned long bad_prod;
    unsigned long bad_id;       /* id of no request in flight */
    unsigned long bad_status;   /* none of OKAY, ERROR, DROPPED */
    unsigned long lost;         /* in flight, but their responses' places went to bad ids */
    bool owed;                  /* a bad id took a place: free the leftovers when empty */
};

/* Called once per good packet; the buffers stay ours until it returns. */
typedef void (*netif_rx_packet_fn)(void *ctx, const struct netif_rx_packet *pkt);

/*
 * Takes every complete packet between ring->rsp_cons and the backend's
 * rsp_prod. Our requests are posted with id = ring position mod ring size
 * and the buffer of that position; a backend that copies (request-rx-copy)
 * answers request i at response position i, so a response whose id is not
 * its own position is refused, as is the whole packet it belongs to.
 * Extra-info slots (NETRXF_extra_info) take ring positions too; a GSO one
 * is checked and kept in the packet, other known types are skipped, an
 * unknown type refuses the packet. A packet whose last slot has not
 * arrived yet is left for the next call.
 *
 * Returns the number of response slots consumed (their buffers may be
 * posted again), or -1 when rsp_prod is impossible: nothing is consumed and
 * the caller must stop using the ring.
 */
int netif_rx_take(netif_rx_front_ring_t *ring, struct netif_rx_stats *stats,
                  netif_rx_packet_fn packet, void *ctx);

/* Called once per answered tx slot `id` with true when it was sent. */
typedef void (*netif_tx_done_fn)(void *ctx, unsigned int id, bool sent);

/*
 * Takes every tx response. busy[RING_SIZE] marks slots in flight; a
 * response answers slot `id` only if it is in flight, and frees it before
 * `done` runs, so a second response for it is refused as a bad id. A bad
 * id still uses up a response's place (io/ring.h: one per request), so
 * some request will never get one: once every request pushed has had its
 * response, the slots still in flight are freed (`done` with false) and
 * counted as lost, rather than held for good.
 * Returns the number taken or -1 for an impossible rsp_prod (nothing taken).
 */
int netif_tx_take(netif_tx_front_ring_t *ring, bool *busy, struct netif_tx_stats *stats,
                  netif_tx_done_fn done, void *ctx);

#endif
