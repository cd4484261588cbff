/* SPDX-License-Identifier: MIT */
/*
 * mote application API: block devices, the disks the toolstack gives a domU (xl's `disk = [...]`),
 * reached through blkfront (drivers/block/), Xen's PV block protocol
 * (io/blkif.h) with a backend in dom0.
 *
 * Disks are found and connected on first use (block_count, block_open*),
 * each under its xenstore id (device/vbd/51712) and name (xvda). Sector
 * numbers and counts are in the disk's own sectors (block_sector_size:
 * 512 or 4096 bytes). Buffers are any kernel memory of count * sector size
 * bytes; data is copied through pages granted to the backend.
 *
 * Functions returning int return 0 or a negative Xen errno (xen/errno.h),
 * each error also said on the console with the disk's name:
 *   -XEN_EROFS      a write or flush to a read-only disk (nothing is sent)
 *   -XEN_ERANGE     sectors past the end of the disk (nothing is sent)
 *   -XEN_EIO        the backend answered BLKIF_RSP_ERROR, or the ring broke
 *   -XEN_EOPNOTSUPP the backend does not support the operation
 *   -XEN_ENODEV     the disk is gone (closed at shutdown, or unplugged with
 *                   `xl block-detach`: requests in flight then end so too)
 * Reads, writes and flushes block the calling thread (a wait queue) until
 * the backend has answered; block_submit is the asynchronous form.
 */
#ifndef MOTE_BLOCK_H
#define MOTE_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct block_device;

/* Number of connected disks (connecting them on the first call). */
int block_count(void);
/* By name ("xvda") or xenstore id ("51712"); NULL for the first disk.
 * Returns NULL, with a message, when there is no such disk. */
struct block_device *block_open(const char *name);
/* By index, 0 .. block_count() - 1, in xenstore-id order. */
struct block_device *block_open_index(unsigned int index);

const char *block_name(const struct block_device *bd);   /* "xvda" */
unsigned int block_id(const struct block_device *bd);    /* 51712 */
uint64_t block_sectors(const struct block_device *bd);   /* size in sectors */
unsigned int block_sector_size(const struct block_device *bd);
bool block_read_only(const struct block_device *bd);
bool block_removable(const struct block_device *bd);
/* The backend can flush its write cache (feature-flush-cache or -barrier). */
bool block_can_flush(const struct block_device *bd);

int block_read(struct block_device *bd, uint64_t sector, uint32_t count, void *buf);
int block_write(struct block_device *bd, uint64_t sector, uint32_t count, const void *buf);
/* Makes completed writes durable (BLKIF_OP_FLUSH_DISKCACHE, else
 * WRITE_BARRIER); -XEN_EOPNOTSUPP if the backend offers neither. */
int block_flush(struct block_device *bd);

/*
 * The asynchronous form. Fill op, sector, count, buf, done (and ctx), then
 * block_submit from a thread: it checks the request as block_read/write do,
 * splits it into ring requests of up to 11 pages each, waits only for free
 * ring slots, and returns. done(req, err) runs later, once, in event-handler
 * context (it must not block: wake a thread, count, set a flag). Many
 * requests may be in flight at once; the buffer must stay valid until done.
 * Returns 0 when submitted (done will run), or an error (done will not run).
 */
enum block_op { BLOCK_READ, BLOCK_WRITE, BLOCK_FLUSH };
struct block_request {
    enum block_op op;
    uint64_t sector;
    uint32_t count;
    void *buf;
    void (*done)(struct block_request *req, int err);
    void *ctx;
    /* Private to the driver. */
    unsigned int in_flight;
    int err;
    struct block_request *next_done;
};
int block_submit(struct block_device *bd, struct block_request *req);

/* What the driver refused from the backend, per disk, for tests. */
struct block_stats {
    unsigned long requests;    /* ring requests pushed */
    unsigned long responses;   /* responses taken */
    unsigned long bad_responses;  /* refused: bad prod, id, op or status */
};
void block_get_stats(const struct block_device *bd, struct block_stats *stats);

#endif
