/* SPDX-License-Identifier: MIT */
/*
 * netfront: the PV network frontend (io/netif.h, drivers/net/netfront.c),
 * one struct netfront per vif (device/vif/<id>). It moves Ethernet frames
 * and knows nothing of IP: the network stack's glue (net/netif.c) sends
 * through netfront_tx_* and receives through the rx callback.
 */
#ifndef NETFRONT_H
#define NETFRONT_H

#include <stdbool.h>
#include <stdint.h>

struct netfront;

/* The largest frame netfront sends: MTU 1500 plus the Ethernet header. */
#define NETFRONT_MTU 1500
#define NETFRONT_MAX_FRAME (NETFRONT_MTU + 14)

/* One slot of a received frame; valid only during the rx callback. */
struct netfront_frag {
    const uint8_t *data;
    unsigned int len;
};

/* What the backend says of a received frame (io/netif.h NETRXF_*). */
struct netfront_rx_info {
    /* NETRXF_data_validated: the backend checked its TCP/UDP checksum. */
    bool data_validated;
    /* NETRXF_csum_blank: its TCP/UDP checksum field is not filled in (a
     * sender in dom0 offloaded it); the data is good. */
    bool csum_blank;
    /* feature-gso-tcpv4: a large TCP segment, made of segments this size;
     * 0 for an ordinary frame. */
    unsigned int gso_size;
};

/* Called in netfront's rx thread for every received frame (its slots in
 * order, `bytes` in all); the data is netfront's until it returns. */
typedef void (*netfront_rx_fn)(void *ctx, const struct netfront_frag *frags,
                               unsigned int nr_frags, unsigned int bytes,
                               const struct netfront_rx_info *info);

struct netfront_stats {
    unsigned long rx_packets, rx_bytes, tx_packets, tx_bytes;
    unsigned long rx_bad;       /* responses refused (bad id/size/status/chain/extra/GSO) */
    unsigned long tx_errors;    /* frames the backend answered ERROR/DROPPED */
    unsigned long tx_bad;       /* tx responses refused */
};

/* Connects vif `id` (device/vif/<id>) and starts receiving into `rx`.
 * NULL (reported) if it cannot. */
struct netfront *netfront_connect(unsigned int id, netfront_rx_fn rx, void *ctx);

/* The MAC the toolstack gave the vif (device/vif/<id>/mac). */
const uint8_t *netfront_mac(const struct netfront *nf);
/* "vif0" */
const char *netfront_name(const struct netfront *nf);
/* The backend directory's `ip` node (xl's vif = ['ip=...']), copied into
 * buf; false if there is none. */
bool netfront_backend_ip(struct netfront *nf, char *buf, unsigned int size);

/*
 * Sends one frame of `len` bytes (at most NETFRONT_MAX_FRAME) gathered by
 * `fill`, which copies it into the tx buffer(s) handed to it: one call per
 * slot, (buf, offset in the frame, bytes). Waits for a free slot if every
 * one is in flight. Returns 0 or a negative Xen errno (-XEN_ENODEV once the
 * device is closed or broken, -XEN_EINVAL for a bad length).
 */
typedef void (*netfront_fill_fn)(void *ctx, void *buf, unsigned int offset, unsigned int len);
int netfront_send(struct netfront *nf, unsigned int len, netfront_fill_fn fill, void *ctx);

void netfront_stats(const struct netfront *nf, struct netfront_stats *st);

/* Disconnects (xenbus Closing/Closed) and stops the rx thread. */
void netfront_close(struct netfront *nf);

#endif
