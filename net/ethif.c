/* SPDX-License-Identifier: MIT */
/*
 * The lwIP network interface on a netfront vif (lwIP's
 * src/netif/ethernet.c does Ethernet and ARP above it): frames netfront
 * receives become pbufs handed to the tcpip thread (tcpip_input), and
 * frames lwIP sends are copied into netfront's tx buffers.
 */
#include <lwip/etharp.h>
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

/* netfront's rx thread: one frame, copied into a pbuf for the stack. */
static void rx(void *ctx, const struct netfront_frag *frags, unsigned int nr, unsigned int bytes,
               const struct netfront_rx_info *info)
{
    struct ethif *e = ctx;

    (void)info;
    /* Frames can arrive before lwIP knows the interface (netif_add runs
     * once netfront is connected). */
    if (!e->added) {
        e->rx_dropped++;
        return;
    }
    /* A frame without a whole Ethernet header is not worth a pbuf. */
    if (bytes < SIZEOF_ETH_HDR || bytes > 0xffff) {
        e->rx_dropped++;
        LINK_STATS_INC(link.lenerr);
        return;
    }
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)bytes, PBUF_POOL);
    if (!p) {
        e->rx_dropped++;
        LINK_STATS_INC(link.memerr);
        return;
    }
    u16_t off = 0;
    for (unsigned int i = 0; i < nr; i++) {
        pbuf_take_at(p, frags[i].data, (u16_t)frags[i].len, off);
        off = (u16_t)(off + frags[i].len);
    }
    LINK_STATS_INC(link.recv);
    if (e->netif.input(p, &e->netif) != ERR_OK) {
        e->rx_dropped++;
        pbuf_free(p);
    }
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
