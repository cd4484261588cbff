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
 *   mixed      writes a known pattern to xvda's first MiB, then pass after
 *              pass one small write elsewhere and 8 reads of the pattern in
 *              flight at once, every byte read checked, until `xl shutdown`
 *              (reads in flight across xl save / restore)
 *   sync-race N  N synchronous reads from a thread on vCPU 1, each followed
 *              by writing over the stack the read's wait lived on (a test
 *              build delays the completion and the waiter's first look)
 *   detach-race  a writer thread on each of vCPUs 0 and 1 writes until its
 *              write fails, while dom0 detaches the disk (test builds hold
 *              a writer between taking a ring slot and pushing it past the
 *              close, or hold the close); each must end with ENODEV, none
 *              wait forever; then main returns, and its shutdown closes the
 *              disk while the backend's close may still run
 */
#include <format.h>
#include <mote/block.h>
#include <mote/kernel.h>
#include <mote/smp.h>
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

/* mixed: the byte at offset i of the pattern area. */
#define MIXED_SECTORS 2048          /* 1 MiB of 512-byte sectors */
#define MIXED_READ_BYTES (11 * 4096) /* one ring request each (11 segments) */
#define MIXED_READS 8

static unsigned char mixed_byte(size_t offset)
{
    return (unsigned char)((offset / 512) * 7 + offset % 251);
}

static int mixed_batch(struct block_device *bd, char *reads, char *scratch,
                       struct async_state *st)
{
    static struct block_request reqs[MIXED_READS + 1];
    uint32_t count = MIXED_READ_BYTES / block_sector_size(bd);

    st->done = st->errors = 0;
    /* The write first: while dom0's file system is frozen it waits in the
     * loop device, and the reads queue behind it. */
    reqs[0] = (struct block_request){
        .op = BLOCK_WRITE, .sector = MIXED_SECTORS * 2, .count = 4096 / block_sector_size(bd),
        .buf = scratch, .done = async_done, .ctx = st,
    };
    for (unsigned int i = 1; i <= MIXED_READS; i++)
        reqs[i] = (struct block_request){
            .op = BLOCK_READ, .sector = (uint64_t)(i - 1) * count, .count = count,
            .buf = reads + (size_t)(i - 1) * MIXED_READ_BYTES, .done = async_done, .ctx = st,
        };
    for (unsigned int i = 0; i <= MIXED_READS; i++) {
        int rc = block_submit(bd, &reqs[i]);
        if (rc < 0) {
            wait_event(&st->wq, st->done == i);
            return -1;
        }
    }
    wait_event(&st->wq, st->done == MIXED_READS + 1);
    return st->errors != 0;
}

static unsigned long mixed_check(const char *reads, unsigned long pass)
{
    for (size_t j = 0; j < (size_t)MIXED_READS * MIXED_READ_BYTES; j++) {
        if ((unsigned char)reads[j] != mixed_byte(j)) {
            printk("blktest: mixed pass %lu: byte %lu is %#x, not %#x\n", pass,
                   (unsigned long)j, (unsigned char)reads[j], mixed_byte(j));
            return 1;
        }
    }
    return 0;
}

static int mixed(void)
{
    struct block_device *bd = block_open("xvda");
    struct async_state st = { 0 };
    size_t area = (size_t)MIXED_SECTORS * 512;
    char *reads = malloc(area), *scratch = malloc(4096);

    if (!bd || !reads || !scratch || block_sector_size(bd) != 512 ||
        block_sectors(bd) < MIXED_SECTORS * 3)
        return 2;
    for (size_t j = 0; j < area; j++)
        reads[j] = (char)mixed_byte(j);
    if (block_write(bd, 0, MIXED_SECTORS, reads) < 0)
        return 1;
    unsigned long errors = 0, mismatches = 0;
    uint64_t next_report = monotonic_ns();
    printk("blktest: mixed on %s\n", block_name(bd));
    for (unsigned long pass = 1;; pass++) {
        memset(reads, 0, area);
        memset(scratch, (int)(pass & 0xff), 4096);
        int r = mixed_batch(bd, reads, scratch, &st);
        if (r < 0) {
            printk("blktest: mixed: the disk is closed; stopped after %lu passes, %lu errors, "
                   "%lu mismatches\n", pass - 1, errors, mismatches);
            for (;;)
                sleep_ns(1000000000ull);
        }
        errors += (unsigned long)r;
        mismatches += mixed_check(reads, pass);
        if (monotonic_ns() >= next_report) {
            printk("blktest: mixed: %lu passes, %lu errors, %lu mismatches\n", pass, errors,
                   mismatches);
            next_report = monotonic_ns() + 1000000000ull;
        }
    }
    return 0;
}

/* sync-race: what the wait's stack becomes once block_read returned. */
static void __attribute__((noinline)) overwrite_stack(void)
{
    volatile uint64_t junk[256];

    /* Not a pointer anywhere (non-canonical): a wake-up walking it faults. */
    for (unsigned int i = 0; i < 256; i++)
        junk[i] = 0xa5a5a5a5a5a5a5a5ull;
    uint64_t end = monotonic_ns() + 300 * 1000 * 1000ull;
    while (monotonic_ns() < end)
        junk[0] = junk[255];
}

static struct block_device *race_bd;
static volatile unsigned int race_reads, race_errors;

static int sync_reader(void *arg)
{
    static char buf[4096];
    unsigned int n = (unsigned int)(unsigned long)arg;

    thread_set_affinity(thread_self(), 1);
    for (unsigned int i = 0; i < n; i++) {
        if (block_read(race_bd, i, 8, buf) < 0)
            race_errors++;
        race_reads++;
        overwrite_stack();
    }
    return 0;
}

static int sync_race(unsigned int n)
{
    race_bd = block_open("xvda");
    if (!race_bd || smp_cpu_count() < 2)
        return 2;
    struct thread *t = thread_create("sync-reader", sync_reader, (void *)(unsigned long)n);
    thread_join(t);
    printk("blktest: sync-race: %u reads on vCPU 1, %u errors\n", race_reads, race_errors);
    return race_errors ? 1 : 0;
}

/* detach-race: writers on vCPUs 0 and 1 until their write fails. */
static int race_writer(void *arg)
{
    static char bufs[2][4096];
    unsigned int me = (unsigned int)(unsigned long)arg;
    unsigned long writes = 0;
    int rc;

    thread_set_affinity(thread_self(), (int)me);
    memset(bufs[me], 0x40 + (int)me, sizeof(bufs[me]));
    printk("blktest: detach-race: writer %u writing\n", me);
    while ((rc = block_write(race_bd, me * 64, 8, bufs[me])) == 0)
        writes++;
    printk("blktest: detach-race: writer %u ended with %s after %lu writes\n", me,
           xen_errno_name(rc), writes);
    return 0;
}

static int detach_race(void)
{
    struct thread *t[2];

    race_bd = block_open("xvda");
    if (!race_bd || smp_cpu_count() < 2)
        return 2;
    for (unsigned long i = 0; i < 2; i++)
        t[i] = thread_create(i ? "writer1" : "writer0", race_writer, (void *)i);
    for (int i = 0; i < 2; i++)
        thread_join(t[i]);
    printk("blktest: detach-race: both writers ended\n");
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
    if (argc >= 2 && !strcmp(argv[1], "mixed"))
        return mixed();
    if (argc >= 2 && !strcmp(argv[1], "detach-race"))
        return detach_race();
    if (argc >= 3 && !strcmp(argv[1], "sync-race"))
        return sync_race((unsigned int)strtoul(argv[2], NULL, 10));
    if (argc >= 3 && !strcmp(argv[1], "async"))
        return async((unsigned int)strtoul(argv[2], NULL, 10));
    printk("usage: blktest idle | probe | async N | eio | soak | mixed | sync-race N | "
           "detach-race\n");
    return 2;
}
