/* SPDX-License-Identifier: MIT */
/*
 * The timer driver (include/timer.h): a software queue of one-shot timers on
 * top of Xen's per-vCPU single-shot timer.
 *
 * Xen gives each vCPU one single-shot timer (VCPUOP_set_singleshot_timer,
 * xen/vcpu.h) and, by default, a periodic tick; both raise VIRQ_TIMER. mote
 * stops the tick and keeps Xen's single-shot timer set to the earliest
 * deadline in the queue. When VIRQ_TIMER arrives, the handler runs every timer
 * due by the time it started, then programs the next deadline.
 *
 * A deadline in the past: VCPU_SSHOTTMR_future would make Xen refuse it with
 * -ETIME ("can be ignored by the hypervisor", vcpu.h). We pass no flags, so
 * Xen sets its timer for a time already gone and raises VIRQ_TIMER at once.
 *
 * Xen's clock and ours are the same system time, but ours is extrapolated
 * from the TSC between Xen's updates of vcpu_time_info, and the two drift
 * apart: under QEMU's TCG by up to tens of ms (README, Time). When Xen's
 * clock leads, Xen fires before monotonic_ns() reaches the deadline. Timers
 * never run early, so nothing is due; asking Xen for the same deadline again
 * would fire at once, again and again until our clock caught up: a busy loop
 * of upcalls. Instead the driver keeps `xen_lead`, how far after a deadline
 * (on our clock) Xen is asked to fire. An early event raises it by the time
 * still to go plus TIMER_MIN_DELTA_NS, so the next request lies at least that
 * far beyond what Xen's clock has already passed (Linux also never programs
 * Xen's timer less than 100 us ahead, TIMER_SLOP in arch/x86/xen/time.c).
 * Nothing shows when the clocks come back together (a late event may as
 * well be the host being slow), so a lead not renewed by an early event for
 * TIMER_LEAD_HALF_LIFE_NS is halved, about as often as Xen recalibrates our
 * time. A steady lead then costs about one early upcall per second, not a
 * loop at every firing; a lead that is gone makes timers late by what is
 * left of it, for at most a few half-lives.
 *
 * The queue is shared between the handler and callers of timer_arm/cancel,
 * so those mask event delivery around their changes (local_irq_save).
 */
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <suspend.h>
#include <symbols.h>
#include <timer.h>
#include <utc.h>
#include <xen_shared.h>

/* mote runs on vCPU 0 only; the single-shot timer ops act on the calling vCPU. */
#define THIS_VCPU 0

struct timer_stats timer_stats;

static struct timerq queue = TIMERQ_INIT;
static bool started;
/* Non-zero while the queue is being changed. Masking makes changes exclusive;
 * this checks it, because a handler running in the middle of a change would
 * corrupt the heap silently (an event delivered while masked, or a trap that
 * unmasked on its way back). */
static int queue_busy;
/* Whether Xen's single-shot timer is set, and for which queue deadline.
 * Cleared when it fires, since a fired single-shot timer is gone. */
static bool xen_timer_set;
static uint64_t xen_timer_deadline;
static evtchn_port_t timer_port;

/* The lead is learned from early events, which also come from noise (an
 * event left over from a cancelled deadline); more than this is not a
 * clock difference, and is not learned. */
#define TIMER_MIN_DELTA_NS      100000ULL
#define TIMER_MAX_LEAD_NS       (100 * 1000 * 1000ULL)
#define TIMER_LEAD_HALF_LIFE_NS (1000 * 1000 * 1000ULL)
static uint64_t xen_lead, xen_lead_since;

static uint64_t add_clamped(uint64_t a, uint64_t b)
{
    /* Xen keeps time as a signed 64-bit s_time_t, so a deadline past
     * INT64_MAX (a "never" such as UINT64_MAX) would wrap to the past and
     * fire at once, over and over; clamp it (INT64_MAX ns is 292 years). */
    return a > (uint64_t)INT64_MAX - b ? (uint64_t)INT64_MAX : a + b;
}

static struct timer *timer_of(struct timerq_node *n)
{
    return (struct timer *)n;   /* node is the first member of struct timer */
}

/* Points Xen's single-shot timer at the queue's earliest deadline, if that
 * changed. Called with event delivery masked. */
static void program_xen_timer(void)
{
    struct timerq_node *first = timerq_min(&queue);

    if (!first) {
        /* Nothing armed: stop Xen's timer so no stale event comes. */
        if (xen_timer_set) {
            xen_call(vcpu_op, VCPUOP_stop_singleshot_timer, THIS_VCPU, NULL);
            evtchn_clear_pending(timer_port);
            xen_timer_set = false;
            timer_stats.stopped++;
        }
        return;
    }
    if (xen_timer_set && xen_timer_deadline == first->key)
        return;

    /* An event still pending is for the deadline being replaced, and this
     * request covers it (the queue's earliest, fired at once if past);
     * dropping it means every VIRQ_TIMER answers the request last made,
     * which is what the handler's lead estimate needs. */
    evtchn_clear_pending(timer_port);
    /* flags 0, not VCPU_SSHOTTMR_future: a past deadline must still fire. */
    uint64_t when = add_clamped(first->key, xen_lead);
    struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = when, .flags = 0 };
    if (xen_call(vcpu_op, VCPUOP_set_singleshot_timer, THIS_VCPU, &sst) < 0)
        panic("cannot program the single-shot timer for %llu ns",
              (unsigned long long)first->key);
    xen_timer_set = true;
    xen_timer_deadline = first->key;
    timer_stats.programmed++;
}

/*
 * Adjusts xen_lead after Xen's timer fired for queue deadline `deadline`
 * (see the file comment). `now` is our clock in the handler; `ran` whether
 * any timer was due.
 */
static void learn_lead(uint64_t deadline, uint64_t now, bool ran)
{
    if (!ran && deadline > now) {
        uint64_t early = deadline - now;
        timer_stats.early++;
        if (early < TIMER_MAX_LEAD_NS) {
            xen_lead += early + TIMER_MIN_DELTA_NS;
            if (xen_lead > TIMER_MAX_LEAD_NS)
                xen_lead = TIMER_MAX_LEAD_NS;
            xen_lead_since = now;
        }
    } else if (xen_lead && now - xen_lead_since > TIMER_LEAD_HALF_LIFE_NS) {
        xen_lead /= 2;
        xen_lead_since = now;
    }
    timer_stats.xen_lead_ns = xen_lead;
}

static void timer_virq(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    timer_stats.upcalls++;
    /* The event means Xen's single-shot timer fired: the one last set, as
     * program_xen_timer drops events of earlier ones. */
    bool was_set = xen_timer_set;
    uint64_t deadline = xen_timer_deadline;
    xen_timer_set = false;

    /* Only timers due now and queued before we started: one that re-arms
     * itself for a past deadline waits for the event that arming raises,
     * instead of looping here for ever. */
    uint64_t now = monotonic_ns();
    uint64_t queued_before = queue.next_seq;
    unsigned long ran = 0;
    struct timerq_node *n;

    if (queue_busy)
        panic("timer queue re-entered (VIRQ_TIMER during a change)");
    while ((n = timerq_min(&queue)) && n->key <= now && n->seq < queued_before) {
        struct timer *t = timer_of(n);
        timerq_remove(&queue, n);
        timer_stats.fired++;
        ran++;
        t->fn(t, t->ctx);
    }
    if (!ran)
        timer_stats.idle_upcalls++;
    if (was_set)
        learn_lead(deadline, now, ran != 0);
    program_xen_timer();
}

void timer_init(struct timer *t, timer_fn fn, void *ctx)
{
    timerq_node_init(&t->node);
    t->fn = fn;
    t->ctx = ctx;
}

void timer_arm(struct timer *t, uint64_t deadline_ns)
{
    if (!started)
        panic("timer_arm before time_init");

    unsigned long flags = local_irq_save();
    if (queue_busy++)
        panic("timer queue re-entered (timer_arm)");
    timerq_remove(&queue, &t->node);
    timerq_insert(&queue, &t->node, deadline_ns);
    program_xen_timer();
    queue_busy--;
    local_irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
    unsigned long flags = local_irq_save();
    if (queue_busy++)
        panic("timer queue re-entered (timer_cancel)");
    bool was_armed = timerq_remove(&queue, &t->node);
    queue_busy--;

    /* Leaving Xen set for a cancelled first deadline would cost one idle
     * upcall; reprogramming (or stopping) avoids it. */
    if (was_armed && started)
        program_xen_timer();
    local_irq_restore(flags);
    return was_armed;
}

bool timer_armed(const struct timer *t)
{
    return t->node.queued;
}

static void print_clock(void)
{
    struct wallclock wc = wallclock_now();
    char date[48];
    uint64_t hz = clock_tsc_hz();

    utc_format(date, sizeof(date), wc.sec);
    printk("  time         %s (unix %lld.%09u), system time %llu ns, tsc %llu.%03llu MHz\n",
           date, (long long)wc.sec, wc.nsec, (unsigned long long)monotonic_ns(),
           (unsigned long long)(hz / 1000000), (unsigned long long)(hz / 1000 % 1000));
}

static void bind_timer_virq(void)
{
    int port = evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL);
    if (port < 0)
        panic("cannot bind VIRQ_TIMER");
    timer_port = (evtchn_port_t)port;
    /* Xen starts PV vCPUs with a periodic tick; mote wants events only for
     * deadlines it asked for. */
    if (xen_call(vcpu_op, VCPUOP_stop_periodic_timer, THIS_VCPU, NULL) < 0)
        panic("cannot stop the periodic timer");
}

/* After a suspend: in a new domain VIRQ_TIMER is unbound and the vCPU has
 * its periodic tick again; either way Xen's timer is set anew. */
static void timer_resume(bool new_domain)
{
    if (new_domain)
        bind_timer_virq();
    xen_timer_set = false;
    program_xen_timer();
}

static struct suspend_hook timer_suspend_hook = { .name = "timer", .resume_masked = timer_resume };

void time_init(void)
{
    print_clock();
    bind_timer_virq();
    started = true;
    suspend_hook_add(&timer_suspend_hook);
}

/* sysrq 'q' (kernel/sysrq.c): the queue and what Xen's timer is set to. */
void timer_dump(void)
{
    unsigned long flags = local_irq_save();
    struct timerq_node *first = timerq_min(&queue);
    uint64_t now = monotonic_ns();

    printk("sysrq: timers: %lu armed, now %llu ns\n", (unsigned long)queue.count,
           (unsigned long long)now);
    if (first) {
        unsigned long offset;
        const char *fn = symbol_lookup((unsigned long)timer_of(first)->fn, &offset);
        printk("  next deadline %llu ns (in %lld ns), function %s\n",
               (unsigned long long)first->key, (long long)(first->key - now), fn ? fn : "?");
    }
    if (xen_timer_set)
        printk("  Xen single-shot timer set for %llu ns + lead %llu ns\n",
               (unsigned long long)xen_timer_deadline, (unsigned long long)xen_lead);
    else
        printk("  Xen single-shot timer stopped\n");
    printk("  %lu upcalls (%lu idle, %lu early), %lu fired, %lu programmed, %lu stopped\n",
           timer_stats.upcalls, timer_stats.idle_upcalls, timer_stats.early, timer_stats.fired,
           timer_stats.programmed, timer_stats.stopped);
    local_irq_restore(flags);
}
