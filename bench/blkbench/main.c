/* SPDX-License-Identifier: MIT */
/*
 * blkbench: sequential throughput through blkfront, for `make bench`
 * (bench/run.sh boots it as a domU with a RAM disk, /dev/ram0 in dom0, and
 * times dom0's own dd of the same device in the same run).
 *
 *   blkbench MIB    writes MIB MiB from sector 0, then reads them back, in
 *                   256 KiB requests with 8 in flight (block_submit), and
 *                   prints "BENCH blk_write_mote <KiB/s> KiB/s" and
 *                   "BENCH blk_read_mote <KiB/s> KiB/s"
 *
 * Each request is split into 6 ring requests of up to 11 pages, so 8 in
 * flight keep the ring's 32 slots full.
 */
#include <clock.h>
#include <mote/block.h>
#include <mote/kernel.h>
#include <mote/thread.h>
#include <stdlib.h>
#include <string.h>

#define REQ_BYTES (256 * 1024)
#define IN_FLIGHT 8

struct pipe {
    volatile unsigned int busy, errors;
    struct waitqueue wq;
};

static void req_done(struct block_request *req, int err)
{
    struct pipe *p = req->ctx;

    if (err)
        p->errors++;
    p->busy--;
    waitqueue_wake_all(&p->wq);
}

/* Moves `bytes` through the disk from sector 0; returns KiB/s, 0 on error. */
static unsigned long run(struct block_device *bd, enum block_op op, uint64_t bytes, char *bufs)
{
    static struct block_request reqs[IN_FLIGHT];
    struct pipe p = { 0 };
    uint32_t count = REQ_BYTES / block_sector_size(bd);
    uint64_t t0 = monotonic_ns();
    unsigned int next = 0;

    for (uint64_t off = 0; off < bytes; off += REQ_BYTES) {
        wait_event(&p.wq, p.busy < IN_FLIGHT);
        struct block_request *r = &reqs[next];
        *r = (struct block_request){
            .op = op, .sector = off / block_sector_size(bd), .count = count,
            .buf = bufs + (size_t)next * REQ_BYTES, .done = req_done, .ctx = &p,
        };
        unsigned long flags = local_irq_save();
        p.busy++;
        local_irq_restore(flags);
        if (block_submit(bd, r) < 0)
            return 0;
        next = (next + 1) % IN_FLIGHT;
    }
    wait_event(&p.wq, p.busy == 0);
    uint64_t ns = monotonic_ns() - t0;
    if (p.errors)
        return 0;
    return (unsigned long)(bytes / 1024 * 1000000000ull / ns);
}

int main(int argc, char **argv)
{
    unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
    struct block_device *bd = block_open(NULL);
    char *bufs = malloc((size_t)IN_FLIGHT * REQ_BYTES);

    if (!bd || !bufs || mib == 0 || (mib << 20) / block_sector_size(bd) > block_sectors(bd)) {
        printk("blkbench: need a disk of at least %lu MiB and %d KiB of memory\n", mib,
               IN_FLIGHT * REQ_BYTES / 1024);
        return 1;
    }
    for (size_t i = 0; i < (size_t)IN_FLIGHT * REQ_BYTES; i++)
        bufs[i] = (char)(i * 7 + i / 4096);
    unsigned long w = run(bd, BLOCK_WRITE, (uint64_t)mib << 20, bufs);
    unsigned long r = run(bd, BLOCK_READ, (uint64_t)mib << 20, bufs);
    if (!w || !r) {
        printk("blkbench: a request failed\n");
        return 1;
    }
    printk("BENCH blk_write_mote %lu KiB/s\n", w);
    printk("BENCH blk_read_mote %lu KiB/s\n", r);
    printk("BENCH done 1 flag\n");
    return 0;
}
