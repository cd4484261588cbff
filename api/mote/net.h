/* SPDX-License-Identifier: MIT */
/*
 * <mote/net.h>: networking for applications (docs/api.md "Network").
 *
 * An application that uses the network says so in its makefile fragment,
 * apps/NAME/app.mk: `APP_USES := net`. Only such applications link the
 * network stack (lwIP, with netfront under it), and only they see lwIP's
 * headers: after net_start() they use lwIP's BSD socket API
 * (<lwip/sockets.h>: socket, bind, listen, accept, recv, send, sendto,
 * recvfrom, close, select, poll, setsockopt; errors in errno) or its
 * netconn API (<lwip/api.h>) from any thread.
 *
 * Addresses, per vif in the order of its xenstore id (eth0, eth1, ...):
 *   mote.ip=ADDR/PREFIX[,ADDR/PREFIX...]   static, one per vif, or `dhcp`
 *   mote.gw=ADDR                           the default gateway (via eth0)
 * A vif with no mote.ip entry takes the `ip` the toolstack wrote for it
 * (xl's vif = ['ip=ADDR'], /24 unless written ADDR/PREFIX), else DHCP.
 */
#ifndef MOTE_NET_H
#define MOTE_NET_H

#include <stdint.h>

/* Starts the stack, connects every vif of the domain and configures its
 * address, printing one line per vif:
 *     net: eth0 00:16:3e:5e:00:01 up 192.0.2.2/24
 * Returns the number of interfaces up (0: the domain has no vif), or a
 * negative errno. Call it once, before using sockets. */
int net_start(void);

struct net_stats {
    unsigned long rx_packets, rx_bytes;     /* frames received (netfront) */
    unsigned long tx_packets, tx_bytes;     /* frames sent */
    unsigned long rx_refused;   /* backend responses netfront refused (bad id, size, ...) */
    unsigned long rx_dropped;   /* frames and packets the stack dropped: too short,
                                   bad checksum, malformed, no memory, for no one */
};

/* Counters of interface `index` (0 for eth0); -ENODEV if there is none. */
int net_stats(unsigned int index, struct net_stats *st);

#endif
