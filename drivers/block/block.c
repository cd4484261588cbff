/* SPDX-License-Identifier: MIT */
/*
 * Block devices for applications (drivers/block/block.h) on top of blkfront:
 * finding the disks (device/vbd in xenstore) on first use, opening them by
 * name or index, the checks made before anything is sent (range, read-only),
 * and the blocking calls, which wait on a wait queue for the asynchronous
 * request to complete.
 */
#include <clock.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <xenbus.h>
#include "blkfront.h"

#define MAX_DISKS 16

static struct block_device *disks[MAX_DISKS];
static unsigned int nr_disks;
static bool probed;
static struct mutex probe_lock;

static void probe(void)
{
    unsigned int ids[MAX_DISKS];

    mutex_lock(&probe_lock);
    if (!probed) {
        probed = true;
        int n = xenbus_available() ? xenbus_frontend_ids("vbd", ids, MAX_DISKS) : 0;
        if (n < 0)
            printk("block: cannot list device/vbd: %s\n", xen_errno_name(n));
        for (int i = 0; i < n; i++) {
            struct block_device *bd = blkfront_connect(ids[i]);
            if (bd)
                disks[nr_disks++] = bd;
        }
    }
    mutex_unlock(&probe_lock);
}

int block_count(void)
{
    probe();
    return (int)nr_disks;
}

struct block_device *block_open_index(unsigned int index)
{
    probe();
    return index < nr_disks ? disks[index] : NULL;
}

struct block_device *block_open(const char *name)
{
    probe();
    if (!name) {
        if (!nr_disks)
            printk("block: no disks\n");
        return nr_disks ? disks[0] : NULL;
    }
    for (unsigned int i = 0; i < nr_disks; i++) {
        char id[16];
        snprintf(id, sizeof(id), "%u", disks[i]->vdev);
        if (!strcmp(name, disks[i]->name) || !strcmp(name, id))
            return disks[i];
    }
    printk("block: no disk %s\n", name);
    return NULL;
}

const char *block_name(const struct block_device *bd) { return bd->name; }
unsigned int block_id(const struct block_device *bd) { return bd->vdev; }
uint64_t block_sectors(const struct block_device *bd) { return bd->sectors; }
unsigned int block_sector_size(const struct block_device *bd) { return bd->sector_size; }
bool block_read_only(const struct block_device *bd) { return bd->read_only; }
bool block_removable(const struct block_device *bd) { return bd->removable; }
bool block_can_flush(const struct block_device *bd) { return bd->flush || bd->barrier; }

void block_get_stats(const struct block_device *bd, struct block_stats *stats)
{
    const struct blkif_rsp_stats *r = &bd->rsp;

    stats->requests = bd->requests;
    stats->responses = r->taken;
    stats->bad_responses = r->bad_prod + r->bad_id + r->bad_op + r->bad_status;
}

/* What the driver refuses before sending anything. */
static int check(struct block_device *bd, const struct block_request *req)
{
    static const char *const names[] = { "read", "write", "flush" };

    if ((unsigned)req->op > BLOCK_FLUSH || !req->done)
        return -XEN_EINVAL;
    if (!bd->connected || bd->broken) {
        printk("block: %s: %s refused: the disk is %s\n", bd->name, names[req->op],
               bd->broken ? "disabled" : "closed");
        return bd->broken ? -XEN_EIO : -XEN_ENODEV;
    }
    if (req->op != BLOCK_READ && bd->read_only) {
        printk("block: %s: %s refused: the disk is read-only\n", bd->name, names[req->op]);
        return -XEN_EROFS;
    }
    if (req->op == BLOCK_FLUSH) {
        if (!bd->flush && !bd->barrier) {
            printk("block: %s: flush refused: the backend offers no flush\n", bd->name);
            return -XEN_EOPNOTSUPP;
        }
        return 0;
    }
    if (req->sector > bd->sectors || req->count > bd->sectors - req->sector) {
        printk("block: %s: %s of sectors %lu+%u refused: past the end (%lu sectors)\n",
               bd->name, names[req->op], (unsigned long)req->sector, req->count,
               (unsigned long)bd->sectors);
        return -XEN_ERANGE;
    }
    if (req->count > UINT32_MAX / bd->sector_size)
        return -XEN_EINVAL;
    return 0;
}

int block_submit(struct block_device *bd, struct block_request *req)
{
    int rc = check(bd, req);

    if (rc < 0)
        return rc;
    if (req->op != BLOCK_FLUSH && req->count == 0) {
        req->done(req, 0);
        return 0;
    }
    if (req->op == BLOCK_FLUSH)
        req->count = 0;
    return blkfront_submit(bd, req);
}

/*
 * A blocking call's wait, on its caller's stack. As Linux's completion: the
 * flag is set and the waiter woken in one step under the wait-queue lock,
 * and the waiter reads the flag under that lock (wait_event), so it sees
 * `done` only once the completing side has let go of the lock, after its
 * last touch of `w`. Setting the flag first and waking after would let a
 * waiter on another vCPU that looks meanwhile return and reuse the stack
 * the wake-up then walks.
 */
struct sync_wait {
    bool done;
    int err;
    struct waitqueue wq;
};

/* Test builds (tests/boot/blk.sh) widen the race window of the completion
 * and the waiter with these delays, in ns. */
#ifndef BLOCK_TEST_COMPLETE_DELAY_NS
#define BLOCK_TEST_COMPLETE_DELAY_NS 0
#endif
#ifndef BLOCK_TEST_WAIT_DELAY_NS
#define BLOCK_TEST_WAIT_DELAY_NS 0
#endif

static void test_delay(uint64_t ns)
{
    uint64_t end = monotonic_ns() + ns;

    while (ns && monotonic_ns() < end)
        cpu_relax();
}

static void sync_done(struct block_request *req, int err)
{
    struct sync_wait *w = req->ctx;

    test_delay(BLOCK_TEST_COMPLETE_DELAY_NS);
    unsigned long flags = waitqueue_lock();
    w->err = err;
    w->done = true;
    waitqueue_wake_all(&w->wq);
    waitqueue_unlock(flags);
}

static const char *op_name(enum block_op op)
{
    return op == BLOCK_READ ? "read" : op == BLOCK_WRITE ? "write" : "flush";
}

static int sync_request(struct block_device *bd, enum block_op op, uint64_t sector,
                        uint32_t count, void *buf)
{
    struct sync_wait w = { 0 };
    struct block_request req = {
        .op = op, .sector = sector, .count = count, .buf = buf, .done = sync_done, .ctx = &w,
    };
    int rc = block_submit(bd, &req);

    if (rc < 0)
        return rc;
    test_delay(BLOCK_TEST_WAIT_DELAY_NS);
    wait_event(&w.wq, w.done);
    if (w.err)
        printk("block: %s: %s of sectors %lu+%u failed: %s\n", bd->name, op_name(op),
               (unsigned long)sector, count, xen_errno_name(w.err));
    return w.err;
}

int block_read(struct block_device *bd, uint64_t sector, uint32_t count, void *buf)
{
    return sync_request(bd, BLOCK_READ, sector, count, buf);
}

int block_write(struct block_device *bd, uint64_t sector, uint32_t count, const void *buf)
{
    /* The driver only reads from buf for a write. */
    return sync_request(bd, BLOCK_WRITE, sector, count, (void *)buf);
}

int block_flush(struct block_device *bd)
{
    return sync_request(bd, BLOCK_FLUSH, 0, 0, NULL);
}
