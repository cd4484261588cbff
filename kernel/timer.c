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
 * from the TSC, so Xen may fire a few ns before monotonic_ns() reaches the
 * deadline. Then nothing is due, and the handler sets the same deadline
 * again, which fires again at once: timers never run early.
 *
 * The queue is shared between the handler and callers of timer_arm/cancel,
 * so those mask event delivery around their changes (local_irq_save).
 */
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <timer.h>
#include <utc.h>
#include <xen_shared.h>

/* mote runs on vCPU 0 only; the single-shot timer ops act on the calling vCPU. */
#define THIS_VCPU 0

struct timer_stats timer_stats;

static struct timer_heap queue = TIMER_HEAP_INIT;
static bool started;
/* Non-zero while the queue is being changed. Masking makes changes exclusive;
 * this checks it, because a handler running in the middle of a change would
 * corrupt the heap silently (an event delivered while masked, or a trap that
 * unmasked on its way back). */
static int queue_busy;
/* Whether Xen's single-shot timer is set, and for when. Cleared when it
 * fires, since a fired single-shot timer is gone. */
static bool xen_timer_set;
static uint64_t xen_timer_deadline;

static struct timer *timer_of(struct heap_node *n)
{
    return (struct timer *)n;   /* node is the first member of struct timer */
}

/* Points Xen's single-shot timer at the queue's earliest deadline, if that
 * changed. Called with event delivery masked. */
static void program_xen_timer(void)
{
    struct heap_node *first = heap_min(&queue);

    if (!first) {
        /* Nothing armed: stop Xen's timer so no stale event comes. */
        if (xen_timer_set) {
            xen_call(vcpu_op, VCPUOP_stop_singleshot_timer, THIS_VCPU, NULL);
            xen_timer_set = false;
            timer_stats.stopped++;
        }
        return;
    }
    if (xen_timer_set && xen_timer_deadline == first->key)
        return;

    /* flags 0, not VCPU_SSHOTTMR_future: a past deadline must still fire.
     * Xen keeps time as a signed 64-bit s_time_t, so a deadline past
     * INT64_MAX (a "never" such as UINT64_MAX) would wrap to the past and
     * fire at once, over and over; clamp it (INT64_MAX ns is 292 years). */
    uint64_t when = first->key > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : first->key;
    struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = when, .flags = 0 };
    if (xen_call(vcpu_op, VCPUOP_set_singleshot_timer, THIS_VCPU, &sst) < 0)
        panic("cannot program the single-shot timer for %llu ns",
              (unsigned long long)first->key);
    xen_timer_set = true;
    xen_timer_deadline = first->key;
    timer_stats.programmed++;
}

static void timer_virq(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    timer_stats.upcalls++;
    /* The event means Xen's single-shot timer fired (or a stale tick). */
    xen_timer_set = false;

    /* Only timers due now and queued before we started: one that re-arms
     * itself for a past deadline waits for the event that arming raises,
     * instead of looping here for ever. */
    uint64_t now = monotonic_ns();
    uint64_t queued_before = queue.next_seq;
    unsigned long ran = 0;
    struct heap_node *n;

    if (queue_busy)
        panic("timer queue re-entered (VIRQ_TIMER during a change)");
    while ((n = heap_min(&queue)) && n->key <= now && n->seq < queued_before) {
        struct timer *t = timer_of(n);
        heap_remove(&queue, n);
        timer_stats.fired++;
        ran++;
        t->fn(t, t->ctx);
    }
    if (!ran)
        timer_stats.idle_upcalls++;
    program_xen_timer();
}

void timer_init(struct timer *t, timer_fn fn, void *ctx)
{
    heap_node_init(&t->node);
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
    heap_remove(&queue, &t->node);
    heap_insert(&queue, &t->node, deadline_ns);
    program_xen_timer();
    queue_busy--;
    local_irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
    unsigned long flags = local_irq_save();
    if (queue_busy++)
        panic("timer queue re-entered (timer_cancel)");
    bool was_armed = heap_remove(&queue, &t->node);
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

void time_init(void)
{
    print_clock();

    if (evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL) < 0)
        panic("cannot bind VIRQ_TIMER");
    /* Xen starts PV vCPUs with a periodic tick; mote wants events only for
     * deadlines it asked for. */
    if (xen_call(vcpu_op, VCPUOP_stop_periodic_timer, THIS_VCPU, NULL) < 0)
        panic("cannot stop the periodic timer");
    started = true;
}
