/* SPDX-License-Identifier: MIT */
/*
 * The lwIP network interface on a netfront vif (lwIP's
 * src/netif/ethernet.c does Ethernet and ARP above it): frames netfront
 * receives become pbufs handed to lwIP's core in netfront's rx thread
 * (under the core lock), with the TCP/UDP checksum check skipped for what
 * the backend marked checked, and large TCP segments (feature-gso-tcpv4)
 * taken whole; frames lwIP sends are copied into netfront's tx buffers.
 */
#include <lwip/etharp.h>
#include <lwip/ip.h>
#include <lwip/prot/ip4.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/snmp.h>
#include <lwip/stats.h>
#include <lwip/tcpip.h>
#include <netif/ethernet.h>
#include <netfront.h>
#include <printk.h>
#include <string.h>
#include "ethif.h"

struct fill_ctx {
    struct pbuf *p;
};

static void fill(void *ctx, void *buf, unsigned int offset, unsigned int len)
{
    struct fill_ctx *fc = ctx;
    pbuf_copy_partial(fc->p, buf, (u16_t)len, (u16_t)offset);
}

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
    struct ethif *e = netif->state;
    struct fill_ctx fc = { .p = p };

    if (p->tot_len > NETFRONT_MAX_FRAME) {
        LINK_STATS_INC(link.lenerr);
        return ERR_BUF;
    }
    int rc = netfront_send(e->nf, p->tot_len, fill, &fc);
    if (rc < 0) {
        LINK_STATS_INC(link.drop);
        return ERR_IF;
    }
    LINK_STATS_INC(link.xmit);
    return ERR_OK;
}

/*
 * Whether lwIP may skip the TCP/UDP checksum check of a frame: only when
 * the backend marked it (io/netif.h NETRXF_data_validated: checked;
 * NETRXF_csum_blank: sent from dom0 with the checksum left to offload, so
 * the field is not filled in but the data is good, as Linux's netfront
 * takes it: CHECKSUM_PARTIAL), and only for a whole (unfragmented) IPv4
 * TCP or UDP packet, the case those flags are about. The IP header's own
 * checksum and ICMP's are always checked; an IP fragment is always
 * checked, since the mark on the last fragment says nothing of the
 * datagram reassembly makes. lwIP needs a blank checksum filled in nowhere
 * else: it does not forward.
 */
static bool l4_checksum_trusted(int proto, const struct netfront_rx_info *info)
{
    return (info->data_validated || info->csum_blank) &&
           (proto == IP_PROTO_TCP || proto == IP_PROTO_UDP);
}

/* The protocol of the whole (unfragmented) IPv4 packet frame p carries, or
 * -1 if it carries none. */
static int whole_ipv4_proto(const struct pbuf *p)
{
    if (p->len < SIZEOF_ETH_HDR + IP_HLEN)
        return -1;
    const struct eth_hdr *eth = p->payload;
    const struct ip_hdr *ip = (const void *)((const u8_t *)p->payload + SIZEOF_ETH_HDR);
    if (eth->type != PP_HTONS(ETHTYPE_IP) || IPH_V(ip) != 4 ||
        (IPH_OFFSET(ip) & PP_HTONS(IP_OFFMASK | IP_MF)))
        return -1;
    return IPH_PROTO(ip);
}

/* A frame copied out of netfront's slots: a pool pbuf chain for an
 * ordinary frame, one heap pbuf for a large TCP segment (GSO), whose 45
 * pool buffers would cost more to chain and to walk than one copy. */
static struct pbuf *frame_pbuf(const struct netfront_frag *frags, unsigned int nr,
                               unsigned int bytes, bool large)
{
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)bytes, large ? PBUF_RAM : PBUF_POOL);

    if (!p)
        return NULL;
    u16_t off = 0;
    for (unsigned int i = 0; i < nr; i++) {
        pbuf_take_at(p, frags[i].data, (u16_t)frags[i].len, off);
        off = (u16_t)(off + frags[i].len);
    }
    return p;
}

/* Hands one frame to lwIP in this thread, under the core lock (what
 * LWIP_TCPIP_CORE_LOCKING_INPUT's tcpip_input does), rather than through
 * the tcpip thread's mailbox: one thread switch less per frame, and the
 * per-netif checksum switches (LWIP_CHECKSUM_CTRL_PER_NETIF) then hold for
 * exactly this frame. */
static void input(struct ethif *e, struct pbuf *p, bool trusted)
{
    LOCK_TCPIP_CORE();
    if (trusted)
        NETIF_SET_CHECKSUM_CTRL(&e->netif, NETIF_CHECKSUM_ENABLE_ALL &
                                           ~(NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP));
    err_t err = ethernet_input(p, &e->netif);
    if (trusted)
        NETIF_SET_CHECKSUM_CTRL(&e->netif, NETIF_CHECKSUM_ENABLE_ALL);
    UNLOCK_TCPIP_CORE();
    if (err != ERR_OK) {
        e->rx_dropped++;
        pbuf_free(p);
    }
}

/* netfront's rx thread: one frame, copied into a pbuf for the stack. */
static void rx(void *ctx, const struct netfront_frag *frags, unsigned int nr, unsigned int bytes,
               const struct netfront_rx_info *info)
{
    struct ethif *e = ctx;

    /* Frames can arrive before lwIP knows the interface (netif_add runs
     * once netfront is connected). */
    if (!e->added) {
        e->rx_dropped++;
        return;
    }
    /* A frame without a whole Ethernet header is not worth a pbuf; one
     * longer than a pbuf can say (a GSO segment past 64 KiB) cannot have
     * one. */
    if (bytes < SIZEOF_ETH_HDR || bytes > 0xffff) {
        e->rx_dropped++;
        LINK_STATS_INC(link.lenerr);
        return;
    }
    struct pbuf *p = frame_pbuf(frags, nr, bytes, info->gso_size != 0);
    if (!p) {
        e->rx_dropped++;
        LINK_STATS_INC(link.memerr);
        return;
    }
    int proto = whole_ipv4_proto(p);
    bool trusted = l4_checksum_trusted(proto, info);
    /* A large segment is a TCPv4 one (feature-gso-tcpv4), its checksum
     * offloaded with it: anything else is refused, counted. */
    if (info->gso_size && (!trusted || proto != IP_PROTO_TCP)) {
        e->rx_bad_gso++;
        e->rx_dropped++;
        pbuf_free(p);
        return;
    }
    LINK_STATS_INC(link.recv);
    input(e, p, trusted);
}

static err_t ethif_init(struct netif *netif)
{
    struct ethif *e = netif->state;

    netif->name[0] = 'e';
    netif->name[1] = 't';
    netif->output = etharp_output;
    netif->linkoutput = linkoutput;
    netif->mtu = NETFRONT_MTU;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, netfront_mac(e->nf), ETH_HWADDR_LEN);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                   NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

int ethif_add(struct ethif *e, unsigned int vif)
{
    e->nf = netfront_connect(vif, rx, e);
    if (!e->nf)
        return -1;
    LOCK_TCPIP_CORE();
    struct netif *n = netif_add(&e->netif, NULL, NULL, NULL, e, ethif_init, tcpip_input);
    UNLOCK_TCPIP_CORE();
    e->added = n != NULL;
    return n ? 0 : -1;
}
