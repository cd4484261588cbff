/* SPDX-License-Identifier: MIT */
/*
 * blktest: the blkfront boot tests that apps/blk cannot drive
 * (tests/boot/blk.sh). argv[1] names the scenario:
 *
 *   idle       connect every disk, say so, then sleep until `xl shutdown`
 *              (the frontend framework closes the disks on the way out)
 *   probe      wait until dom0 writes data/blktest/go, then connect every
 *              disk and list them (dom0 adds broken devices first)
 *   async N    N asynchronous 256 KiB reads of xvda in flight at once, then
 *              the same range read synchronously: the bytes must agree;
 *              then a flush
 *   eio        wait for data/blktest/go (dom0 shrinks xvda's backing device
 *              meanwhile), then read the last sector the disk had: the
 *              backend answers BLKIF_RSP_ERROR, which must reach us as EIO
 *   soak       writes and reads back xvda's first 2 MiB, pass after pass,
 *              until `xl shutdown` (across xl save / restore)
 */
#include <format.h>
#include <mote/block.h>
#include <mote/kernel.h>
#include <mote/thread.h>
#include <mote/time.h>
#include <mote/timer.h>
#include <mote/xenstore.h>
#include <stdlib.h>
#include <string.h>

static void list_disks(void)
{
    int n = block_count();

    printk("blktest: %d disks\n", n);
    for (int i = 0; i < n; i++) {
        struct block_device *bd = block_open_index((unsigned)i);
        printk("blktest: disk %d: %s (%u) %lu sectors of %u\n", i, block_name(bd), block_id(bd),
               (unsigned long)block_sectors(bd), block_sector_size(bd));
    }
}

static int idle(void)
{
    list_disks();
    printk("blktest: idle\n");
    for (;;)
        sleep_ns(1000000000ull);
    return 0;
}

static volatile bool go;

static void go_written(const char *path, void *ctx)
{
    char buf[8];

    (void)path;
    (void)ctx;
    if (xenbus_read(XBT_NIL, "data/blktest/go", buf, sizeof(buf)) > 0)
        go = true;
}

static void wait_for_go(void)
{
    xenbus_watch("data/blktest/go", go_written, NULL);
    xenbus_write(XBT_NIL, "data/blktest/waiting", "1");
    while (!go)
        xenbus_wait_for_watches();
}

static int probe(void)
{
    wait_for_go();
    list_disks();
    return 0;
}

static int eio(void)
{
    struct block_device *bd = block_open("xvda");
    static char buf[4096];

    if (!bd)
        return 2;
    uint64_t last = block_sectors(bd) - 1;
    wait_for_go();
    int rc = block_read(bd, last, 1, buf);
    printk("blktest: read of sector %lu after dom0 shrank the disk: %s\n", (unsigned long)last,
           rc ? xen_errno_name(rc) : "ok");
    int rc0 = block_read(bd, 0, 1, buf);
    printk("blktest: read of sector 0: %s\n", rc0 ? xen_errno_name(rc0) : "ok");
    return rc == -XEN_EIO && rc0 == 0 ? 0 : 1;
}

#define ASYNC_BYTES (256 * 1024)

struct async_state {
    volatile unsigned int done, errors;
    struct waitqueue wq;
};

static void async_done(struct block_request *req, int err)
{
    struct async_state *st = req->ctx;

    if (err)
        st->errors++;
    st->done++;
    waitqueue_wake_all(&st->wq);
}

static int async(unsigned int n)
{
    struct block_device *bd = block_open("xvda");
    struct async_state st = { 0 };
    struct block_stats before, after;

    if (!bd || n == 0 || n > 64)
        return 2;
    uint32_t count = ASYNC_BYTES / block_sector_size(bd);
    struct block_request *reqs = calloc(n, sizeof(*reqs));
    char *bufs = malloc((size_t)n * ASYNC_BYTES), *check = malloc(ASYNC_BYTES);
    if (!reqs || !bufs || !check || (uint64_t)n * count > block_sectors(bd))
        return 3;
    block_get_stats(bd, &before);
    for (unsigned int i = 0; i < n; i++) {
        reqs[i] = (struct block_request){
            .op = BLOCK_READ, .sector = (uint64_t)i * count, .count = count,
            .buf = bufs + (size_t)i * ASYNC_BYTES, .done = async_done, .ctx = &st,
        };
        int rc = block_submit(bd, &reqs[i]);
        if (rc < 0) {
            printk("blktest: submit %u failed: %s\n", i, xen_errno_name(rc));
            return 1;
        }
    }
    wait_event(&st.wq, st.done == n);
    block_get_stats(bd, &after);
    printk("blktest: async %u requests done, %u errors, %lu ring requests, %lu bad responses\n",
           st.done, st.errors, after.requests - before.requests,
           after.bad_responses - before.bad_responses);
    unsigned int mismatches = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (block_read(bd, (uint64_t)i * count, count, check) < 0 ||
            memcmp(check, bufs + (size_t)i * ASYNC_BYTES, ASYNC_BYTES))
            mismatches++;
    }
    printk("blktest: async and sync reads: %u of %u differ\n", mismatches, n);
    int rc = block_flush(bd);
    printk("blktest: flush: %s\n", rc ? xen_errno_name(rc) : "ok");
    return st.errors || mismatches || rc ? 1 : 0;
}

/* soak: SOAK_CHUNKS writes of 256 KiB at once, each chunk a byte of its
 * own per pass, then the chunks read back at once and checked; pass after
 * pass until `xl shutdown`, a summary line every second. Saved and restored
 * meanwhile (tests/boot/lifecycle.sh), no request may fail or lose data. */
#define SOAK_CHUNKS 8

static int soak_batch(struct block_device *bd, enum block_op op, char *bufs, uint32_t count,
                      struct async_state *st)
{
    static struct block_request reqs[SOAK_CHUNKS];

    st->done = st->errors = 0;
    for (unsigned int i = 0; i < SOAK_CHUNKS; i++) {
        reqs[i] = (struct block_request){
            .op = op, .sector = (uint64_t)i * count, .count = count,
            .buf = bufs + (size_t)i * ASYNC_BYTES, .done = async_done, .ctx = st,
        };
        int rc = block_submit(bd, &reqs[i]);
        if (rc < 0) {
            printk("blktest: soak: submit failed: %s\n", xen_errno_name(rc));
            /* The requests already submitted end first: st and reqs are theirs. */
            wait_event(&st->wq, st->done == i);
            return rc == -XEN_ENODEV ? -1 : 1;
        }
    }
    wait_event(&st->wq, st->done == SOAK_CHUNKS);
    return st->errors != 0;
}

static int soak(void)
{
    struct block_device *bd = block_open("xvda");
    struct async_state st = { 0 };

    if (!bd)
        return 2;
    uint32_t count = ASYNC_BYTES / block_sector_size(bd);
    char *bufs = malloc(SOAK_CHUNKS * ASYNC_BYTES);
    if (!bufs || (uint64_t)SOAK_CHUNKS * count > block_sectors(bd))
        return 3;
    unsigned long errors = 0, mismatches = 0;
    uint64_t next_report = monotonic_ns();
    printk("blktest: soak on %s\n", block_name(bd));
    for (unsigned long pass = 1;; pass++) {
        for (unsigned int i = 0; i < SOAK_CHUNKS; i++)
            memset(bufs + (size_t)i * ASYNC_BYTES, (int)((pass * SOAK_CHUNKS + i) & 0xff),
                   ASYNC_BYTES);
        int w = soak_batch(bd, BLOCK_WRITE, bufs, count, &st);
        memset(bufs, 0, SOAK_CHUNKS * ASYNC_BYTES);
        int r = w < 0 ? w : soak_batch(bd, BLOCK_READ, bufs, count, &st);
        if (r < 0) {
            /* The disk is closed (xl shutdown): checking reads that never
             * ran would only flood the console the shutdown prints on. */
            printk("blktest: soak: the disk is closed; stopped after %lu passes, %lu errors, "
                   "%lu mismatches\n", pass - 1, errors, mismatches);
            for (;;)
                sleep_ns(1000000000ull);
        }
        errors += (unsigned long)w + (unsigned long)r;
        for (unsigned int i = 0; i < SOAK_CHUNKS; i++) {
            const unsigned char *b = (const unsigned char *)bufs + (size_t)i * ASYNC_BYTES;
            unsigned char want = (unsigned char)((pass * SOAK_CHUNKS + i) & 0xff);
            for (size_t j = 0; j < ASYNC_BYTES; j++) {
                if (b[j] != want) {
                    printk("blktest: soak pass %lu: chunk %u byte %lu is %#x, not %#x\n", pass,
                           i, (unsigned long)j, b[j], want);
                    mismatches++;
                    break;
                }
            }
        }
        if (monotonic_ns() >= next_report) {
            printk("blktest: soak: %lu passes, %lu errors, %lu mismatches\n", pass, errors,
                   mismatches);
            next_report = monotonic_ns() + 1000000000ull;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "idle"))
        return idle();
    if (argc >= 2 && !strcmp(argv[1], "probe"))
        return probe();
    if (argc >= 2 && !strcmp(argv[1], "eio"))
        return eio();
    if (argc >= 2 && !strcmp(argv[1], "soak"))
        return soak();
    if (argc >= 3 && !strcmp(argv[1], "async"))
        return async((unsigned int)strtoul(argv[2], NULL, 10));
    printk("usage: blktest idle | probe | async N | eio | soak\n");
    return 2;
}
