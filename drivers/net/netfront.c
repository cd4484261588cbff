/* SPDX-License-Identifier: MIT */
/*
 * netfront: the PV network frontend (io/netif.h), one struct netfront per
 * vif (include/netfront.h).
 *
 * Connection (io/netif.h "Frontend XenBus Nodes", io/xenbus.h states), as
 * a table of steps run by the frontend framework: when the backend waits for
 * us (InitWait), grant the tx and rx ring pages, fill the rx ring with
 * granted buffers, allocate an event channel, and publish in one
 * transaction tx-ring-ref, rx-ring-ref, event-channel, request-rx-copy = 1
 * (Linux's netback refuses a frontend without it), feature-rx-notify = 1
 * (we want an event per rx batch), feature-no-csum-offload = 0 and
 * feature-gso-tcpv4 = 1 (packets come with their checksum checked or left
 * blank, and as large TCP segments of several slots: netif_rsp.h checks
 * their metadata); then say Connected, and wait for the backend to be
 * Connected too.
 *
 * Buffers: each ring position owns one page, granted to the backend for the
 * whole connection (rx writable, tx read-only). rx request i always names
 * buffer i mod ring size, and the copying backend answers it at response
 * position i (netif_rsp.h checks that), so a consumed position is posted
 * again with the same buffer. tx slots come from a free list; a frame is
 * copied into as many slots as it needs (NETTXF_more_data).
 *
 * Responses: tx ones are taken in the event handler (under the lock),
 * which frees slots and wakes senders; rx ones in the vif's rx thread,
 * which the handler wakes, so the network stack runs in thread context.
 * Everything from the backend is checked by drivers/net/netif_rsp.c.
 *
 * Suspend (include/suspend.h): senders wait and the rx thread stops; a
 * cancelled suspend carries on, a new domain reconnects (reconnect()).
 */
#include <events.h>
#include <format.h>
#include <grant_table.h>
#include <kernel.h>
#include <mm.h>
#include <netfront.h>
#include <page_alloc.h>
#include <printk.h>
#include <spinlock.h>
#include <stdlib.h>
#include <string.h>
#include <suspend.h>
#include <thread.h>
#include <xenbus_frontend.h>
#include "netif_rsp.h"

#define TX_SIZE __CONST_RING_SIZE(netif_tx, PAGE_SIZE)
#define RX_SIZE __CONST_RING_SIZE(netif_rx, PAGE_SIZE)

/* Bytes of a frame per tx slot. A test build may make it smaller
 * (KCFLAGS=-DNETFRONT_TX_CHUNK=512) so every frame spans several slots. */
#ifndef NETFRONT_TX_CHUNK
#define NETFRONT_TX_CHUNK PAGE_SIZE
#endif

struct netfront {
    struct xenbus_device xb;            /* first: the framework's hooks get it */
    unsigned int id;
    char name[16];
    uint8_t mac[6];
    spinlock_t lock;

    netif_tx_front_ring_t tx;
    netif_rx_front_ring_t rx;
    void *tx_sring, *rx_sring;
    int tx_ring_ref, rx_ring_ref;
    int port;

    void *tx_page[TX_SIZE];
    int tx_gref[TX_SIZE];
    bool tx_busy[TX_SIZE];
    int tx_next_free[TX_SIZE];
    int tx_free_head;
    unsigned int tx_nr_free;
    struct waitqueue tx_wait;
    /* Senders between taking their slots and pushing them: they write the
     * tx pages and ring, so netfront_close waits for them before freeing. */
    unsigned int tx_in_flight;
    struct netif_tx_stats tx_stats;

    void *rx_page[RX_SIZE];
    int rx_gref[RX_SIZE];
    struct netif_rx_stats rx_stats;
    struct waitqueue rx_wait;
    bool rx_kick;
    struct thread *rx_thread;

    netfront_rx_fn rx_fn;
    void *rx_ctx;
    unsigned long rx_packets, rx_bytes, tx_packets, tx_bytes;
    unsigned long reported_bad;

    bool connected;
    bool broken;
    bool stopping;

    /* Suspend (include/suspend.h): while set, senders wait before taking
     * slots and the rx thread takes no batch; suspend waits on quiet_wait
     * until neither is at work on the rings (tx_in_flight, rx_busy). */
    bool suspended;
    bool rx_busy;
    struct waitqueue quiet_wait;
    struct netfront *next_vif;          /* on the list suspend walks */
};

/* ---- Events and rx (thread). ---- */

static void tx_done(void *ctx, unsigned int id, bool sent)
{
    struct netfront *nf = ctx;

    (void)sent;
    nf->tx_next_free[id] = nf->tx_free_head;
    nf->tx_free_head = (int)id;
    nf->tx_nr_free++;
}

static void broken(struct netfront *nf, const char *ring)
{
    nf->broken = true;
    printk("netfront: %s: %s response producer index is impossible; device disabled\n",
           nf->name, ring);
}

static void netfront_event(evtchn_port_t port, void *ctx)
{
    struct netfront *nf = ctx;

    (void)port;
    unsigned long flags = spin_lock_irqsave(&nf->lock);
    if (!nf->broken && nf->tx_sring) {
        if (netif_tx_take(&nf->tx, nf->tx_busy, &nf->tx_stats, tx_done, nf) < 0)
            broken(nf, "tx");
    }
    nf->rx_kick = true;
    spin_unlock_irqrestore(&nf->lock, flags);
    waitqueue_wake_all(&nf->tx_wait);
    waitqueue_wake_one(&nf->rx_wait);
}


static void rx_packet(void *ctx, const struct netif_rx_packet *pkt)
{
    struct netfront *nf = ctx;
    struct netfront_frag f[NETIF_RX_MAX_FRAGS];
    struct netfront_rx_info info = {
        .data_validated = pkt->flags & NETRXF_data_validated,
        .csum_blank = pkt->flags & NETRXF_csum_blank,
        .gso_size = pkt->gso_size,
    };

    for (unsigned int i = 0; i < pkt->nr_frags; i++) {
        const struct netif_rx_frag *r = &pkt->frags[i];
        f[i].data = (const uint8_t *)nf->rx_page[r->id] + r->offset;
        f[i].len = r->len;
    }
    nf->rx_packets++;
    nf->rx_bytes += pkt->bytes;
    nf->rx_fn(nf->rx_ctx, f, pkt->nr_frags, pkt->bytes, &info);
}

/* Posts every free rx position with its buffer (ring positions whose
 * responses were consumed), and tells the backend if it wants to know. */
static void rx_refill(struct netfront *nf)
{
    int notify;

    while (nf->rx.req_prod_pvt - nf->rx.rsp_cons < RX_SIZE) {
        RING_IDX pos = nf->rx.req_prod_pvt;
        netif_rx_request_t *req = RING_GET_REQUEST(&nf->rx, pos);
        req->id = (uint16_t)(pos & (RX_SIZE - 1));
        req->gref = (grant_ref_t)nf->rx_gref[pos & (RX_SIZE - 1)];
        nf->rx.req_prod_pvt++;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->rx, notify);
    if (notify && nf->port > 0)
        evtchn_send((evtchn_port_t)nf->port);
}

static void report_bad(struct netfront *nf)
{
    const struct netif_rx_stats *r = &nf->rx_stats;
    const struct netif_tx_stats *t = &nf->tx_stats;
    unsigned long bad = r->bad_id + r->bad_size + r->bad_status + r->bad_chain + r->bad_extra +
                        r->bad_gso + t->bad_id + t->bad_status + t->lost;

    if (bad == nf->reported_bad)
        return;
    nf->reported_bad = bad;
    printk("netfront: %s: refused backend responses: rx %lu bad id, %lu bad size, "
           "%lu error status, %lu bad chain, %lu bad extra info, %lu bad GSO; tx %lu bad id, "
           "%lu bad status, %lu slots never answered\n", nf->name, r->bad_id, r->bad_size,
           r->bad_status, r->bad_chain, r->bad_extra, r->bad_gso, t->bad_id, t->bad_status,
           t->lost);
}

/* One rx batch: every complete packet to the stack, then the ring refilled. */
static void rx_batch(struct netfront *nf)
{
    if (nf->broken || !nf->rx_sring)
        return;
    if (netif_rx_take(&nf->rx, &nf->rx_stats, rx_packet, nf) < 0) {
        unsigned long flags = spin_lock_irqsave(&nf->lock);
        broken(nf, "rx");
        spin_unlock_irqrestore(&nf->lock, flags);
        return;
    }
    rx_refill(nf);
    report_bad(nf);
}

/* The rx thread: takes packets and hands them to the stack, in thread
 * context, and keeps the ring full. It takes no batch while the domain is
 * suspending, and says so on quiet_wait when it stops. */
static int rx_thread(void *arg)
{
    struct netfront *nf = arg;

    for (;;) {
        wait_event(&nf->rx_wait, (nf->rx_kick && !nf->suspended) || nf->stopping);
        unsigned long flags = spin_lock_irqsave(&nf->lock);
        bool stop = nf->stopping, go = !stop && !nf->suspended;
        if (go) {
            nf->rx_kick = false;
            nf->rx_busy = true;
        }
        spin_unlock_irqrestore(&nf->lock, flags);
        if (stop)
            break;
        if (!go)
            continue;
        rx_batch(nf);
        flags = spin_lock_irqsave(&nf->lock);
        nf->rx_busy = false;
        bool quiet = nf->suspended;
        spin_unlock_irqrestore(&nf->lock, flags);
        if (quiet)
            waitqueue_wake_all(&nf->quiet_wait);
    }
    return 0;
}

/* ---- tx (threads). ---- */

int netfront_send(struct netfront *nf, unsigned int len, netfront_fill_fn fill, void *ctx)
{
    unsigned int slots = (len + NETFRONT_TX_CHUNK - 1) / NETFRONT_TX_CHUNK;
    int ids[NETFRONT_MAX_FRAME / 256 + 2];
    int notify;

    if (len == 0 || len > NETFRONT_MAX_FRAME || slots > ARRAY_SIZE(ids))
        return -XEN_EINVAL;
    /* Take all the slots at once, so two senders cannot each hold half.
     * While the domain is suspending, wait: the frame goes out on the
     * ring of whichever backend we are connected to afterwards. */
    unsigned long flags = spin_lock_irqsave(&nf->lock);
    for (;;) {
        if (nf->broken || !nf->connected) {
            spin_unlock_irqrestore(&nf->lock, flags);
            return -XEN_ENODEV;
        }
        if (!nf->suspended && nf->tx_nr_free >= slots)
            break;
        spin_unlock_irqrestore(&nf->lock, flags);
        wait_event(&nf->tx_wait, (!nf->suspended && nf->tx_nr_free >= slots) || nf->broken ||
                                 !nf->connected);
        flags = spin_lock_irqsave(&nf->lock);
    }
    for (unsigned int i = 0; i < slots; i++) {
        ids[i] = nf->tx_free_head;
        nf->tx_free_head = nf->tx_next_free[ids[i]];
        nf->tx_nr_free--;
    }
    nf->tx_in_flight++;
    spin_unlock_irqrestore(&nf->lock, flags);

    for (unsigned int i = 0, off = 0; i < slots; i++, off += NETFRONT_TX_CHUNK) {
        unsigned int n = len - off < NETFRONT_TX_CHUNK ? len - off : NETFRONT_TX_CHUNK;
        fill(ctx, nf->tx_page[ids[i]], off, n);
    }

    flags = spin_lock_irqsave(&nf->lock);
    nf->tx_in_flight--;
    /* A suspend waits for the last sender past taking its slots. */
    bool quiet = nf->suspended && nf->tx_in_flight == 0;
    if (nf->broken || !nf->connected) {
        /* Closed meanwhile: the ring is going away; nothing is pushed. */
        spin_unlock_irqrestore(&nf->lock, flags);
        waitqueue_wake_all(&nf->tx_wait);
        if (quiet)
            waitqueue_wake_all(&nf->quiet_wait);
        return -XEN_ENODEV;
    }
    for (unsigned int i = 0, off = 0; i < slots; i++, off += NETFRONT_TX_CHUNK) {
        unsigned int n = len - off < NETFRONT_TX_CHUNK ? len - off : NETFRONT_TX_CHUNK;
        netif_tx_request_t *req = RING_GET_REQUEST(&nf->tx, nf->tx.req_prod_pvt);
        /* io/netif.h: the first slot's size is the whole packet's, every
         * other slot's its own; all but the last carry NETTXF_more_data. */
        req->gref = (grant_ref_t)nf->tx_gref[ids[i]];
        req->offset = 0;
        req->flags = i + 1 < slots ? NETTXF_more_data : 0;
        req->id = (uint16_t)ids[i];
        req->size = (uint16_t)(i == 0 ? len : n);
        nf->tx_busy[ids[i]] = true;
        nf->tx.req_prod_pvt++;
    }
    nf->tx_packets++;
    nf->tx_bytes += len;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->tx, notify);
    spin_unlock_irqrestore(&nf->lock, flags);
    if (notify)
        evtchn_send((evtchn_port_t)nf->port);
    if (quiet)
        waitqueue_wake_all(&nf->quiet_wait);
    return 0;
}

/* ---- Connecting. ---- */

static int write_ring_nodes(xenbus_transaction_t t, void *ctx)
{
    struct netfront *nf = ctx;
    struct { const char *key; int value; } nodes[] = {
        { "tx-ring-ref", nf->tx_ring_ref },
        { "rx-ring-ref", nf->rx_ring_ref },
        { "event-channel", nf->port },
        { "request-rx-copy", 1 },
        { "feature-rx-notify", 1 },
        /* The backend may hand us packets whose TCP/UDP checksum it checked
         * (NETRXF_data_validated) or left blank (NETRXF_csum_blank), and
         * large TCPv4 segments (a XEN_NETIF_EXTRA_TYPE_GSO slot); the
         * stack's glue says what it does with each (net/ethif.c). */
        { "feature-no-csum-offload", 0 },
        { "feature-gso-tcpv4", 1 },
        /* We take packets of several slots (NETRXF_more_data). */
        { "feature-sg", 1 },
    };
    char path[96], value[16];

    for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
        snprintf(path, sizeof(path), "%s/%s", nf->xb.nodename, nodes[i].key);
        snprintf(value, sizeof(value), "%d", nodes[i].value);
        int rc = xenbus_write(t, path, value);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Grants every tx and rx buffer page (allocated on the first connection,
 * the same pages again in a new domain) and makes every tx slot free. */
static int grant_pages(struct netfront *nf, domid_t backend)
{
    nf->tx_free_head = -1;
    nf->tx_nr_free = 0;
    for (int id = TX_SIZE - 1; id >= 0; id--) {
        nf->tx_busy[id] = false;
        if (!nf->tx_page[id] && !(nf->tx_page[id] = alloc_page()))
            return -XEN_ENOMEM;
        nf->tx_gref[id] = gnttab_grant_access(backend, virt_to_mfn(nf->tx_page[id]), true);
        if (nf->tx_gref[id] < 0)
            return nf->tx_gref[id];
        nf->tx_next_free[id] = nf->tx_free_head;
        nf->tx_free_head = id;
        nf->tx_nr_free++;
    }
    for (unsigned int id = 0; id < RX_SIZE; id++) {
        if (!nf->rx_page[id] && !(nf->rx_page[id] = alloc_page()))
            return -XEN_ENOMEM;
        nf->rx_gref[id] = gnttab_grant_access(backend, virt_to_mfn(nf->rx_page[id]), false);
        if (nf->rx_gref[id] < 0)
            return nf->rx_gref[id];
    }
    return 0;
}

/* Step 1, backend InitWait: rings, buffers, event channel, nodes. */
static int publish_rings(struct xenbus_device *xb, void *ctx)
{
    struct netfront *nf = ctx;
    domid_t backend = xb->otherend_id;
    int rc;

    /* In a new domain the pages are the ones of the first connection. */
    if (!nf->tx_sring)
        nf->tx_sring = alloc_page();
    if (!nf->rx_sring)
        nf->rx_sring = alloc_page();
    if (!nf->tx_sring || !nf->rx_sring) {
        rc = -XEN_ENOMEM;
        goto fail;
    }
    SHARED_RING_INIT((netif_tx_sring_t *)nf->tx_sring);
    FRONT_RING_INIT(&nf->tx, (netif_tx_sring_t *)nf->tx_sring, PAGE_SIZE);
    /* A fresh ring owes no responses (grant_pages frees every id). */
    nf->tx_stats.owed = false;
    SHARED_RING_INIT((netif_rx_sring_t *)nf->rx_sring);
    FRONT_RING_INIT(&nf->rx, (netif_rx_sring_t *)nf->rx_sring, PAGE_SIZE);
    nf->tx_ring_ref = gnttab_grant_access(backend, virt_to_mfn(nf->tx_sring), false);
    if ((rc = nf->tx_ring_ref) < 0)
        goto fail;
    nf->rx_ring_ref = gnttab_grant_access(backend, virt_to_mfn(nf->rx_sring), false);
    if ((rc = nf->rx_ring_ref) < 0)
        goto fail;
    if ((rc = grant_pages(nf, backend)) < 0)
        goto fail;
    rx_refill(nf);   /* port is not bound yet: no notify; the backend reads them on connect */
    nf->port = evtchn_alloc_unbound(backend, netfront_event, nf);
    if ((rc = nf->port) < 0)
        goto fail;
    if ((rc = xenbus_transaction(write_ring_nodes, nf)) < 0)
        goto fail;
    return 0;
fail:
    printk("netfront: %s: cannot set up the rings: %s\n", nf->name, xen_errno_name(rc));
    return rc;
}

/* Step 2, backend Connected. */
static int backend_connected(struct xenbus_device *xb, void *ctx)
{
    struct netfront *nf = ctx;

    (void)xb;
    unsigned long flags = spin_lock_irqsave(&nf->lock);
    nf->connected = true;
    nf->rx_kick = true;
    spin_unlock_irqrestore(&nf->lock, flags);
    waitqueue_wake_one(&nf->rx_wait);
    return 0;
}

static const struct xenbus_step connect_steps[] = {
    /* when the backend is ... do ...                 then we are ...      */
    { XB_STATE(InitWait),      publish_rings,         XenbusStateConnected },
    { XB_STATE(Connected),     backend_connected,     XenbusStateConnected },
};

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* "00:16:3e:12:34:56", exactly. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hexdigit(s[0]), lo = hi < 0 ? -1 : hexdigit(s[1]);
        if (lo < 0 || s[2] != (i < 5 ? ':' : '\0'))
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
        s += 3;
    }
    return true;
}

/* Gives back what publish_rings took, once the backend has let go. */
/* Ends every grant of the vif: its tx and rx buffers, then its two rings
 * (`rings`: their pages). A page the backend still maps must never be
 * reused: it is kept, and counted. With free_pages the others are freed
 * and forgotten (release); without, every page stays the vif's (a new
 * domain grants the same pages again). */
static unsigned long end_grants(struct netfront *nf, void *rings[2], bool free_pages)
{
    unsigned long kept = 0;

    for (unsigned int i = 0; i < TX_SIZE + RX_SIZE + 2; i++) {
        int *gref; void **page;
        if (i < TX_SIZE) { gref = &nf->tx_gref[i]; page = &nf->tx_page[i]; }
        else if (i < TX_SIZE + RX_SIZE) { gref = &nf->rx_gref[i - TX_SIZE]; page = &nf->rx_page[i - TX_SIZE]; }
        else if (i == TX_SIZE + RX_SIZE) { gref = &nf->tx_ring_ref; page = &rings[0]; }
        else { gref = &nf->rx_ring_ref; page = &rings[1]; }
        if (*gref >= GNTTAB_NR_RESERVED_ENTRIES && gnttab_end_access((grant_ref_t)*gref))
            kept++;
        else if (free_pages && *page)
            free_page(*page);
        *gref = 0;
        if (free_pages)
            *page = NULL;
    }
    return kept;
}

static void release(struct netfront *nf)
{
    if (nf->port > 0)
        evtchn_close((evtchn_port_t)nf->port);
    nf->port = -1;
    /* The event handler may still be running on another vCPU: it looks at
     * the rings only under the lock, and only while they are set. */
    unsigned long flags = spin_lock_irqsave(&nf->lock);
    void *tx_sring = nf->tx_sring, *rx_sring = nf->rx_sring;
    nf->tx_sring = NULL;
    nf->rx_sring = NULL;
    spin_unlock_irqrestore(&nf->lock, flags);
    void *rings[2] = { tx_sring, rx_sring };
    unsigned long leaked = end_grants(nf, rings, true);
    if (leaked)
        printk("netfront: %s: backend still maps %lu pages; they are kept\n", nf->name, leaked);
}

void netfront_close(struct netfront *nf)
{
    unsigned long flags = spin_lock_irqsave(&nf->lock);
    bool was_connected = nf->connected;
    nf->connected = false;
    nf->stopping = true;
    spin_unlock_irqrestore(&nf->lock, flags);
    waitqueue_wake_all(&nf->tx_wait);
    waitqueue_wake_all(&nf->rx_wait);
    wait_event(&nf->tx_wait, READ_ONCE(nf->tx_in_flight) == 0);
    if (nf->rx_thread && nf->rx_thread != thread_self()) {
        thread_join(nf->rx_thread);
        nf->rx_thread = NULL;
    }
    if (xenbus_frontend_close(&nf->xb) == 0 && was_connected)
        printk("netfront: %s: closed (rx %lu packets, tx %lu packets, %lu refused)\n",
               nf->name, nf->rx_packets, nf->tx_packets, nf->reported_bad);
    release(nf);
}

static void netfront_shutdown(struct xenbus_device *xb)
{
    netfront_close((struct netfront *)xb);   /* xb is the first member */
}

/* ---- Suspend and resume (include/suspend.h). ---- */

static struct netfront *all_vifs;
static spinlock_t all_vifs_lock = SPINLOCK_INIT;

/* Senders wait before taking slots and the rx thread takes no new batch; a
 * sender already past taking its slots pushes its frame (the backend still
 * runs) and a batch under way ends. Then nothing touches the rings until
 * resume: what the backend answers meanwhile waits on them. */
static void netfront_suspend(void)
{
    for (struct netfront *nf = all_vifs; nf; nf = nf->next_vif) {
        unsigned long flags = spin_lock_irqsave(&nf->lock);
        nf->suspended = true;
        spin_unlock_irqrestore(&nf->lock, flags);
        wait_event(&nf->quiet_wait, nf->tx_in_flight == 0 && !nf->rx_busy);
    }
}

/* Lets senders and the rx thread go on (the rx thread takes whatever the
 * backend answered meanwhile). */
static void carry_on(struct netfront *nf)
{
    unsigned long flags = spin_lock_irqsave(&nf->lock);
    nf->suspended = false;
    nf->rx_kick = true;
    spin_unlock_irqrestore(&nf->lock, flags);
    waitqueue_wake_all(&nf->tx_wait);
    waitqueue_wake_one(&nf->rx_wait);
}

/* Checks the new domain's device/vif/<id>/mac against ours: the toolstack
 * makes the vif again from the saved config, so it should be the same. */
static void check_mac(struct netfront *nf)
{
    char path[64], mac[32] = "";
    uint8_t now[6];

    snprintf(path, sizeof(path), "%s/mac", nf->xb.nodename);
    if (xenbus_read(XBT_NIL, path, mac, sizeof(mac)) < 0 || !parse_mac(mac, now) ||
        memcmp(now, nf->mac, sizeof(now)))
        printk("netfront: %s: the new domain's vif has mac \"%s\"; the old one is kept\n",
               nf->name, mac);
}

/*
 * In a new domain (xl restore, migrate) the toolstack has made the vif again,
 * with a new backend waiting in InitWait, and every grant and event channel
 * of ours is gone. As Linux's netfront_resume + xennet_connect: the same
 * ring and buffer pages are granted again, the rx ring is filled anew, a new
 * event channel is published in the same handshake, with the same MAC.
 *
 * What was on the old rings is dropped, as Linux's xennet_release_tx_bufs
 * and xennet_release_rx_bufs do: tx frames not yet answered may have gone
 * out already (the old backend ran on while the domain was saved, and its
 * answers may be missing from the saved image), and rx responses in the
 * image may name buffers saved before the backend filled them. Every frame
 * above is TCP, which sends a lost segment again, or a datagram, which may
 * be lost anyway; frames sent during the suspend waited, and are not lost.
 */
static void reconnect(struct netfront *nf)
{
    unsigned int dropped = 0;

    /* The new domain's grant table is empty: ending our references there
     * only returns them to our free list, and every page stays ours. */
    void *rings[2] = { nf->tx_sring, nf->rx_sring };
    end_grants(nf, rings, false);
    nf->port = -1;          /* gone with the old domain */
    for (unsigned int id = 0; id < TX_SIZE; id++)
        dropped += nf->tx_busy[id];

    void (*shutdown)(struct xenbus_device *) = nf->xb.shutdown;
    int rc = xenbus_frontend_reinit(&nf->xb, "vif", nf->id);
    if (rc == 0) {
        check_mac(nf);
        rc = xenbus_frontend_connect(&nf->xb, connect_steps, ARRAY_SIZE(connect_steps), nf);
    }
    if (rc < 0) {
        printk("netfront: %s: not reconnected in the new domain; its sends fail\n", nf->name);
        unsigned long flags = spin_lock_irqsave(&nf->lock);
        nf->connected = false;
        spin_unlock_irqrestore(&nf->lock, flags);
        /* The rx thread is parked (suspended): the rings go before it runs. */
        release(nf);
        carry_on(nf);
        return;
    }
    nf->xb.shutdown = shutdown;
    nf->xb.backend_closing = shutdown;
    carry_on(nf);
    const uint8_t *m = nf->mac;
    printk("netfront: %s: reconnected in the new domain, mac %02x:%02x:%02x:%02x:%02x:%02x, "
           "%u tx slots in flight dropped\n", nf->name, m[0], m[1], m[2], m[3], m[4], m[5],
           dropped);
}

static void netfront_resume(bool new_domain)
{
    for (struct netfront *nf = all_vifs; nf; nf = nf->next_vif) {
        if (new_domain && nf->connected) {
            reconnect(nf);
            continue;
        }
        /* Cancelled (xl save -c): the same backend still has the rings, and
         * nothing was pushed meanwhile; events that came are pending. */
        carry_on(nf);
    }
}

static struct suspend_hook netfront_suspend_hook = {
    .name = "netfront", .suspend = netfront_suspend, .resume = netfront_resume,
};

static void remember_vif(struct netfront *nf)
{
    unsigned long flags = spin_lock_irqsave(&all_vifs_lock);
    if (!all_vifs)
        suspend_hook_add(&netfront_suspend_hook);
    nf->next_vif = all_vifs;
    all_vifs = nf;
    spin_unlock_irqrestore(&all_vifs_lock, flags);
}

struct netfront *netfront_connect(unsigned int id, netfront_rx_fn rx, void *ctx)
{
    struct netfront *nf = calloc(1, sizeof(*nf));
    char path[64], mac[32];

    if (!nf) {
        printk("netfront: no memory for vif %u\n", id);
        return NULL;
    }
    nf->id = id;
    nf->port = -1;
    nf->rx_fn = rx;
    nf->rx_ctx = ctx;
    snprintf(nf->name, sizeof(nf->name), "vif%u", id);
    if (xenbus_frontend_init(&nf->xb, "vif", id, nf->name) < 0) {
        free(nf);
        return NULL;
    }
    nf->xb.shutdown = netfront_shutdown;
    nf->xb.backend_closing = netfront_shutdown;
    snprintf(path, sizeof(path), "%s/mac", nf->xb.nodename);
    int rc = xenbus_read(XBT_NIL, path, mac, sizeof(mac));
    if (rc < 0 || !parse_mac(mac, nf->mac)) {
        printk("netfront: %s: no valid mac in %s (%s)\n", nf->name, path,
               rc < 0 ? xen_errno_name(rc) : mac);
        xenbus_frontend_close(&nf->xb);
        return NULL;
    }
    nf->rx_thread = thread_create(nf->name, rx_thread, nf);
    if (!nf->rx_thread || xenbus_frontend_connect(&nf->xb, connect_steps,
                                                  ARRAY_SIZE(connect_steps), nf) < 0) {
        nf->stopping = true;
        waitqueue_wake_all(&nf->rx_wait);
        if (nf->rx_thread)
            thread_join(nf->rx_thread);
        release(nf);
        printk("netfront: %s: not connected\n", nf->name);
        /* Kept, not freed: a backend may still hold grants to its pages. */
        return NULL;
    }
    remember_vif(nf);
    return nf;
}

const uint8_t *netfront_mac(const struct netfront *nf)
{
    return nf->mac;
}

const char *netfront_name(const struct netfront *nf)
{
    return nf->name;
}

bool netfront_backend_ip(struct netfront *nf, char *buf, unsigned int size)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/ip", nf->xb.otherend);
    return xenbus_read(XBT_NIL, path, buf, size) > 0;
}

void netfront_stats(const struct netfront *nf, struct netfront_stats *st)
{
    st->rx_packets = nf->rx_packets;
    st->rx_bytes = nf->rx_bytes;
    st->tx_packets = nf->tx_packets;
    st->tx_bytes = nf->tx_bytes;
    st->rx_bad = nf->rx_stats.bad_id + nf->rx_stats.bad_size + nf->rx_stats.bad_status +
                 nf->rx_stats.bad_chain + nf->rx_stats.bad_extra + nf->rx_stats.bad_gso;
    st->tx_errors = nf->tx_stats.errors;
    st->tx_bad = nf->tx_stats.bad_id + nf->tx_stats.bad_status;
}
