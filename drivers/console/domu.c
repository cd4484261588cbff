/* SPDX-License-Identifier: MIT */
/*
 * The domU console back end: the shared ring page (xen/io/console.h, struct
 * xencons_interface) that xenconsoled serves, and its event channel, both
 * given in start_info->console.domU (xen.h).
 *
 * Output goes into out[] (ring.c), then we notify. When out[] is full the
 * writer blocks on the console event: xenconsoled notifies after it advances
 * out_cons, which wakes us (never a spin, never a dropped byte). Input is
 * taken from in[] on each event, and we notify after consuming so the back
 * end can send more.
 */
#include <clock.h>
#include <console.h>
#include <events.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <spinlock.h>
#include <suspend.h>
#include <xen_shared.h>
#include "backend.h"
#include "ring.h"

static struct xencons_ring ring;
static evtchn_port_t ring_port;
/* Set once the port has our handler: before that no one would wake a
 * blocked writer (events_init starts with every port masked). */
static bool port_bound;
static unsigned long reported_out_resets, reported_in_resets;

/* Held while we touch the ring: a spinlock, since printk runs on every
 * vCPU, which also masks delivery once events exist at all. */
static spinlock_t ring_spinlock = SPINLOCK_INIT;

static unsigned long ring_lock(void)
{
    return spin_lock_irqsave(&ring_spinlock);
}

static void ring_unlock(unsigned long flags)
{
    spin_unlock_irqrestore(&ring_spinlock, flags);
}

/*
 * Before mm_init, without any mapping call: the domain builder allocates the
 * console page among the "magic" pages of its boot mapping, below the
 * bootstrap page tables (xen.h, "Start-of-day memory layout"), so it is
 * already mapped at VIRT_BASE + pfn * PAGE_SIZE. Its pfn comes from Xen's
 * M2P and is checked against our own P2M (start_info->mfn_list): a frame that
 * is not ours, or not in that part of the mapping, gives NULL.
 */
static struct xencons_interface *ring_in_boot_mapping(xen_pfn_t mfn)
{
    const xen_pfn_t *p2m = (const xen_pfn_t *)start_info->mfn_list;

    if (mfn >= MACH2PHYS_NR_ENTRIES)
        return NULL;
    unsigned long pfn = mfn_to_pfn(mfn);
    if (pfn >= start_info->nr_pages || p2m[pfn] != mfn)
        return NULL;
    unsigned long va = VIRT_BASE + pfn * PAGE_SIZE;
    if (va >= start_info->pt_base)
        return NULL;
    return (struct xencons_interface *)va;
}

bool console_domu_attach(void)
{
    struct xencons_interface *page = ring_in_boot_mapping(start_info->console.domU.mfn);

    if (!page)
        return false;   /* console_io until console_domu_remap */
    console_domu_use(page, start_info->console.domU.evtchn);
    return true;
}

bool console_domu_remap(void)
{
    /* The ring is one of our own pages, given by machine frame (xen.h,
     * start_info.console.domU.mfn): map it with the memory manager. */
    struct xencons_interface *page = map_foreign_page(start_info->console.domU.mfn, DOMID_SELF);

    if (!page) {
        static const char msg[] = "mote: console: cannot map the ring page; using console_io\n";
        console_emergency_write(msg, sizeof(msg) - 1);
        return false;
    }
    if (!ring.intf) {
        console_domu_use(page, start_info->console.domU.evtchn);
        return true;
    }
    /* Same frame, new address: our indices carry over. */
    unsigned long flags = ring_lock();
    ring.intf = page;
    ring_unlock(flags);
    return true;
}

void console_domu_use(struct xencons_interface *page, evtchn_port_t port)
{
    ring_port = port;
    port_bound = false;
    xencons_ring_attach(&ring, page, true);
    reported_out_resets = reported_in_resets = 0;
}

/* Writes what fits now and notifies; returns the bytes taken. */
static size_t write_some(const char *buf, size_t len)
{
    unsigned long flags = ring_lock();
    size_t n = xencons_ring_write(&ring, buf, len);
    ring_unlock(flags);

    if (n)
        evtchn_send(ring_port);
    return n;
}

/*
 * Waits until out[] has room for any byte (a "\n" needs two slots); never
 * spins. A thread sleeps (wait_until) so other threads run meanwhile. With
 * delivery masked (a printk from an event handler or a masked section) no
 * handler may run, so the vCPU waits in Xen with SCHEDOP_poll on the
 * console port, which, unlike SCHEDOP_block, leaves delivery masked
 * (sched.h); xenconsoled's notification after it consumes wakes it. A
 * notification consumed this way is raised again afterwards, so the input
 * handler still sees it.
 */
static void wait_for_space(void)
{
    if (!port_bound) {
        /* Early boot, before events: give the back end the CPU. Only the
         * banner is written this early, and it fits in the ring. */
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        return;
    }
    if (!local_irq_is_disabled()) {
        wait_until(xencons_ring_out_space(&ring) >= XENCONS_WRITE_MIN_SPACE);
        return;
    }
    bool consumed = false;
    while (xencons_ring_out_space(&ring) < XENCONS_WRITE_MIN_SPACE) {
        if (evtchn_is_pending(ring_port)) {
            /* Already pending: polling would return at once. Take it and
             * look at the indices again. */
            evtchn_clear_pending(ring_port);
            consumed = true;
            continue;
        }
        stat_inc(event_stats.blocks);
        evtchn_poll(&ring_port, 1, 0);
    }
    if (consumed)
        evtchn_notify_local(ring_port);
}

static void write_all(const char *buf, size_t len)
{
    while (len) {
        size_t n = write_some(buf, len);
        buf += n;
        len -= n;
        if (len)
            wait_for_space();
    }
}

/* The ring code only counts bad indices (it cannot print); say so here, in
 * process context, before the next output. */
static void report_resets(void)
{
    char msg[160];

    if (ring.out_resets == reported_out_resets && ring.in_resets == reported_in_resets)
        return;
    int n = snprintf(msg, sizeof(msg),
                     "mote: console: back end gave indices outside the ring "
                     "(out_cons %lu times, in_prod %lu times); ring resynchronised\n",
                     ring.out_resets, ring.in_resets);
    reported_out_resets = ring.out_resets;
    reported_in_resets = ring.in_resets;
    write_all(msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

static void domu_write(const char *buf, size_t len)
{
    report_resets();
    write_all(buf, len);
}

/*
 * Panic path: the back end may be wedged, so wait for room only until
 * EMERGENCY_WAIT_NS after the first emergency write. A fault report (32
 * backtrace frames) is longer than out[] (2 KiB), and its last line, the
 * reason, matters most: without the wait it was dropped whenever
 * xenconsoled had not yet read the start. The wait is SCHEDOP_poll on the
 * console port with a timeout (sched.h, sched_poll.timeout: absolute
 * system time), which leaves event delivery masked.
 */
#define EMERGENCY_WAIT_NS (2 * NSEC_PER_SEC)

static void domu_write_emergency(const char *buf, size_t len)
{
    static uint64_t deadline;
    size_t done = 0;

    if (!deadline)
        deadline = monotonic_ns() + EMERGENCY_WAIT_NS;
    while (done < len) {
        done += write_some(buf + done, len - done);
        if (done == len || !port_bound || monotonic_ns() > deadline)
            break;
        if (evtchn_is_pending(ring_port))
            evtchn_clear_pending(ring_port);
        else
            evtchn_poll(&ring_port, 1, deadline);
    }
    console_emergency_write(buf, len);
}

/* One reader of the input ring at a time: the event handler on the port's
 * vCPU and console_read's poll on another would both advance in_cons. Not
 * ring_spinlock: an input handler may print, which takes that one. */
static spinlock_t input_poll_lock = SPINLOCK_INIT;

static void domu_poll_input(void)
{
    char chunk[128];
    size_t room, n;
    bool consumed = false;
    unsigned long flags = spin_lock_irqsave(&input_poll_lock);

    while ((room = console_input_room()) > 0 &&
           (n = xencons_ring_read(&ring, chunk, room < sizeof(chunk) ? room : sizeof(chunk)))) {
        console_input_push(chunk, n);
        consumed = true;
    }
    spin_unlock_irqrestore(&input_poll_lock, flags);
    if (consumed)
        evtchn_send(ring_port);
}

static void domu_event(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    /* Output needs nothing here: a blocked writer re-checks out_cons when
     * events_block returns. */
    domu_poll_input();
}

/* A new domain has a new console event channel (start_info, rewritten by
 * the restore); the ring page is the same pfn, so its mapping holds. */
static void domu_resume(bool new_domain)
{
    if (!new_domain || !ring.intf)
        return;
    ring_port = start_info->console.domU.evtchn;
    if (port_bound)
        evtchn_bind_existing(ring_port, domu_event, NULL);
    evtchn_send(ring_port);
}

static struct suspend_hook domu_suspend_hook = { .name = "console", .resume_masked = domu_resume };

static void domu_start_input(void)
{
    suspend_hook_add(&domu_suspend_hook);
    if (evtchn_bind_existing(ring_port, domu_event, NULL) < 0)
        return;     /* reported; output keeps working without waits */
    port_bound = true;
    unsigned long flags = local_irq_save();
    domu_poll_input();
    local_irq_restore(flags);
}

const struct console_backend console_domu_backend = {
    .name = "xen console ring",
    .write = domu_write,
    .write_emergency = domu_write_emergency,
    .start_input = domu_start_input,
    .poll_input = domu_poll_input,
};
