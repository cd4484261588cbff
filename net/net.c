/* SPDX-License-Identifier: MIT */
/*
 * net_start (<mote/net.h>): starts lwIP's tcpip thread, brings up every vif
 * as ethN (net/ethif.c on netfront) and gives each its IPv4 address: from
 * mote.ip, else from the `ip` the toolstack wrote in the vif's backend
 * directory, else by DHCP. After a restore in a new domain it announces
 * each address again (a gratuitous ARP, as Linux's netdev_notify_peers).
 */
#include <errno.h>
#include <format.h>
#include <kernel.h>
#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/init.h>
#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <lwip/stats.h>
#include <lwip/tcpip.h>
#include <mote/net.h>
#include <netfront.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <suspend.h>
#include <thread.h>
#include <timer.h>
#include <mote/time.h>
#include <xenbus_frontend.h>
#include "ethif.h"

#define MAX_VIFS 8
/* How long DHCP may take (the client retries after 4 s, RFC 2131 4.1). */
#define DHCP_TIMEOUT_NS (20 * NSEC_PER_SEC)

static struct ethif ifs[MAX_VIFS];
static unsigned int nr_ifs;
static bool started;

/* "192.0.2.2/24" or "192.0.2.2" (prefix `def`): true if it is one. */
static bool parse_addr(const char *s, size_t len, ip4_addr_t *addr, unsigned int *prefix,
                       unsigned int def)
{
    char buf[24];
    unsigned long p = def;

    if (len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash) {
        char *end;
        *slash = '\0';
        if (!slash[1] || slash[1] == '-' || slash[1] == '+')
            return false;
        p = strtoul(slash + 1, &end, 10);
        if (*end || p > 32)
            return false;
    }
    *prefix = (unsigned int)p;
    return ip4addr_aton(buf, addr) == 1;
}

/* Entry `index` of a comma-separated list, as [*start, *start + *len). */
static bool list_entry(const char *list, unsigned int index, const char **start, size_t *len)
{
    for (unsigned int i = 0; list; i++) {
        const char *comma = strchr(list, ',');
        if (i == index) {
            *start = list;
            *len = comma ? (size_t)(comma - list) : strlen(list);
            return *len > 0;
        }
        list = comma ? comma + 1 : NULL;
    }
    return false;
}

static unsigned int prefix_of(const ip4_addr_t *mask)
{
    uint32_t m = lwip_ntohl(ip4_addr_get_u32(mask));
    unsigned int bits = 0;

    for (; m & 0x80000000u; m <<= 1)
        bits++;
    return bits;
}

static bool run_dhcp(struct netif *n)
{
    LOCK_TCPIP_CORE();
    err_t err = dhcp_start(n);
    UNLOCK_TCPIP_CORE();
    if (err != ERR_OK)
        return false;
    uint64_t end = monotonic_ns() + DHCP_TIMEOUT_NS;
    while (!dhcp_supplied_address(n) && monotonic_ns() < end)
        sleep_ns(50 * NSEC_PER_MSEC);
    return dhcp_supplied_address(n);
}

/* Configures interface i; prints its line. */
static void configure(unsigned int i)
{
    struct ethif *e = &ifs[i];
    struct netif *n = &e->netif;
    const char *from = NULL, *spec;
    char xs[64];
    size_t len;
    ip4_addr_t addr, mask, gw;
    unsigned int prefix = 24;
    bool dhcp = false;

    ip4_addr_set_zero(&gw);
    if (list_entry(kernel_params.ip, i, &spec, &len)) {
        from = "mote.ip";
        dhcp = len == 4 && !memcmp(spec, "dhcp", 4);
    } else if (netfront_backend_ip(e->nf, xs, sizeof(xs))) {
        /* libxl writes the vif's `ip` as given (several may be separated
         * by spaces; the first is ours). */
        from = "xenstore ip";
        spec = xs;
        len = strcspn(xs, " ");
    } else {
        dhcp = true;
    }
    if (!dhcp && !parse_addr(spec, len, &addr, &prefix, 24)) {
        printk("net: eth%u: %s \"%.*s\" is not ADDR or ADDR/PREFIX; using DHCP\n", i, from,
               (int)len, spec);
        dhcp = true;
    }
    if (i == 0 && kernel_params.gw && !ip4addr_aton(kernel_params.gw, &gw))
        printk("net: mote.gw \"%s\" is not an address; no gateway\n", kernel_params.gw);

    LOCK_TCPIP_CORE();
    if (!dhcp) {
        ip4_addr_set_u32(&mask, prefix ? lwip_htonl(0xffffffffu << (32 - prefix)) : 0);
        netif_set_addr(n, &addr, &mask, &gw);
    }
    if (i == 0)
        netif_set_default(n);
    netif_set_up(n);
    UNLOCK_TCPIP_CORE();

    const uint8_t *mac = n->hwaddr;
    if (dhcp && !run_dhcp(n)) {
        printk("net: eth%u %02x:%02x:%02x:%02x:%02x:%02x up, no address (DHCP got no answer)\n",
               i, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        return;
    }
    char a[16];
    ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof(a));
    printk("net: eth%u %02x:%02x:%02x:%02x:%02x:%02x up %s/%u\n", i, mac[0], mac[1], mac[2],
           mac[3], mac[4], mac[5], a, prefix_of(netif_ip4_netmask(n)));
}

static void tcpip_ready(void *arg)
{
    semaphore_up(arg);
}

/* In a new domain the vif is a new port on dom0's bridge, which has
 * forgotten where our MAC lives (and a migration's peers may not know our
 * new host): a gratuitous ARP tells them, as Linux's netdev_notify_peers.
 * netfront's resume hook, registered before ours, has reconnected by now. */
static void net_resume(bool new_domain)
{
    if (!new_domain)
        return;
    for (unsigned int i = 0; i < nr_ifs; i++) {
        struct netif *n = &ifs[i].netif;
        LOCK_TCPIP_CORE();
        if (netif_is_up(n) && !ip4_addr_isany_val(*netif_ip4_addr(n)))
            etharp_gratuitous(n);
        UNLOCK_TCPIP_CORE();
    }
}

static struct suspend_hook net_suspend_hook = { .name = "net", .resume = net_resume };

int net_start(void)
{
    unsigned int ids[MAX_VIFS];
    struct semaphore ready = { 0 };

    if (started)
        return -EALREADY;
    started = true;
    tcpip_init(tcpip_ready, &ready);
    semaphore_down(&ready);

    int n = xenbus_frontend_ids("vif", ids, MAX_VIFS);
    for (int k = 0; k < n; k++) {
        if (ethif_add(&ifs[nr_ifs], ids[k]) == 0)
            nr_ifs++;
    }
    for (unsigned int i = 0; i < nr_ifs; i++)
        configure(i);
    suspend_hook_add(&net_suspend_hook);
    return (int)nr_ifs;
}

int net_stats(unsigned int index, struct net_stats *st)
{
    struct netfront_stats ns;

    if (index >= nr_ifs)
        return -ENODEV;
    netfront_stats(ifs[index].nf, &ns);
    st->rx_packets = ns.rx_packets;
    st->rx_bytes = ns.rx_bytes;
    st->tx_packets = ns.tx_packets;
    st->tx_bytes = ns.tx_bytes;
    st->rx_refused = ns.rx_bad;
    /* lwIP counts for all interfaces together (lwip/stats.h). */
    st->rx_dropped = ifs[index].rx_dropped + lwip_stats.link.drop + lwip_stats.etharp.drop +
                     lwip_stats.ip_frag.drop + lwip_stats.ip.drop + lwip_stats.icmp.drop +
                     lwip_stats.udp.drop + lwip_stats.tcp.drop;
    return 0;
}
