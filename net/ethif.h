/* SPDX-License-Identifier: MIT */
/*
 * The lwIP network interface on a netfront vif (net/ethif.c).
 */
#ifndef NET_ETHIF_H
#define NET_ETHIF_H

#include <stdbool.h>
#include <lwip/netif.h>

struct netfront;

struct ethif {
    struct netif netif;
    struct netfront *nf;
    volatile bool added;        /* lwIP knows it: frames may go up */
    unsigned long rx_dropped;   /* frames too short, or no memory for them */
    unsigned long rx_bad_gso;   /* large segments that were not TCPv4 with its checksum offloaded */
};

/* Connects vif `vif` and adds it to lwIP (no address yet); 0 or -1. */
int ethif_add(struct ethif *e, unsigned int vif);

#endif
