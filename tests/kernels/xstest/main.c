/* SPDX-License-Identifier: MIT */
/*
 * xstest: the domU the xenstore and toolstack-control boot tests boot
 * (tests/boot/domu.sh). argv[1] names the scenario:
 *
 *   idle       wait for watch events forever; `xl shutdown` / `xl reboot`
 *              end it through the control/shutdown watch (kernel/control.c)
 *   xenstore   run the xenstore client tests, then idle
 *   pattern    print 1 MiB of numbered lines "bulk|NNNNNN <56 letters>" then
 *              "xstest: pattern done", then idle: the dom0 side checksums the
 *              console log (the relay to the serial line skips "bulk|" lines)
 *   burst      watch data/xstest/burst with a slow callback (500 ms each)
 *              while dom0 writes it 100 times in a burst; once the callback
 *              has read "100", write data/xstest/burst-done and idle: dom0
 *              bursts again with an `xl shutdown` in the middle, which must
 *              not be lost behind the queued events
 *   broken     plant a reply header longer than XENSTORE_PAYLOAD_MAX in the
 *              response ring, then make a request: it must fail with EIO
 *              (not hang), and so must every later one; then power off
 *   watch-race two threads pinned to vCPUs 0 and 1 set a watch each at the
 *              same moment, then remove it, 200 times: the two ids differ
 *              every time (the watch table is shared); then power off
 *   pump-strand the watch thread's callback reads a node while this thread
 *              holds the pump (a test build has xenbus_dispatch_watches hold
 *              it 1 s after its last look at the ring): the reply that lands
 *              meanwhile must not be stranded; then power off
 *
 * Each xenstore test result goes to the console ("xstest: PASS name" or
 * "xstest: FAIL name: why") and to xenstore as data/xstest/result/<name> =
 * "pass" or "fail: why", so the dom0 side can read it even where the guest
 * console is not visible. data/xstest/done = "1" marks the end.
 */
#include <control.h>
#include <events.h>
#include <format.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <smp.h>
#include <string.h>
#include <thread.h>
#include <timer.h>
#include <xenbus.h>
#include <xen/io/xs_wire.h>
#include "../../fail_if.h"

static int failures;

static void report(const char *name, const char *why)
{
    char path[96];

    snprintf(path, sizeof(path), "data/xstest/result/%s", name);
    if (why) {
        char value[160];
        printk("xstest: FAIL %s: %s\n", name, why);
        snprintf(value, sizeof(value), "fail: %s", why);
        xenbus_write(XBT_NIL, path, value);
        failures++;
    } else {
        printk("xstest: PASS %s\n", name);
        xenbus_write(XBT_NIL, path, "pass");
    }
}


static const char *test_write_read(void)
{
    char buf[64];
    int rc = xenbus_write(XBT_NIL, "data/xstest/key", "value 1");
    FAIL_IF(rc < 0, "write returned %d", rc);
    rc = xenbus_read(XBT_NIL, "data/xstest/key", buf, sizeof(buf));
    FAIL_IF(rc != 7 || strcmp(buf, "value 1"), "read returned %d \"%s\"", rc, rc >= 0 ? buf : "");
    /* The same node by its absolute path. */
    char path[64];
    snprintf(path, sizeof(path), "/local/domain/%d/data/xstest/key", control_wait());
    rc = xenbus_read(XBT_NIL, path, buf, sizeof(buf));
    FAIL_IF(rc != 7 || strcmp(buf, "value 1"), "absolute read returned %d", rc);
    /* A value that does not fit the caller's buffer is refused, not cut. */
    rc = xenbus_read(XBT_NIL, "data/xstest/key", buf, 4);
    FAIL_IF(rc != -XEN_E2BIG, "short buffer read returned %d", rc);
    return NULL;
}

static const char *test_missing_key(void)
{
    char buf[16];
    int rc = xenbus_read(XBT_NIL, "data/xstest/no/such/key", buf, sizeof(buf));
    FAIL_IF(rc != -XEN_ENOENT, "read returned %d, not -ENOENT", rc);
    return NULL;
}

static const char *test_directory_rm(void)
{
    char buf[256];
    int rc;

    xenbus_write(XBT_NIL, "data/xstest/dir/alpha", "1");
    xenbus_write(XBT_NIL, "data/xstest/dir/beta", "2");
    rc = xenbus_directory(XBT_NIL, "data/xstest/dir", buf, sizeof(buf));
    FAIL_IF(rc != 2, "directory returned %d entries", rc);
    bool alpha = false, beta = false;
    for (const char *p = buf; rc--; p += strlen(p) + 1) {
        alpha |= !strcmp(p, "alpha");
        beta |= !strcmp(p, "beta");
    }
    FAIL_IF(!alpha || !beta, "directory lacks alpha or beta");
    rc = xenbus_rm(XBT_NIL, "data/xstest/dir");
    FAIL_IF(rc < 0, "rm returned %d", rc);
    rc = xenbus_read(XBT_NIL, "data/xstest/dir/alpha", buf, sizeof(buf));
    FAIL_IF(rc != -XEN_ENOENT, "read after rm returned %d", rc);
    return NULL;
}

static const char *test_large_value(void)
{
    /* 1900 bytes: under xenstored's default per-node quota (quota-maxsize
     * 2048 for a domU), which answers ENOSPC above it. */
    static char value[1900 + 1], back[4096];

    for (unsigned i = 0; i < sizeof(value) - 1; i++)
        value[i] = (char)('a' + i % 26);
    /* Larger than the 1 KiB ring both ways: sent and received in pieces. */
    int rc = xenbus_write(XBT_NIL, "data/xstest/large", value);
    FAIL_IF(rc < 0, "write returned %d", rc);
    rc = xenbus_read(XBT_NIL, "data/xstest/large", back, sizeof(back));
    FAIL_IF(rc != 1900 || strcmp(back, value), "read back %d bytes", rc);
    xenbus_rm(XBT_NIL, "data/xstest/large");
    /* More than XENSTORE_PAYLOAD_MAX is refused before anything is sent. */
    static char huge[4200];
    memset(huge, 'x', sizeof(huge) - 1);
    rc = xenbus_write(XBT_NIL, "data/xstest/huge", huge);
    FAIL_IF(rc != -XEN_E2BIG, "oversized write returned %d", rc);
    return NULL;
}

/* Body of the transaction test: the first attempt is sabotaged by a write
 * outside the transaction to a node it read, so its commit must get EAGAIN
 * and xenbus_transaction must run the body again. */
static int tx_attempts;

static int tx_body(xenbus_transaction_t t, void *ctx)
{
    char buf[16];

    (void)ctx;
    tx_attempts++;
    xenbus_read(t, "data/xstest/tx/counter", buf, sizeof(buf));
    if (tx_attempts == 1)
        xenbus_write(XBT_NIL, "data/xstest/tx/counter", "conflict");
    int rc = xenbus_write(t, "data/xstest/tx/counter", "committed");
    if (rc < 0)
        return rc;
    return xenbus_write(t, "data/xstest/tx/other", "also");
}

static const char *test_transaction(void)
{
    char buf[32];

    xenbus_write(XBT_NIL, "data/xstest/tx/counter", "start");
    int rc = xenbus_transaction(tx_body, NULL);
    FAIL_IF(rc < 0, "transaction returned %d after %d attempts", rc, tx_attempts);
    FAIL_IF(tx_attempts != 2, "%d attempts, expected 2 (EAGAIN then commit)", tx_attempts);
    rc = xenbus_read(XBT_NIL, "data/xstest/tx/counter", buf, sizeof(buf));
    FAIL_IF(rc < 0 || strcmp(buf, "committed"), "counter is \"%s\" (%d)", rc >= 0 ? buf : "", rc);
    rc = xenbus_read(XBT_NIL, "data/xstest/tx/other", buf, sizeof(buf));
    FAIL_IF(rc < 0 || strcmp(buf, "also"), "other is missing (%d)", rc);

    /* An aborted transaction leaves nothing behind. */
    xenbus_transaction_t t;
    rc = xenbus_transaction_start(&t);
    FAIL_IF(rc < 0, "start returned %d", rc);
    xenbus_write(t, "data/xstest/tx/aborted", "1");
    rc = xenbus_transaction_end(t, true);
    FAIL_IF(rc < 0, "abort returned %d", rc);
    rc = xenbus_read(XBT_NIL, "data/xstest/tx/aborted", buf, sizeof(buf));
    FAIL_IF(rc != -XEN_ENOENT, "aborted write is visible (%d)", rc);
    return NULL;
}

/* The watch test: dom0 writes data/xstest/poke once it sees
 * data/xstest/watching (tests/boot/domu.sh). */
static int poke_events;
static char poke_value[32];

static void poke_fired(const char *path, void *ctx)
{
    (void)ctx;
    if (strcmp(path + strlen(path) - 4, "poke"))
        return;
    /* Every watch fires once when set, before the node exists. */
    if (xenbus_read(XBT_NIL, "data/xstest/poke", poke_value, sizeof(poke_value)) > 0)
        poke_events++;
}

static const char *test_watch(void)
{
    int id = xenbus_watch("data/xstest/poke", poke_fired, NULL);
    FAIL_IF(id < 0, "watch returned %d", id);
    xenbus_write(XBT_NIL, "data/xstest/watching", "1");
    while (!poke_events)
        xenbus_wait_for_watches();
    FAIL_IF(strcmp(poke_value, "from dom0"), "poke is \"%s\"", poke_value);
    int rc = xenbus_unwatch(id);
    FAIL_IF(rc < 0, "unwatch returned %d", rc);
    return NULL;
}

/* unwatch_waits: a callback that sleeps 300 ms, then uses its ctx. */
struct slow_ctx {
    volatile bool running, used_after_unwatch;
    bool unwatched;
    int calls;
};

static void slow_fired(const char *path, void *ctx)
{
    struct slow_ctx *c = ctx;
    char buf[8];

    if (xenbus_read(XBT_NIL, path, buf, sizeof(buf)) < 0)
        return;     /* the first event, before the node exists */
    c->running = true;
    sleep_ns(300 * 1000 * 1000ULL);
    if (c->unwatched)
        c->used_after_unwatch = true;
    c->calls++;
    c->running = false;
}

/* xenbus_unwatch waits for its watch's callback running in the watch
 * thread: once it returns, the callback is done with its ctx. */
static const char *test_unwatch_waits(void)
{
    static struct slow_ctx c;
    int id = xenbus_watch("data/xstest/slow", slow_fired, &c);
    FAIL_IF(id < 0, "watch returned %d", id);
    xenbus_write(XBT_NIL, "data/xstest/slow", "1");
    for (int i = 0; i < 500 && !c.running; i++)
        sleep_ns(10 * 1000 * 1000ULL);
    FAIL_IF(!c.running, "the callback never ran");
    int rc = xenbus_unwatch(id);
    bool running = c.running;
    c.unwatched = true;
    FAIL_IF(rc < 0, "unwatch returned %d", rc);
    FAIL_IF(running, "unwatch returned while its callback was still running");
    sleep_ns(400 * 1000 * 1000ULL);
    FAIL_IF(c.used_after_unwatch, "the callback used its ctx after unwatch returned");
    return NULL;
}

/* unwatch_self: a callback removing its own watch does not wait for itself. */
static volatile int self_id = -1, self_rc = 1;

static void self_fired(const char *path, void *ctx)
{
    char buf[8];

    (void)ctx;
    if (xenbus_read(XBT_NIL, path, buf, sizeof(buf)) >= 0 && self_rc == 1)
        self_rc = xenbus_unwatch(self_id);
}

static const char *test_unwatch_self(void)
{
    self_id = xenbus_watch("data/xstest/self", self_fired, NULL);
    FAIL_IF(self_id < 0, "watch returned %d", self_id);
    xenbus_write(XBT_NIL, "data/xstest/self", "1");
    for (int i = 0; i < 500 && self_rc == 1; i++)
        sleep_ns(10 * 1000 * 1000ULL);
    FAIL_IF(self_rc == 1, "the callback's unwatch never returned");
    FAIL_IF(self_rc < 0, "the callback's unwatch returned %d", self_rc);
    return NULL;
}

static void run_xenstore_tests(void)
{
    static const struct {
        const char *name;
        const char *(*fn)(void);
    } tests[] = {
        { "write_read", test_write_read },
        { "missing_key", test_missing_key },
        { "directory_rm", test_directory_rm },
        { "large_value", test_large_value },
        { "transaction", test_transaction },
        { "watch", test_watch },
        { "unwatch_waits", test_unwatch_waits },
        { "unwatch_self", test_unwatch_self },
    };

    for (unsigned i = 0; i < ARRAY_SIZE(tests); i++)
        report(tests[i].name, tests[i].fn());
    printk("xstest: %d failed, %lu stray replies\n", failures, xenbus_stats.stray_replies);
    xenbus_write(XBT_NIL, "data/xstest/done", "1");
}

/* The burst scenario's watch callback: slow, so events pile up behind it. */
static int burst_calls;
static char burst_value[16];

static void burst_fired(const char *path, void *ctx)
{
    (void)path;
    (void)ctx;
    burst_calls++;
    xenbus_read(XBT_NIL, "data/xstest/burst", burst_value, sizeof(burst_value));
    sleep_ns(500 * 1000 * 1000ULL);
}

static void watch_burst(void)
{
    if (xenbus_watch("data/xstest/burst", burst_fired, NULL) < 0) {
        printk("xstest: cannot watch data/xstest/burst\n");
        return;
    }
    xenbus_write(XBT_NIL, "data/xstest/burst-ready", "1");
    while (strcmp(burst_value, "100"))
        xenbus_wait_for_watches();
    printk("xstest: burst read 100 after %d callbacks (events %lu, coalesced %lu, "
           "dropped %lu, queue max %lu)\n", burst_calls, xenbus_stats.watch_events,
           xenbus_stats.watch_events_coalesced, xenbus_stats.watch_events_dropped,
           xenbus_stats.watch_queue_max);
    xenbus_write(XBT_NIL, "data/xstest/burst-done", "1");
}

/* The broken scenario: a second mapping of our own xenstore ring page, with
 * a hostile "reply" planted where xenstored writes next. Delivery is masked
 * and no thread runs meanwhile, so the pump sees it before any real reply. */
static void break_the_ring(void)
{
    struct xenstore_domain_interface *intf = map_foreign_page(start_info->store_mfn, DOMID_SELF);
    if (!intf) {
        printk("xstest: cannot map the xenstore ring\n");
        return;
    }
    unsigned long flags = local_irq_save();
    struct xsd_sockmsg bad = { .type = XS_READ, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1 };
    XENSTORE_RING_IDX prod = intf->rsp_prod;
    for (size_t i = 0; i < sizeof(bad); i++)
        intf->rsp[MASK_XENSTORE_IDX(prod + i)] = ((char *)&bad)[i];
    barrier();
    intf->rsp_prod = prod + sizeof(bad);
    local_irq_restore(flags);

    char buf[16];
    int rc = xenbus_read(XBT_NIL, "domid", buf, sizeof(buf));
    printk("xstest: broken ring: read returned %d\n", rc);
    rc = xenbus_write(XBT_NIL, "data/xstest/after", "1");
    printk("xstest: broken ring: later write returned %d, available %d\n", rc,
           xenbus_available());
    /* The watch thread was woken by the break: let it see it and end. */
    thread_yield();
    printk("xstest: broken ring: done\n");
}

/* watch-race: two threads, one per vCPU, set a watch each at once. */
#define RACE_ROUNDS 200

static volatile unsigned int race_arrived;
static int race_ids[2][RACE_ROUNDS];

static void race_fired(const char *path, void *ctx)
{
    (void)path;
    (void)ctx;
}

/* Both threads leave the n-th barrier together (spinning, yielding). */
static void race_barrier(unsigned int n)
{
    __atomic_add_fetch(&race_arrived, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&race_arrived, __ATOMIC_SEQ_CST) < 2 * n)
        thread_yield();
}

static int race_thread(void *arg)
{
    int me = (int)(long)arg;
    char path[32];

    thread_set_affinity(thread_self(), me);
    snprintf(path, sizeof(path), "data/xstest/race%d", me);
    for (int r = 0; r < RACE_ROUNDS; r++) {
        race_barrier(2 * (unsigned)r + 1);
        race_ids[me][r] = xenbus_watch(path, race_fired, NULL);
        race_barrier(2 * (unsigned)r + 2);
        if (race_ids[me][r] >= 0)
            xenbus_unwatch(race_ids[me][r]);
    }
    return 0;
}

static void watch_race(void)
{
    struct thread *t[2];
    int same = 0, failed = 0;

    if (smp_cpu_count() < 2) {
        printk("xstest: watch-race needs 2 vCPUs\n");
        return;
    }
    for (long i = 0; i < 2; i++)
        t[i] = thread_create(i ? "race1" : "race0", race_thread, (void *)i);
    for (int i = 0; i < 2; i++)
        thread_join(t[i]);
    for (int r = 0; r < RACE_ROUNDS; r++) {
        failed += (race_ids[0][r] < 0) + (race_ids[1][r] < 0);
        same += race_ids[0][r] >= 0 && race_ids[0][r] == race_ids[1][r];
    }
    printk("xstest: watch-race: %d rounds, %d with the same id twice, %d failed\n", RACE_ROUNDS,
           same, failed);
}

/* pump-strand: the watch thread waits for a reply while main pumps. */
static volatile bool strand_in_callback, strand_read_done;

static void strand_fired(const char *path, void *ctx)
{
    char buf[16];

    (void)ctx;
    if (xenbus_read(XBT_NIL, path, buf, sizeof(buf)) < 0)
        return;     /* the first event, before the node exists */
    strand_in_callback = true;
    sleep_ns(100 * 1000 * 1000ULL);
    xenbus_read(XBT_NIL, "domid", buf, sizeof(buf));
    strand_read_done = true;
}

static void pump_strand(void)
{
    xenbus_watch("data/xstest/strand", strand_fired, NULL);
    xenbus_write(XBT_NIL, "data/xstest/strand", "1");
    while (!strand_in_callback)
        sleep_ns(10 * 1000 * 1000ULL);
    /* Pumps (and holds the pump) while the callback's read is answered. */
    xenbus_dispatch_watches();
    int waited = 0;
    /* No xenstore call here: nothing else would pump for the watch thread. */
    for (; waited < 100 && !strand_read_done; waited++)
        sleep_ns(100 * 1000 * 1000ULL);
    if (strand_read_done)
        printk("xstest: pump-strand: the watch thread's read was answered\n");
    else
        printk("xstest: pump-strand: the watch thread's read is stranded after %d s\n",
               waited / 10);
}

/* 16384 lines of 64 bytes: 1 MiB through the console ring and xenconsoled. */
static void print_pattern(void)
{
    for (int i = 0; i < 16384; i++) {
        char letters[57];
        for (int k = 0; k < 56; k++)
            letters[k] = (char)('a' + (i + k) % 26);
        letters[56] = '\0';
        printk("bulk|%06d %s\n", i, letters);
    }
    printk("xstest: pattern done\n");
}

int main(int argc, char **argv)
{
    if (!xenbus_available()) {
        printk("xstest: no xenstore (not a domU?)\n");
        return 2;
    }
    if (argc >= 2 && !strcmp(argv[1], "xenstore"))
        run_xenstore_tests();
    else if (argc >= 2 && !strcmp(argv[1], "pattern"))
        print_pattern();
    else if (argc >= 2 && !strcmp(argv[1], "burst"))
        watch_burst();
    else if (argc >= 2 && !strcmp(argv[1], "watch-race")) {
        watch_race();
        return 0;
    } else if (argc >= 2 && !strcmp(argv[1], "pump-strand")) {
        pump_strand();
        return 0;
    } else if (argc >= 2 && !strcmp(argv[1], "broken")) {
        break_the_ring();
        return 0;
    }
    else if (argc < 2 || strcmp(argv[1], "idle")) {
        printk("xstest: unknown scenario\n");
        return 2;
    }
    printk("xstest: idle\n");
    for (;;)
        xenbus_wait_for_watches();
}
