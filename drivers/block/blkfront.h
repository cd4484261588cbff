/* SPDX-License-Identifier: MIT */
/*
 * blkfront's internal interface: one connected disk (struct block_device),
 * shared by blkfront.c (the protocol: connection, ring, requests) and
 * block.c (the public API of drivers/block/block.h: finding disks, checks, the
 * blocking calls).
 */
#ifndef BLKFRONT_H
#define BLKFRONT_H

#include <arch/layout.h>
#include <block.h>
#include <spinlock.h>
#include <thread.h>
#include <xenbus_frontend.h>
#include "blkif_rsp.h"

#define BLK_RING_SLOTS __CONST_RING_SIZE(blkif, PAGE_SIZE)   /* 32 */
#define BLK_SEGS       BLKIF_MAX_SEGMENTS_PER_REQUEST       /* 11 */

/* A ring slot's request: which part of whose buffer, through which pages. */
struct blk_slot {
    struct block_request *req;
    size_t offset, bytes;          /* of req->buf */
    void *page[BLK_SEGS];          /* bounce pages, granted to the backend */
    int gref[BLK_SEGS];
    int next_free;
};

struct block_device {
    struct xenbus_device xb;
    char name[16];                 /* "xvda" */
    unsigned int vdev;             /* xenstore id, 51712 */
    /* From the backend, checked (read_disk_info). */
    uint64_t sectors;              /* in sector_size units */
    unsigned int sector_size;
    bool read_only, removable, flush, barrier;

    blkif_front_ring_t ring;
    void *sring;
    int ring_ref;
    int port;
    spinlock_t lock;               /* ring, slots, free list, stats */
    struct blk_slot slot[BLK_RING_SLOTS];
    uint8_t slot_op[BLK_RING_SLOTS];
    uint64_t slot_id[BLK_RING_SLOTS];
    uint64_t next_gen;
    int free_head;
    struct waitqueue slot_free;    /* threads waiting for a free slot */
    bool broken;                   /* ring found corrupt: every request fails */
    bool connected;
    bool suspended;                /* the domain is suspending: nothing new is pushed */
    /* Threads between taking a slot (get_slot) and pushing it: release
     * waits for them, as the bounce pages and ring they write are its. */
    unsigned int submitting;
    struct waitqueue submitters_gone;
    /* One close per device: the first claims it, an app-side close that
     * comes second waits for it (blkfront.c close). */
    bool close_claimed, closed;
    struct waitqueue close_done;
    struct block_device *next_disk;   /* every disk blkfront connected */
    struct blkif_rsp_stats rsp;
    unsigned long requests, reported_bad;
};

/* Connects device/vbd/<vdev>; NULL (after saying why) on failure. */
struct block_device *blkfront_connect(unsigned int vdev);
/* Pushes a checked request (block.c checked range and access). */
int blkfront_submit(struct block_device *bd, struct block_request *req);
/* Closes the connection (also done at shutdown). */
void blkfront_close(struct block_device *bd);

#endif
