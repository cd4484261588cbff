/* SPDX-License-Identifier: MIT */
/*
 * blkfront: the PV block frontend (io/blkif.h), one struct block_device per
 * disk (drivers/block/blkfront.h).
 *
 * Connection (io/blkif.h "Frontend XenBus Nodes", io/xenbus.h states), as a
 * table of steps run by the frontend framework (include/xenbus_frontend.h):
 * when the backend waits for us (InitWait), grant the shared ring page,
 * allocate an event channel and publish ring-ref, event-channel and
 * protocol in one transaction; once it is Connected, read the disk's size
 * and features, then say Connected ourselves.
 *
 * Requests: each ring slot owns 11 bounce pages granted to the backend for
 * the whole connection; a request's data is copied through them (written
 * before the push, read when the response comes). The grants never change,
 * so feature-persistent (io/blkif.h) would fit; it is not offered yet, so
 * the backend maps and unmaps each request's pages. Sector numbers on the
 * ring are in 512-byte units, as Linux's blkback and blkfront use them
 * without feature-large-sector-size (io/blkif.h); so is the backend's
 * `sectors`, which Linux's blkback writes from the device size in 512-byte
 * sectors even when sector-size is 4096. A device sector of 4096 bytes is
 * always whole pages here, so every segment stays aligned to it.
 *
 * Responses are taken in the event handler (blkif_rsp.c checks them), which
 * copies read data out, frees slots and completes requests; done callbacks
 * run after the lock is dropped.
 */
#include <events.h>
#include <format.h>
#include <grant_table.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <suspend.h>
#include <timer.h>
#include <xen/io/protocols.h>
#include "blkfront.h"

#define SECTOR 512

static void vdev_name(unsigned int vdev, char *buf, size_t size)
{
    unsigned int disk;
    char letters[8];
    int n = 0;

    /* Linux's xen-blkfront numbering: extended ids carry the disk in bits
     * 8-27; major 202 (xvd) has 16 minors per disk (partitions). */
    if (vdev & (1u << 28))
        disk = (vdev >> 8) & 0xfffff;
    else if ((vdev >> 8) == 202)
        disk = (vdev & 0xff) >> 4;
    else {
        snprintf(buf, size, "vbd%u", vdev);
        return;
    }
    /* a..z, then aa..zz, ... */
    disk++;
    while (disk && n < (int)sizeof(letters)) {
        disk--;
        letters[n++] = (char)('a' + disk % 26);
        disk /= 26;
    }
    char *p = buf + snprintf(buf, size, "xvd");
    while (n > 0 && p < buf + size - 1)
        *p++ = letters[--n];
    *p = '\0';
}

/* ---- Responses (event handler). ---- */

struct completion_ctx {
    struct block_device *bd;
    struct block_request *done;    /* requests to complete after unlocking */
};

static void slot_done(void *ctx, unsigned int id, int err)
{
    struct completion_ctx *cc = ctx;
    struct block_device *bd = cc->bd;
    struct blk_slot *s = &bd->slot[id];
    struct block_request *req = s->req;

    if (!req)
        return;     /* nothing was in this slot (release after a failed setup) */
    if (!err && req->op == BLOCK_READ) {
        for (size_t off = 0; off < s->bytes; off += PAGE_SIZE) {
            size_t n = s->bytes - off < PAGE_SIZE ? s->bytes - off : PAGE_SIZE;
            memcpy((char *)req->buf + s->offset + off, s->page[off / PAGE_SIZE], n);
        }
    }
    if (err && !req->err)
        req->err = err;
    s->req = NULL;
    s->next_free = bd->free_head;
    bd->free_head = (int)id;
    waitqueue_wake_one(&bd->slot_free);
    if (--req->in_flight == 0) {
        req->next_done = cc->done;
        cc->done = req;
    }
}

static void report_bad_responses(struct block_device *bd)
{
    const struct blkif_rsp_stats *st = &bd->rsp;
    unsigned long bad = st->bad_prod + st->bad_id + st->bad_op + st->bad_status;

    if (bad == bd->reported_bad)
        return;
    bd->reported_bad = bad;
    printk("blkfront: %s: refused backend responses: %lu bad producer index, %lu bad id, "
           "%lu bad operation, %lu bad status\n", bd->name, st->bad_prod, st->bad_id,
           st->bad_op, st->bad_status);
}

/* The ring cannot be trusted: fail everything in flight, accept nothing more. */
static void ring_broken(struct block_device *bd, struct completion_ctx *cc)
{
    bd->broken = true;
    printk("blkfront: %s: response producer index %u is impossible (consumer %u, %u pushed); "
           "disk disabled\n", bd->name, READ_ONCE(bd->ring.sring->rsp_prod), bd->ring.rsp_cons,
           bd->ring.req_prod_pvt);
    for (unsigned int id = 0; id < BLK_RING_SLOTS; id++) {
        if (bd->slot_op[id] != BLKIF_SLOT_FREE) {
            bd->slot_op[id] = BLKIF_SLOT_FREE;
            slot_done(cc, id, -XEN_EIO);
        }
    }
    waitqueue_wake_all(&bd->slot_free);
}

static void complete_requests(struct block_request *req)
{
    while (req) {
        struct block_request *next = req->next_done;
        req->done(req, req->err);
        req = next;
    }
}

static void blkfront_event(evtchn_port_t port, void *ctx)
{
    struct block_device *bd = ctx;
    struct completion_ctx cc = { .bd = bd };

    (void)port;
    unsigned long flags = spin_lock_irqsave(&bd->lock);
    if (!bd->broken && bd->sring) {
        if (blkif_take_responses(&bd->ring, bd->slot_op, bd->slot_id, &bd->rsp, slot_done,
                                 &cc) < 0)
            ring_broken(bd, &cc);
        report_bad_responses(bd);
    }
    spin_unlock_irqrestore(&bd->lock, flags);
    complete_requests(cc.done);
}

/* ---- Requests (threads). ---- */

/* Why no slot can be had: the disk broke, or it is closed (with bd->lock
 * held, or after the last look). */
static int refusal(const struct block_device *bd)
{
    return bd->broken ? -XEN_EIO : -XEN_ENODEV;
}

/*
 * A free slot, waiting for one if all are in flight; a negative error if
 * the disk broke or was closed. A slot is handed out only while the disk is
 * connected, checked under bd->lock, and counts its thread in `submitting`
 * until push() has put it on the ring (or given it back): close sets
 * `connected` false under the same lock and release waits for that count,
 * as Linux's blkfront checks `connected` under its ring lock.
 */
static int get_slot(struct block_device *bd)
{
    for (;;) {
        wait_event(&bd->slot_free, !bd->suspended &&
                   (bd->free_head >= 0 || bd->broken || !bd->connected));
        unsigned long flags = spin_lock_irqsave(&bd->lock);
        int id = bd->free_head;
        if (bd->broken || !bd->connected)
            id = refusal(bd);
        else if (bd->suspended)
            id = -1;
        else if (id >= 0) {
            bd->free_head = bd->slot[id].next_free;
            bd->submitting++;
        }
        spin_unlock_irqrestore(&bd->lock, flags);
        if (id >= 0 || id < -1)
            return id;
    }
}

/* The end of a submitter's part (get_slot's count). */
static void submitter_done(struct block_device *bd)
{
    unsigned long flags = spin_lock_irqsave(&bd->lock);
    bool last = --bd->submitting == 0;
    spin_unlock_irqrestore(&bd->lock, flags);
    if (last)
        waitqueue_wake_all(&bd->submitters_gone);
}

/* With bd->lock held: puts slot `id`'s request (its part of s->req, in its
 * bounce pages) on the ring, with a new generation. */
static void ring_put(struct block_device *bd, int id)
{
    struct blk_slot *s = &bd->slot[id];
    blkif_request_t r = {
        .operation = bd->slot_op[id],
        .handle = (blkif_vdev_t)bd->vdev,
        .sector_number = (s->req->sector * bd->sector_size + s->offset) / SECTOR,
    };

    for (size_t off = 0; off < s->bytes; off += PAGE_SIZE) {
        size_t n = s->bytes - off < PAGE_SIZE ? s->bytes - off : PAGE_SIZE;
        unsigned int i = r.nr_segments++;
        r.seg[i].gref = (grant_ref_t)s->gref[i];
        r.seg[i].first_sect = 0;
        r.seg[i].last_sect = (uint8_t)(n / SECTOR - 1);
    }
    /* The generation in the id's upper bits tells this use of the slot
     * from earlier ones (blkif_rsp.h). */
    r.id = (uint64_t)id | (bd->next_gen++ << 8);
    bd->slot_id[id] = r.id;
    *RING_GET_REQUEST(&bd->ring, bd->ring.req_prod_pvt) = r;
    bd->ring.req_prod_pvt++;
    bd->requests++;
}

/* Test builds (tests/boot/blk.sh) hold a thread that took a slot until
 * the disk is marked closed, and then this long (ns), before it pushes:
 * the close has run its course (or waits for it) by then. */
#ifndef BLKFRONT_TEST_PUSH_AFTER_CLOSE_NS
#define BLKFRONT_TEST_PUSH_AFTER_CLOSE_NS 0
#endif

/* With bd->lock held: gives a slot taken by get_slot back unused. */
static void put_slot_back(struct block_device *bd, int id)
{
    bd->slot[id].next_free = bd->free_head;
    bd->free_head = id;
    waitqueue_wake_one(&bd->slot_free);
}

/* Fills ring slot `id` with the part [offset, offset + bytes) of req and
 * pushes it; an error if the disk was closed (or broke) since get_slot.
 * While the domain is suspending the backend is not told (the request is
 * re-issued on resume, or told of when the suspend is cancelled). */
static int push(struct block_device *bd, int id, struct block_request *req, uint8_t op,
                size_t offset, size_t bytes)
{
    struct blk_slot *s = &bd->slot[id];
    int notify = 0, rc = 0;

    if (BLKFRONT_TEST_PUSH_AFTER_CLOSE_NS) {
        wait_event(&bd->slot_free, !bd->connected);
        sleep_ns(BLKFRONT_TEST_PUSH_AFTER_CLOSE_NS);
    }
    if (op == BLKIF_OP_WRITE)
        for (size_t off = 0; off < bytes; off += PAGE_SIZE)
            memcpy(s->page[off / PAGE_SIZE], (const char *)req->buf + offset + off,
                   bytes - off < PAGE_SIZE ? bytes - off : PAGE_SIZE);

    unsigned long flags = spin_lock_irqsave(&bd->lock);
    evtchn_port_t port = (evtchn_port_t)bd->port;
    if (!bd->connected || bd->broken) {
        rc = refusal(bd);
        put_slot_back(bd, id);
    } else {
        s->req = req;
        s->offset = offset;
        s->bytes = bytes;
        bd->slot_op[id] = op;
        req->in_flight++;
        ring_put(bd, id);
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&bd->ring, notify);
        notify = notify && !bd->suspended;
    }
    spin_unlock_irqrestore(&bd->lock, flags);
    /* Still counted in `submitting`: the port is not closed under us. */
    if (notify)
        evtchn_send(port);
    submitter_done(bd);
    return rc;
}

int blkfront_submit(struct block_device *bd, struct block_request *req)
{
    static const uint8_t ops[] = {
        [BLOCK_READ] = BLKIF_OP_READ,
        [BLOCK_WRITE] = BLKIF_OP_WRITE,
        [BLOCK_FLUSH] = BLKIF_OP_FLUSH_DISKCACHE,
    };
    size_t total = (size_t)req->count * bd->sector_size;
    uint8_t op = ops[req->op];
    int rc;

    if (req->op == BLOCK_FLUSH && !bd->flush)
        op = BLKIF_OP_WRITE_BARRIER;
    req->err = 0;
    req->in_flight = 1;   /* held until every part is pushed */
    size_t off = 0;
    do {
        size_t n = total - off < BLK_SEGS * PAGE_SIZE ? total - off : BLK_SEGS * PAGE_SIZE;
        int id = get_slot(bd);
        rc = id < 0 ? id : push(bd, id, req, op, off, n);
        off += n;
    } while (rc == 0 && off < total);

    unsigned long flags = spin_lock_irqsave(&bd->lock);
    if (rc < 0 && !req->err)
        req->err = rc;
    bool last = --req->in_flight == 0;
    spin_unlock_irqrestore(&bd->lock, flags);
    if (last)
        req->done(req, req->err);
    return 0;
}

/* ---- Connecting. ---- */

static int write_ring_nodes(xenbus_transaction_t t, void *ctx)
{
    struct block_device *bd = ctx;
    char path[80], value[16];
    int rc;

    snprintf(path, sizeof(path), "%s/ring-ref", bd->xb.nodename);
    snprintf(value, sizeof(value), "%d", bd->ring_ref);
    if ((rc = xenbus_write(t, path, value)) < 0)
        return rc;
    snprintf(path, sizeof(path), "%s/event-channel", bd->xb.nodename);
    snprintf(value, sizeof(value), "%d", bd->port);
    if ((rc = xenbus_write(t, path, value)) < 0)
        return rc;
    snprintf(path, sizeof(path), "%s/protocol", bd->xb.nodename);
    return xenbus_write(t, path, XEN_IO_PROTO_ABI_X86_64);
}

/* The ring page and every slot's bounce pages, once per disk: a new
 * connection (in a new domain) grants the same pages again. */
static int alloc_ring(struct block_device *bd)
{
    /* Every slot free before anything can fail: release() walks them all,
     * and a zeroed slot_op would read as a read in flight (BLKIF_OP_READ). */
    memset(bd->slot_op, BLKIF_SLOT_FREE, sizeof(bd->slot_op));
    bd->sring = alloc_page();
    if (!bd->sring)
        goto no_memory;
    bd->free_head = -1;
    for (int id = BLK_RING_SLOTS - 1; id >= 0; id--) {
        struct blk_slot *s = &bd->slot[id];
        for (int i = 0; i < BLK_SEGS; i++) {
            s->page[i] = alloc_page();
            if (!s->page[i])
                goto no_memory;
        }
        s->next_free = bd->free_head;
        bd->free_head = id;
    }
    return 0;

no_memory:
    printk("blkfront: %s: no memory for the ring and its %lu bounce pages\n", bd->name,
           (unsigned long)(BLK_RING_SLOTS * BLK_SEGS));
    return -XEN_ENOMEM;
}

/* Step 1, backend InitWait: the ring (empty), its pages granted to the
 * backend and the event channel. */
static int publish_ring(struct xenbus_device *xb, void *ctx)
{
    struct block_device *bd = ctx;
    domid_t backend = xb->otherend_id;
    int rc;

    if (!bd->sring && (rc = alloc_ring(bd)) < 0)
        return rc;
    SHARED_RING_INIT((blkif_sring_t *)bd->sring);
    FRONT_RING_INIT(&bd->ring, (blkif_sring_t *)bd->sring, PAGE_SIZE);
    bd->ring_ref = gnttab_grant_access(backend, virt_to_mfn(bd->sring), false);
    if (bd->ring_ref < 0)
        return bd->ring_ref;
    for (int id = 0; id < (int)BLK_RING_SLOTS; id++) {
        struct blk_slot *s = &bd->slot[id];
        for (int i = 0; i < BLK_SEGS; i++) {
            /* Read-write: the backend writes into them for reads. */
            s->gref[i] = gnttab_grant_access(backend, virt_to_mfn(s->page[i]), false);
            if (s->gref[i] < 0)
                return s->gref[i];
        }
    }

    bd->port = evtchn_alloc_unbound(backend, blkfront_event, bd);
    if (bd->port < 0)
        return bd->port;
    rc = xenbus_transaction(write_ring_nodes, bd);
    if (rc < 0)
        printk("blkfront: %s: cannot publish the ring: %s\n", bd->name, xen_errno_name(rc));
    return rc;
}

static bool read_flag(struct block_device *bd, const char *key)
{
    uint64_t v = 0;

    return xenbus_backend_read_u64(&bd->xb, key, &v) == 0 && v == 1;
}

/* Step 2, backend Connected: what the disk is (io/blkif.h "Backend XenBus
 * Nodes"), every value checked. */
static int read_disk_info(struct xenbus_device *xb, void *ctx)
{
    struct block_device *bd = ctx;
    uint64_t sectors, size = SECTOR, info = 0;

    if (xenbus_backend_read_u64(xb, "sectors", &sectors) < 0) {
        printk("blkfront: %s: backend gave no valid sectors\n", bd->name);
        return -XEN_EIO;
    }
    if (xenbus_backend_read_u64(xb, "sector-size", &size) == -XEN_EINVAL ||
        size < SECTOR || size > PAGE_SIZE || (size & (size - 1)) ||
        (sectors * SECTOR) % size || sectors > (UINT64_MAX / SECTOR)) {
        printk("blkfront: %s: sector-size %lu with %lu sectors is not usable\n", bd->name,
               (unsigned long)size, (unsigned long)sectors);
        return -XEN_EIO;
    }
    if (xenbus_backend_read_u64(xb, "info", &info) == -XEN_EINVAL)
        return -XEN_EIO;
    bd->sector_size = (unsigned int)size;
    bd->sectors = sectors * SECTOR / size;
    bd->read_only = info & VDISK_READONLY;
    bd->removable = info & VDISK_REMOVABLE;
    bd->flush = read_flag(bd, "feature-flush-cache");
    bd->barrier = read_flag(bd, "feature-barrier");
    bd->connected = true;
    return 0;
}

/* The connection, as io/xenbus.h and io/blkif.h order it. */
static const struct xenbus_step connect_steps[] = {
    /* when the backend is ... do ...                   then we are ...        */
    { XB_STATE(InitWait),      publish_ring,           XenbusStateInitialised },
    { XB_STATE(Connected),     read_disk_info,         XenbusStateConnected },
};

/* Gives back what publish_ring took, once the backend has let go. */
static void release(struct block_device *bd)
{
    struct completion_ctx cc = { .bd = bd };
    unsigned long leaked = 0;

    /* The caller set `connected` false: no slot is handed out any more,
     * and those taken reach the ring (or come back) soon. */
    wait_event(&bd->submitters_gone, bd->submitting == 0);
    if (bd->port > 0)
        evtchn_close((evtchn_port_t)bd->port);
    bd->port = -1;
    /* Requests the backend never answered end now, with -ENODEV. */
    unsigned long flags = spin_lock_irqsave(&bd->lock);
    for (unsigned int id = 0; bd->sring && id < BLK_RING_SLOTS; id++) {
        if (bd->slot_op[id] != BLKIF_SLOT_FREE) {
            bd->slot_op[id] = BLKIF_SLOT_FREE;
            slot_done(&cc, id, -XEN_ENODEV);
        }
    }
    spin_unlock_irqrestore(&bd->lock, flags);
    complete_requests(cc.done);
    for (int id = 0; id < (int)BLK_RING_SLOTS; id++) {
        for (int i = 0; i < BLK_SEGS; i++) {
            struct blk_slot *s = &bd->slot[id];
            if (s->gref[i] >= GNTTAB_NR_RESERVED_ENTRIES && gnttab_end_access(s->gref[i]))
                leaked++;
            else if (s->page[i])
                free_page(s->page[i]);
            s->gref[i] = 0;
            s->page[i] = NULL;
        }
    }
    if (bd->ring_ref >= GNTTAB_NR_RESERVED_ENTRIES && gnttab_end_access(bd->ring_ref))
        leaked++;
    else if (bd->sring)
        free_page(bd->sring);
    bd->ring_ref = 0;
    bd->sring = NULL;
    /* A page the backend still maps must never be reused: keep it. */
    if (leaked)
        printk("blkfront: %s: backend still maps %lu pages; they are kept\n", bd->name, leaked);
}

/* Whether this caller is the first to close bd (and so must do it). */
static bool claim_close(struct block_device *bd)
{
    unsigned long flags = spin_lock_irqsave(&bd->lock);
    bool first = !bd->close_claimed;
    bd->close_claimed = true;
    spin_unlock_irqrestore(&bd->lock, flags);
    return first;
}

/* Test builds (tests/boot/blk.sh) hold a close this long (ns) once it has
 * marked the disk closed, so that a second close meets it. */
#ifndef BLKFRONT_TEST_CLOSE_DELAY_NS
#define BLKFRONT_TEST_CLOSE_DELAY_NS 0
#endif

static void close_claimed(struct block_device *bd)
{
    unsigned long flags = spin_lock_irqsave(&bd->lock);
    bool was_connected = bd->connected;
    bd->connected = false;
    spin_unlock_irqrestore(&bd->lock, flags);
    waitqueue_wake_all(&bd->slot_free);
    if (BLKFRONT_TEST_CLOSE_DELAY_NS)
        sleep_ns(BLKFRONT_TEST_CLOSE_DELAY_NS);
    if (xenbus_frontend_close(&bd->xb) == 0 && was_connected)
        printk("blkfront: %s: closed\n", bd->name);
    release(bd);
    flags = waitqueue_lock();
    bd->closed = true;
    waitqueue_wake_all(&bd->close_done);
    waitqueue_unlock(flags);
}

/*
 * Two closes of one disk may meet: the backend's (an unplug, in the watch
 * thread) and the application's (shutdown, on another vCPU). The first
 * does it; a second close by the application waits until it is done.
 */
void blkfront_close(struct block_device *bd)
{
    if (claim_close(bd)) {
        close_claimed(bd);
        return;
    }
    printk("blkfront: %s: a close is under way; waiting for it\n", bd->name);
    wait_event(&bd->close_done, bd->closed);
}

static void blkfront_shutdown(struct xenbus_device *xb)
{
    blkfront_close((struct block_device *)xb);   /* xb is the first member */
}

/* The backend is closing (in the watch thread, inside the callback of the
 * watch on its state): closes, unless a close is under way already, which
 * is not waited for, as that close waits for this callback to return
 * (xenbus_unwatch). */
static void blkfront_backend_closing(struct xenbus_device *xb)
{
    struct block_device *bd = (struct block_device *)xb;

    if (claim_close(bd))
        close_claimed(bd);
}

/* ---- Suspend and resume (include/suspend.h). ---- */

static struct block_device *all_disks;
static spinlock_t all_disks_lock = SPINLOCK_INIT;

static unsigned int slots_in_flight(const struct block_device *bd)
{
    unsigned int n = 0;

    for (unsigned int id = 0; id < BLK_RING_SLOTS; id++)
        n += bd->slot_op[id] != BLKIF_SLOT_FREE;
    return n;
}

/* Threads may go on submitting; what they push waits on the ring. Those
 * that took a slot already have pushed it when this returns, so the count
 * said is what a new domain re-issues. */
static void blkfront_suspend(void)
{
    for (struct block_device *bd = all_disks; bd; bd = bd->next_disk) {
        unsigned long flags = spin_lock_irqsave(&bd->lock);
        bd->suspended = true;
        spin_unlock_irqrestore(&bd->lock, flags);
        wait_event(&bd->submitters_gone, bd->submitting == 0);
        if (bd->connected)
            printk("blkfront: %s: suspending with %u requests in flight\n", bd->name,
                   slots_in_flight(bd));
    }
}

/*
 * In a new domain (xl restore, migrate) the toolstack has made the device
 * again, with a new backend (under the new domain's id) waiting in
 * InitWait, and every grant and event channel of ours is gone. As Linux's
 * blkfront_resume/blkif_recover: the same ring and bounce pages are
 * granted again, the handshake is redone, and every request still in
 * flight is put on the new ring (a read or write done twice gives the same
 * result). Nothing found on the old ring is taken: the old backend went on
 * answering after the domain stopped, while its memory was being saved, so
 * the saved ring page may hold a response whose data the saved bounce page
 * lacks (it was saved before the backend wrote it). netfront drops such
 * responses for the same reason.
 */
static void reconnect(struct block_device *bd)
{
    unsigned long flags;

    /* The new domain's grant table is empty: ending our references there
     * only returns them to our free list. */
    for (int id = 0; id < (int)BLK_RING_SLOTS; id++)
        for (int i = 0; i < BLK_SEGS; i++) {
            if (bd->slot[id].gref[i] >= GNTTAB_NR_RESERVED_ENTRIES)
                gnttab_end_access((grant_ref_t)bd->slot[id].gref[i]);
            bd->slot[id].gref[i] = 0;
        }
    if (bd->ring_ref >= GNTTAB_NR_RESERVED_ENTRIES)
        gnttab_end_access((grant_ref_t)bd->ring_ref);
    bd->ring_ref = 0;
    bd->port = -1;          /* gone with the old domain */

    void (*shutdown)(struct xenbus_device *) = bd->xb.shutdown;
    void (*backend_closing)(struct xenbus_device *) = bd->xb.backend_closing;
    if (xenbus_frontend_reinit(&bd->xb, "vbd", bd->vdev) < 0 ||
        xenbus_frontend_connect(&bd->xb, connect_steps, ARRAY_SIZE(connect_steps), bd) < 0) {
        printk("blkfront: %s: not reconnected in the new domain; its requests fail\n", bd->name);
        flags = spin_lock_irqsave(&bd->lock);
        bd->connected = false;
        bd->suspended = false;
        spin_unlock_irqrestore(&bd->lock, flags);
        waitqueue_wake_all(&bd->slot_free);
        release(bd);
        return;
    }
    bd->xb.shutdown = shutdown;
    bd->xb.backend_closing = backend_closing;

    unsigned int reissued = 0;
    int notify;
    flags = spin_lock_irqsave(&bd->lock);
    for (int id = 0; id < (int)BLK_RING_SLOTS; id++) {
        if (bd->slot_op[id] == BLKIF_SLOT_FREE)
            continue;
        ring_put(bd, id);
        reissued++;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&bd->ring, notify);
    bd->suspended = false;
    spin_unlock_irqrestore(&bd->lock, flags);
    if (notify)
        evtchn_send((evtchn_port_t)bd->port);
    waitqueue_wake_all(&bd->slot_free);
    printk("blkfront: %s: reconnected in the new domain, %u requests re-issued\n", bd->name,
           reissued);
}

static void blkfront_resume(bool new_domain)
{
    for (struct block_device *bd = all_disks; bd; bd = bd->next_disk) {
        if (new_domain && bd->connected) {
            reconnect(bd);
            continue;
        }
        /* Cancelled (xl save -c): the same backend still has the ring;
         * tell it of what was pushed meanwhile. */
        unsigned long flags = spin_lock_irqsave(&bd->lock);
        bd->suspended = false;
        spin_unlock_irqrestore(&bd->lock, flags);
        if (bd->connected)
            evtchn_send((evtchn_port_t)bd->port);
        waitqueue_wake_all(&bd->slot_free);
    }
}

static struct suspend_hook blkfront_suspend_hook = {
    .name = "blkfront", .suspend = blkfront_suspend, .resume = blkfront_resume,
};

static void remember_disk(struct block_device *bd)
{
    unsigned long flags = spin_lock_irqsave(&all_disks_lock);
    if (!all_disks)
        suspend_hook_add(&blkfront_suspend_hook);
    bd->next_disk = all_disks;
    all_disks = bd;
    spin_unlock_irqrestore(&all_disks_lock, flags);
}

struct block_device *blkfront_connect(unsigned int vdev)
{
    struct block_device *bd = calloc(1, sizeof(*bd));

    if (!bd) {
        printk("blkfront: no memory for device %u\n", vdev);
        return NULL;
    }
    bd->vdev = vdev;
    bd->port = -1;
    vdev_name(vdev, bd->name, sizeof(bd->name));
    if (xenbus_frontend_init(&bd->xb, "vbd", vdev, bd->name) < 0) {
        free(bd);
        return NULL;
    }
    bd->xb.shutdown = blkfront_shutdown;
    bd->xb.backend_closing = blkfront_backend_closing;
    if (xenbus_frontend_connect(&bd->xb, connect_steps, ARRAY_SIZE(connect_steps), bd) < 0) {
        release(bd);
        printk("blkfront: %s: not connected\n", bd->name);
        /* Kept, not freed: a backend may still hold grants to its pages. */
        return NULL;
    }
    remember_disk(bd);
    printk("blkfront: %s: %lu sectors of %u bytes%s%s%s%s\n", bd->name,
           (unsigned long)bd->sectors, bd->sector_size, bd->read_only ? ", read-only" : "",
           bd->removable ? ", removable" : "", bd->flush ? ", flush" : "",
           bd->barrier ? ", barrier" : "");
    return bd;
}
