/* SPDX-License-Identifier: MIT */
/*
 * torture: the SMP and lifecycle paths run hard, all at once, for a set
 * time, in the spirit of Linux's locktorture and rcutorture (issue 27).
 * Usage: torture SECONDS, as a domU with 4 vCPUs and a disk xvda
 * (tests/boot/torture.sh), while the dom0 action detaches and re-attaches
 * the disk (xl block-detach/attach) and unplugs and plugs vCPUs (xl
 * vcpu-set). Meanwhile:
 *
 *   events   a worker pinned to each vCPU binds a loopback pair of event
 *            channels (EVTCHNOP_alloc_unbound + bind_interdomain to
 *            DOMID_SELF), binds one end to its vCPU, sends, waits for the
 *            handler, closes both; an event not handled within 5 s is lost
 *   timers   a worker per vCPU arms, cancels and re-arms 8 timers with
 *            deadlines 0-2 ms ahead; every arming not cancelled must fire
 *            exactly once
 *   watches  two workers watch a node of their own, wait for the initial
 *            event, write the node, wait for its event (60 s), unwatch; a
 *            callback after xenbus_unwatch returned is late
 *   block    two workers write a pattern (sequence number, sector) to
 *            their own half of xvda and read it back synchronously; a
 *            detach ends their requests with ENODEV, and they connect the
 *            disk again (blkfront_connect) once dom0 has re-attached it
 *   hotplug  a monitor counts each vCPU's offline -> online cycles
 *
 * It runs SECONDS, and on until dom0 has done 2 cycles. Then it stops
 * ("torture: stopping"; dom0 leaves the disk attached and all
 * vCPUs up, then writes data/torture/settled), waits until the disk is
 * connected and the vCPUs are back, and
 * checks: no lost event, every timer fired as armed, no lost or late watch
 * event, no block data mismatch or unexpected error, and the grant table's
 * free count and the pages free or in the heap as at the start (no leaked
 * grant or page). It prints its figures and "torture: ok", or "torture:
 * FAILED" with every check that failed, and returns 0 or 1.
 */
#include <clock.h>
#include <events.h>
#include <format.h>
#include <grant_table.h>
#include <kernel.h>
#include <page_alloc.h>
#include <printk.h>
#include <smp.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <timer.h>
#include <xenbus.h>
#include "../../../drivers/block/blkfront.h"
#include "../../rand.h"

#define NR_VCPUS 4
#define NR_TIMERS 8
#define NR_WATCHERS 2
#define NR_BLOCK_WORKERS 2
#define BLOCK_SECTORS 8
#define DISK_VDEV 51712                         /* xvda */
#define EVENT_TIMEOUT_NS (5 * NSEC_PER_SEC)
#define SETTLE_TIMEOUT_NS (60 * NSEC_PER_SEC)
/* A watch event goes through dom0's xenstored, which a loaded host may not
 * schedule for seconds (seen: 5 s passed at load 26 on 2 cores); an event
 * only counts as lost after this long. */
#define WATCH_TIMEOUT_NS (60 * NSEC_PER_SEC)

static volatile bool stopping;
static uint64_t stopped_at;
static unsigned long failures;

static void failed(const char *what, unsigned long n)
{
    printk("torture: FAILED check: %s (%lu)\n", what, n);
    failures++;
}

static void add(unsigned long *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void pin_to(unsigned int cpu)
{
    /* An offline vCPU refuses it; the worker then runs anywhere. */
    thread_set_affinity(thread_self(), (int)cpu);
}

/* ---- events ---- */

struct event_worker {
    unsigned int cpu;
    unsigned long received, sent, ops, lost, bind_errors, bind_events;
};
static struct event_worker event_workers[NR_VCPUS];

static void event_handled(evtchn_port_t port, void *ctx)
{
    (void)port;
    add(&((struct event_worker *)ctx)->received);
}

/* The bound end gets an event of its own: Xen's evtchn_bind_interdomain
 * sets the new port pending, so that no notification sent before the bind
 * is lost. Counted apart from the ones sent. */
static void bind_event_handled(evtchn_port_t port, void *ctx)
{
    (void)port;
    add(&((struct event_worker *)ctx)->bind_events);
}

static void event_round(struct event_worker *w)
{
    int a = evtchn_alloc_unbound(DOMID_SELF, event_handled, w);
    int b = a < 0 ? -1 : evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, bind_event_handled, w);

    if (b < 0) {
        w->bind_errors++;
        if (a >= 0)
            evtchn_close((evtchn_port_t)a);
        sleep_ns(NSEC_PER_MSEC);
        return;
    }
    /* Not to a vCPU that is down (it would refuse, saying so each time);
     * it can still go down just after, as it may in any program. */
    if (smp_cpu_online(w->cpu))
        evtchn_bind_to_cpu((evtchn_port_t)a, w->cpu);
    unsigned long before = __atomic_load_n(&w->received, __ATOMIC_ACQUIRE);
    uint64_t deadline = monotonic_ns() + EVENT_TIMEOUT_NS;
    w->sent++;
    evtchn_send((evtchn_port_t)b);
    while (__atomic_load_n(&w->received, __ATOMIC_ACQUIRE) == before && monotonic_ns() < deadline)
        sleep_ns(100 * NSEC_PER_USEC);
    if (__atomic_load_n(&w->received, __ATOMIC_ACQUIRE) == before) {
        w->lost++;
        printk("torture: events: vCPU %u: event on port %d not handled in 5 s\n", w->cpu, a);
    }
    evtchn_close((evtchn_port_t)b);
    evtchn_close((evtchn_port_t)a);
    w->ops++;
    /* Room for dom0 (xl) on the 2 CPUs QEMU gives Xen. */
    sleep_ns(NSEC_PER_MSEC);
}

static int event_worker(void *arg)
{
    struct event_worker *w = arg;

    pin_to(w->cpu);
    while (!stopping)
        event_round(w);
    return 0;
}

/* ---- timers ---- */

struct timer_worker {
    unsigned int cpu;
    struct timer timers[NR_TIMERS];
    unsigned long fired, expected, ops;
    uint64_t rng;
};
static struct timer_worker timer_workers[NR_VCPUS];

static void timer_fired(struct timer *t, void *ctx)
{
    (void)t;
    add(&((struct timer_worker *)ctx)->fired);
}

/* Every arming of a timer that was not armed adds a firing; a cancel that
 * finds it armed takes one away (timer_cancel: true if it was armed). */
static void timer_round(struct timer_worker *w)
{
    for (int i = 0; i < NR_TIMERS; i++) {
        uint64_t r = xorshift64star(&w->rng);
        struct timer *t = &w->timers[i];
        if (timer_cancel(t))
            w->expected--;
        if (r & 1) {
            timer_arm(t, monotonic_ns() + (r >> 8) % (2 * NSEC_PER_MSEC));
            w->expected++;
        }
        w->ops++;
    }
    sleep_ns((xorshift64star(&w->rng) >> 8) % NSEC_PER_MSEC);
}

static int timer_worker(void *arg)
{
    struct timer_worker *w = arg;

    pin_to(w->cpu);
    for (int i = 0; i < NR_TIMERS; i++)
        timer_init(&w->timers[i], timer_fired, w);
    while (!stopping)
        timer_round(w);
    for (int i = 0; i < NR_TIMERS; i++)
        if (timer_cancel(&w->timers[i]))
            w->expected--;
    return 0;
}

/* ---- xenstore watches ---- */

struct watcher {
    char path[32];
    unsigned long events, ops, lost, late, errors;
    volatile bool unwatched;
};
static struct watcher watchers[NR_WATCHERS];

static void watch_fired(const char *path, void *ctx)
{
    struct watcher *w = ctx;

    (void)path;
    if (w->unwatched)
        add(&w->late);
    add(&w->events);
}

static bool wait_events(struct watcher *w, unsigned long want)
{
    uint64_t deadline = monotonic_ns() + WATCH_TIMEOUT_NS;

    while (__atomic_load_n(&w->events, __ATOMIC_ACQUIRE) < want && monotonic_ns() < deadline)
        sleep_ns(NSEC_PER_MSEC);
    return __atomic_load_n(&w->events, __ATOMIC_ACQUIRE) >= want;
}

static void watch_round(struct watcher *w)
{
    char value[24];

    w->events = 0;
    w->unwatched = false;
    int id = xenbus_watch(w->path, watch_fired, w);
    if (id < 0) {
        w->errors++;
        sleep_ns(10 * NSEC_PER_MSEC);
        return;
    }
    /* xs_wire.h, XS_WATCH: the watch fires once when it is set. */
    bool ok = wait_events(w, 1);
    snprintf(value, sizeof(value), "%lu", w->ops);
    if (ok && xenbus_write(XBT_NIL, w->path, value) < 0)
        w->errors++;
    else if (!ok || !wait_events(w, 2)) {
        w->lost++;
        printk("torture: watches: %s: event %s not delivered in 60 s\n", w->path,
               ok ? "for a write" : "on setting the watch");
    }
    xenbus_unwatch(id);
    w->unwatched = true;
    w->ops++;
}

static int watch_worker(void *arg)
{
    struct watcher *w = arg;

    while (!stopping)
        watch_round(w);
    /* A callback running on after unwatch would show up now. */
    sleep_ns(100 * NSEC_PER_MSEC);
    return 0;
}

/* ---- block ---- */

static struct block_device *volatile disk;
static struct mutex disk_lock;
static unsigned long detaches, reattaches;

struct block_worker {
    unsigned int index;
    unsigned long ops, mismatches, errors, gone;
    uint64_t rng;
    uint8_t out[BLOCK_SECTORS * 512], in[BLOCK_SECTORS * 512];
};
static struct block_worker block_workers[NR_BLOCK_WORKERS];

/* dom0 has re-attached the disk once libxl has written its frontend anew
 * (xenbus.h, XenbusStateInitialising) and the backend waits for us. */
static bool disk_offered(void)
{
    char state[8], backend_state[8], backend[64];

    if (xenbus_read(XBT_NIL, "device/vbd/51712/state", state, sizeof(state)) < 0 ||
        strcmp(state, "1") ||
        xenbus_read(XBT_NIL, "device/vbd/51712/backend", backend, sizeof(backend)) < 0)
        return false;
    char path[80];
    snprintf(path, sizeof(path), "%s/state", backend);
    return xenbus_read(XBT_NIL, path, backend_state, sizeof(backend_state)) >= 0 &&
           !strcmp(backend_state, "2");
}

/* Waiting for the disk gives up SETTLE_TIMEOUT_NS after the stop: a
 * detach or attach that never completes is a failure to report, not a
 * hang. */
static bool given_up(void)
{
    return stopping && monotonic_ns() > stopped_at + SETTLE_TIMEOUT_NS;
}

/* After ENODEV on `bd`: the first worker to get here waits for dom0 to
 * offer the disk again and connects it; the others find it done. Returns
 * whether there is a disk. */
static bool reconnect(struct block_device *bd)
{
    mutex_lock(&disk_lock);
    if (bd && disk == bd) {
        disk = NULL;
        detaches++;
    }
    while (!disk && !given_up()) {
        if (disk_offered() && (disk = blkfront_connect(DISK_VDEV)))
            reattaches++;
        else
            sleep_ns(100 * NSEC_PER_MSEC);
    }
    mutex_unlock(&disk_lock);
    return disk != NULL;
}

static void fill(struct block_worker *w, uint64_t sector)
{
    for (size_t i = 0; i < sizeof(w->out); i += 8) {
        uint64_t word = (w->ops << 32) ^ (sector + i / 512) ^ i;
        memcpy(&w->out[i], &word, 8);
    }
}

static void block_round(struct block_worker *w)
{
    struct block_device *bd = disk;
    if (!bd && !reconnect(NULL))
        return;
    bd = disk;
    uint64_t half = (block_sectors(bd) / NR_BLOCK_WORKERS) - BLOCK_SECTORS;
    uint64_t sector = w->index * (half + BLOCK_SECTORS) + xorshift64star(&w->rng) % half;

    fill(w, sector);
    int rc = block_write(bd, sector, BLOCK_SECTORS, w->out);
    if (!rc)
        rc = block_read(bd, sector, BLOCK_SECTORS, w->in);
    if (rc == -XEN_ENODEV) {
        w->gone++;
        reconnect(bd);
        return;
    }
    if (rc) {
        w->errors++;
        printk("torture: block: worker %u: sector %lu: error %d\n", w->index,
               (unsigned long)sector, rc);
    } else if (memcmp(w->in, w->out, sizeof(w->in))) {
        w->mismatches++;
        printk("torture: block: worker %u: sector %lu read back other data\n", w->index,
               (unsigned long)sector);
    }
    w->ops++;
}

static int block_worker(void *arg)
{
    struct block_worker *w = arg;

    while (!stopping)
        block_round(w);
    return 0;
}

/* ---- hotplug ---- */

static unsigned long hotplug_cycles;

static int hotplug_monitor(void *arg)
{
    bool was_online[NR_VCPUS] = { true, true, true, true };

    (void)arg;
    while (!stopping) {
        for (unsigned int cpu = 1; cpu < NR_VCPUS; cpu++) {
            bool online = smp_cpu_online(cpu);
            if (online && !was_online[cpu])
                hotplug_cycles++;
            was_online[cpu] = online;
        }
        sleep_ns(5 * NSEC_PER_MSEC);
    }
    return 0;
}

/* ---- the run ---- */

/* dom0's action counts its vcpu-set and detach/attach cycles in
 * data/torture/cycles: the run goes on past `end` until it has done
 * MIN_DOM0_CYCLES (a busy host can make one xl command take seconds), but
 * no more than MAX_EXTRA_NS past it. */
#define MIN_DOM0_CYCLES 2
#define MAX_EXTRA_NS (120 * NSEC_PER_SEC)

static unsigned long dom0_cycles(void)
{
    char value[16];

    if (xenbus_read(XBT_NIL, "data/torture/cycles", value, sizeof(value)) < 0)
        return 0;
    return strtoul(value, NULL, 10);
}

static void run_until(uint64_t end)
{
    while (monotonic_ns() < end ||
           (dom0_cycles() < MIN_DOM0_CYCLES && monotonic_ns() < end + MAX_EXTRA_NS))
        sleep_ns(100 * NSEC_PER_MSEC);
    printk("torture: dom0 did %lu cycles\n", dom0_cycles());
}

struct resources {
    unsigned long grants_free;
    unsigned long pages;        /* free in the allocator, or held by the heap */
    unsigned long heap_used;
};

static struct resources resources_now(void)
{
    size_t heap = heap_used_bytes() + heap_free_bytes();

    return (struct resources){
        .grants_free = gnttab_nr_free(),
        .pages = free_page_count() + heap / PAGE_SIZE,
        .heap_used = heap_used_bytes(),
    };
}

static struct thread *workers[2 * NR_VCPUS + NR_WATCHERS + NR_BLOCK_WORKERS + 1];
static unsigned int nr_workers;

static void start(const char *name, thread_fn fn, void *arg)
{
    struct thread *t = thread_create(name, fn, arg);

    if (!t)
        panic("torture: no memory for thread %s", name);
    workers[nr_workers++] = t;
}

static void start_workers(void)
{
    static const char *const event_names[] = { "ev0", "ev1", "ev2", "ev3" };
    static const char *const timer_names[] = { "tm0", "tm1", "tm2", "tm3" };

    for (unsigned int cpu = 0; cpu < NR_VCPUS; cpu++) {
        event_workers[cpu].cpu = timer_workers[cpu].cpu = cpu;
        timer_workers[cpu].rng = 0x9e3779b97f4a7c15ull + cpu;
        start(event_names[cpu], event_worker, &event_workers[cpu]);
        start(timer_names[cpu], timer_worker, &timer_workers[cpu]);
    }
    for (unsigned int i = 0; i < NR_WATCHERS; i++) {
        snprintf(watchers[i].path, sizeof(watchers[i].path), "data/torture/w%u", i);
        start("watch", watch_worker, &watchers[i]);
    }
    for (unsigned int i = 0; i < NR_BLOCK_WORKERS; i++) {
        block_workers[i].index = i;
        block_workers[i].rng = 0x2545f4914f6cdd1dull + i;
        start("block", block_worker, &block_workers[i]);
    }
    start("hotplug", hotplug_monitor, NULL);
}

/* Until dom0 has put everything back as at the start (it writes
 * data/torture/settled): the disk attached, and connected here again if a
 * detach came after the workers stopped; all vCPUs up. */
static void wait_settled(void)
{
    uint64_t deadline = monotonic_ns() + SETTLE_TIMEOUT_NS;
    char value[8];
    static uint8_t sector[512];

    while (xenbus_read(XBT_NIL, "data/torture/settled", value, sizeof(value)) < 0 &&
           monotonic_ns() < deadline)
        sleep_ns(100 * NSEC_PER_MSEC);
    while ((!disk || block_read(disk, 0, 1, sector) == -XEN_ENODEV) && reconnect(disk))
        ;
    for (unsigned int cpu = 1; cpu < NR_VCPUS; cpu++)
        while (!smp_cpu_online(cpu) && monotonic_ns() < deadline)
            sleep_ns(10 * NSEC_PER_MSEC);
    /* Timers armed last are at most 2 ms ahead; closes finish. */
    sleep_ns(200 * NSEC_PER_MSEC);
}

static void check_events(void)
{
    unsigned long ops = 0, lost = 0, sent = 0, received = 0, bind_errors = 0;

    for (unsigned int i = 0; i < NR_VCPUS; i++) {
        ops += event_workers[i].ops;
        lost += event_workers[i].lost;
        sent += event_workers[i].sent;
        received += event_workers[i].received;
        bind_errors += event_workers[i].bind_errors;
    }
    printk("torture: events: %lu bind/send/close rounds, %lu sent, %lu handled, %lu lost, "
           "%lu bind errors\n", ops, sent, received, lost, bind_errors);
    if (lost || sent != received)
        failed("every event sent is handled", sent - received);
}

static void check_timers(void)
{
    unsigned long ops = 0, fired = 0, expected = 0;

    for (unsigned int i = 0; i < NR_VCPUS; i++) {
        ops += timer_workers[i].ops;
        fired += timer_workers[i].fired;
        expected += timer_workers[i].expected;
    }
    printk("torture: timers: %lu arm/cancel operations, %lu fired of %lu armed and not "
           "cancelled\n", ops, fired, expected);
    if (fired != expected)
        failed("every timer armed and not cancelled fires once", fired > expected ?
               fired - expected : expected - fired);
}

static void check_watches(void)
{
    unsigned long ops = 0, lost = 0, late = 0, errors = 0;

    for (unsigned int i = 0; i < NR_WATCHERS; i++) {
        ops += watchers[i].ops;
        lost += watchers[i].lost;
        late += watchers[i].late;
        errors += watchers[i].errors;
    }
    printk("torture: watches: %lu watch/write/unwatch rounds, %lu lost, %lu late, %lu errors\n",
           ops, lost, late, errors);
    if (lost)
        failed("no watch event is lost", lost);
    if (late)
        failed("no watch callback after xenbus_unwatch returned", late);
    if (errors)
        failed("xenstore calls succeed", errors);
}

static void check_block(void)
{
    unsigned long ops = 0, mismatches = 0, errors = 0, gone = 0;

    for (unsigned int i = 0; i < NR_BLOCK_WORKERS; i++) {
        ops += block_workers[i].ops;
        mismatches += block_workers[i].mismatches;
        errors += block_workers[i].errors;
        gone += block_workers[i].gone;
    }
    printk("torture: block: %lu write+read rounds, %lu ENODEV, %lu detaches, %lu reattaches, "
           "%lu mismatches, %lu other errors\n", ops, gone, detaches, reattaches, mismatches,
           errors);
    if (!disk)
        failed("the disk is connected again after dom0 re-attached it", detaches);
    if (mismatches)
        failed("block data reads back as written", mismatches);
    if (errors)
        failed("block requests end in success or ENODEV", errors);
}

static void check_resources(const struct resources *before)
{
    struct resources after = resources_now();

    printk("torture: resources: grants free %lu -> %lu, pages free or in the heap %lu -> %lu, "
           "heap in use %lu -> %lu bytes\n", before->grants_free, after.grants_free,
           before->pages, after.pages, before->heap_used, after.heap_used);
    if (after.grants_free != before->grants_free)
        failed("the grant table's free count returns to its start",
               before->grants_free - after.grants_free);
    if (after.pages != before->pages)
        failed("free pages return to their start", before->pages - after.pages);
}

int main(int argc, char **argv)
{
    unsigned long seconds = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;

    if (!seconds || smp_cpu_count() != NR_VCPUS || !(disk = block_open("xvda"))) {
        printk("torture: usage: torture SECONDS, with %u vCPUs and a disk xvda\n", NR_VCPUS);
        return 2;
    }
    struct resources before = resources_now();
    /* dom0's action writes data/torture/go once its loop starts. */
    char go[8];
    printk("torture: ready\n");
    while (xenbus_read(XBT_NIL, "data/torture/go", go, sizeof(go)) < 0)
        sleep_ns(100 * NSEC_PER_MSEC);
    printk("torture: running for %lu s on %u vCPUs\n", seconds, smp_cpu_count());
    start_workers();
    run_until(monotonic_ns() + seconds * NSEC_PER_SEC);
    stopped_at = monotonic_ns();
    stopping = true;
    printk("torture: stopping\n");
    for (unsigned int i = 0; i < nr_workers; i++)
        thread_join(workers[i]);
    wait_settled();
    printk("torture: %lu s, %lu hotplug cycles\n", seconds, hotplug_cycles);
    check_events();
    check_timers();
    check_watches();
    check_block();
    check_resources(&before);
    if (failures) {
        printk("torture: FAILED (%lu checks)\n", failures);
        return 1;
    }
    printk("torture: ok\n");
    return 0;
}
