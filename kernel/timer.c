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
 * Each vCPU has its own queue (struct timer_cpu below), shared between its
 * handler and callers of timer_arm/cancel, so those take its lock, which
 * masks event delivery too.
 */
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <smp.h>
#include <spinlock.h>
#include <suspend.h>
#include <symbols.h>
#include <timer.h>
#include <utc.h>
#include <xen_shared.h>

struct timer_stats timer_stats;

/* The lead is learned from early events, which also come from noise (an
 * event left over from a cancelled deadline); more than this is not a
 * clock difference, and is not learned. */
#define TIMER_MIN_DELTA_NS      100000ULL
#define TIMER_MAX_LEAD_NS       (100 * 1000 * 1000ULL)
#define TIMER_LEAD_HALF_LIFE_NS (1000 * 1000 * 1000ULL)

/* Each vCPU's queue and Xen timer: struct timer_cpu (include/timer_cpu.h),
 * kept in the vCPU's struct cpu, so it costs memory only for vCPUs that
 * exist. A struct cpu is never freed, so a timer's t->cpu always names one. */
static struct timer_cpu *timer_cpu_of(unsigned int cpu)
{
    return &cpus[cpu]->timer;
}
static bool started;

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

/* Points this vCPU's Xen single-shot timer at its queue's earliest
 * deadline, if that changed. Called on tc's vCPU with tc->lock held. */
static void program_xen_timer(struct timer_cpu *tc)
{
    struct timerq_node *first = timerq_min(&tc->queue);

    if (!first) {
        /* Nothing armed: stop Xen's timer so no stale event comes. */
        if (tc->xen_timer_set) {
            xen_call(vcpu_op, VCPUOP_stop_singleshot_timer, tc->cpu, NULL);
            evtchn_clear_pending(tc->port);
            tc->xen_timer_set = false;
            stat_inc(timer_stats.stopped);
        }
        return;
    }
    if (tc->xen_timer_set && tc->xen_timer_deadline == first->key)
        return;

    /* An event still pending is for the deadline being replaced, and this
     * request covers it (the queue's earliest, fired at once if past);
     * dropping it means every VIRQ_TIMER answers the request last made,
     * which is what the handler's lead estimate needs. */
    evtchn_clear_pending(tc->port);
    /* flags 0, not VCPU_SSHOTTMR_future: a past deadline must still fire. */
    uint64_t when = add_clamped(first->key, tc->xen_lead);
    struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = when, .flags = 0 };
    if (xen_call(vcpu_op, VCPUOP_set_singleshot_timer, tc->cpu, &sst) < 0)
        panic("cannot program the single-shot timer for %llu ns",
              (unsigned long long)first->key);
    tc->xen_timer_set = true;
    tc->xen_timer_deadline = first->key;
    stat_inc(timer_stats.programmed);
}

/*
 * Adjusts xen_lead after Xen's timer fired for queue deadline `deadline`
 * (see the file comment). `now` is our clock in the handler; `ran` whether
 * any timer was due.
 */
static void learn_lead(struct timer_cpu *tc, uint64_t deadline, uint64_t now, bool ran)
{
    if (!ran && deadline > now) {
        uint64_t early = deadline - now;
        stat_inc(timer_stats.early);
        if (early < TIMER_MAX_LEAD_NS) {
            tc->xen_lead += early + TIMER_MIN_DELTA_NS;
            if (tc->xen_lead > TIMER_MAX_LEAD_NS)
                tc->xen_lead = TIMER_MAX_LEAD_NS;
            tc->xen_lead_since = now;
        }
    } else if (tc->xen_lead && now - tc->xen_lead_since > TIMER_LEAD_HALF_LIFE_NS) {
        tc->xen_lead /= 2;
        tc->xen_lead_since = now;
    }
    timer_stats.xen_lead_ns = tc->xen_lead;
}

static void timer_virq(evtchn_port_t port, void *ctx)
{
    struct timer_cpu *tc = ctx;

    (void)port;
    unsigned long flags = spin_lock_irqsave(&tc->lock);
    stat_inc(timer_stats.upcalls);
    /* The event means Xen's single-shot timer fired: the one last set, as
     * program_xen_timer drops events of earlier ones. */
    bool was_set = tc->xen_timer_set;
    uint64_t deadline = tc->xen_timer_deadline;
    tc->xen_timer_set = false;

    /* Only timers due now and queued before we started: one that re-arms
     * itself for a past deadline waits for the event that arming raises,
     * instead of looping here for ever. */
    uint64_t now = monotonic_ns();
    timer_stats.last_upcall_ns = now;
    uint64_t queued_before = tc->queue.next_seq;
    unsigned long ran = 0;
    struct timerq_node *n;

    if (tc->queue_busy)
        panic("timer queue re-entered (VIRQ_TIMER during a change)");
    while ((n = timerq_min(&tc->queue)) && n->key <= now && n->seq < queued_before) {
        struct timer *t = timer_of(n);
        timerq_remove(&tc->queue, n);
        stat_inc(timer_stats.fired);
        ran++;
        /* Unlocked: the function may arm or cancel timers, this one too.
         * fn and ctx are read first: once the lock is dropped, a thread on
         * another vCPU may cancel `t` and reuse its memory. */
        timer_fn fn = t->fn;
        void *ctx = t->ctx;
        tc->running = t;
        spin_unlock_irqrestore(&tc->lock, flags);
        fn(t, ctx);
        flags = spin_lock_irqsave(&tc->lock);
        WRITE_ONCE(tc->running, NULL);
    }
    if (!ran)
        stat_inc(timer_stats.idle_upcalls);
    if (was_set)
        learn_lead(tc, deadline, now, ran != 0);
    program_xen_timer(tc);
    spin_unlock_irqrestore(&tc->lock, flags);
}

void timer_init(struct timer *t, timer_fn fn, void *ctx)
{
    timerq_node_init(&t->node);
    t->fn = fn;
    t->ctx = ctx;
    t->cpu = 0;
}

/*
 * Which queue a timer is on (t->cpu) changes only with the locks of both the
 * old and the new queue held (timer_arm, adopt_timers), so whoever holds
 * the lock of queue t->cpu and then still finds t->cpu naming it may change
 * the timer. Locks of two queues are taken in vCPU order.
 */
static struct timer_cpu *lock_timer_queue(struct timer *t)
{
    for (;;) {
        struct timer_cpu *tc = timer_cpu_of(READ_ONCE(t->cpu));
        spin_lock(&tc->lock);
        if (tc->cpu == READ_ONCE(t->cpu))
            return tc;
        spin_unlock(&tc->lock);
    }
}

/* Takes `t` off the queue it is on, if any; true if it was on one. With
 * delivery masked. */
static bool dequeue_timer(struct timer *t)
{
    struct timer_cpu *tc = lock_timer_queue(t);

    if (tc->queue_busy++)
        panic("timer queue re-entered (timer_cancel)");
    bool was_armed = timerq_remove(&tc->queue, &t->node);
    tc->queue_busy--;
    /* Leaving Xen set for a cancelled first deadline would cost one idle
     * upcall; reprogramming (or stopping) avoids it. Only possible on the
     * timer's own vCPU: elsewhere the stale event is one idle upcall. */
    if (was_armed && tc->cpu == this_cpu_id())
        program_xen_timer(tc);
    spin_unlock(&tc->lock);
    return was_armed;
}

/* The queue of another vCPU whose handler is running t's function now, or
 * NULL. Every queue, not only t->cpu's: a thread elsewhere may have armed
 * t again (moving it) while its function runs. */
static struct timer_cpu *running_elsewhere(const struct timer *t)
{
    unsigned int self = this_cpu_id();

    for (unsigned int cpu = 0; cpu < smp_cpu_max(); cpu++)
        if (cpu != self && cpus[cpu] && __atomic_load_n(&cpus[cpu]->timer.running,
                                                        __ATOMIC_ACQUIRE) == t)
            return &cpus[cpu]->timer;
    return NULL;
}

void timer_arm(struct timer *t, uint64_t deadline_ns)
{
    if (!started)
        panic("timer_arm before time_init");

    /* Masked throughout: the caller stays on this vCPU. */
    unsigned long flags = local_irq_save();
    struct timer_cpu *tc = timer_cpu_of(this_cpu_id()), *old;
    for (;;) {
        old = timer_cpu_of(READ_ONCE(t->cpu));
        if (old == tc) {
            spin_lock(&tc->lock);
        } else {
            spin_lock(old->cpu < tc->cpu ? &old->lock : &tc->lock);
            spin_lock(old->cpu < tc->cpu ? &tc->lock : &old->lock);
        }
        if (old->cpu == READ_ONCE(t->cpu))
            break;
        spin_unlock(&tc->lock);
        if (old != tc)
            spin_unlock(&old->lock);
    }
    if (old->queue_busy++ || (old != tc && tc->queue_busy++))
        panic("timer queue re-entered (timer_arm)");
    timerq_remove(&old->queue, &t->node);
    t->cpu = tc->cpu;
    timerq_insert(&tc->queue, &t->node, deadline_ns);
    program_xen_timer(tc);
    old->queue_busy--;
    if (old != tc) {
        tc->queue_busy--;
        spin_unlock(&old->lock);
    }
    spin_unlock(&tc->lock);
    local_irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
    if (!started)
        return false;
    unsigned long flags = local_irq_save();
    bool was_armed = dequeue_timer(t);
    /* If its function is running on another vCPU, wait for it to return:
     * the caller may free what the function uses (a timer on its stack).
     * The function may arm t again before it returns, so take t off its
     * queue again after each wait, until it is neither queued nor running
     * (Linux's del_timer_sync loops the same way). Not from an event
     * handler: two handlers cancelling each other's timers would wait for
     * each other. Its own vCPU cannot be running it, unless we are it. */
    struct timer_cpu *tc;
    while (!this_cpu()->upcall_depth && (tc = running_elsewhere(t))) {
        while (__atomic_load_n(&tc->running, __ATOMIC_ACQUIRE) == t)
            cpu_relax();
        was_armed |= dequeue_timer(t);
    }
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

static void bind_timer_virq(struct timer_cpu *tc)
{
    int port = evtchn_bind_virq_on(VIRQ_TIMER, tc->cpu, timer_virq, tc);
    if (port < 0)
        panic("cannot bind VIRQ_TIMER for vCPU %u", tc->cpu);
    tc->port = (evtchn_port_t)port;
    /* Xen starts PV vCPUs with a periodic tick; mote wants events only for
     * deadlines it asked for. */
    if (xen_call(vcpu_op, VCPUOP_stop_periodic_timer, tc->cpu, NULL) < 0)
        panic("cannot stop the periodic timer of vCPU %u", tc->cpu);
}

void timer_cpu_init(void)
{
    unsigned int cpu = this_cpu_id();
    struct timer_cpu *tc = timer_cpu_of(cpu);

    tc->cpu = cpu;
    tc->queue = (struct timerq)TIMERQ_INIT;
    bind_timer_virq(tc);
}

/* On vCPU 0: moves every timer of vCPU `arg`'s queue to its own. */
static void adopt_timers(void *arg)
{
    struct timer_cpu *from = arg, *to = timer_cpu_of(this_cpu_id());
    struct timerq_node *n;

    /* In vCPU order, as timer_arm takes two queues' locks. */
    spin_lock(from->cpu < to->cpu ? &from->lock : &to->lock);
    spin_lock(from->cpu < to->cpu ? &to->lock : &from->lock);
    while ((n = timerq_min(&from->queue))) {
        uint64_t deadline = n->key;
        timerq_remove(&from->queue, n);
        timer_of(n)->cpu = to->cpu;
        timerq_insert(&to->queue, n, deadline);
    }
    program_xen_timer(to);
    spin_unlock(&to->lock);
    spin_unlock(&from->lock);
}

void timer_cpu_offline(void)
{
    struct timer_cpu *tc = timer_cpu_of(this_cpu_id());
    unsigned long flags = spin_lock_irqsave(&tc->lock);

    if (tc->xen_timer_set) {
        xen_call(vcpu_op, VCPUOP_stop_singleshot_timer, tc->cpu, NULL);
        evtchn_clear_pending(tc->port);
        tc->xen_timer_set = false;
    }
    spin_unlock_irqrestore(&tc->lock, flags);
    smp_call(0, adopt_timers, tc, true);
}

/* After a suspend, on the vCPU that suspended (the others are down then,
 * and bind their own port again when they come up): in a new domain
 * VIRQ_TIMER is unbound and the vCPU has its periodic tick again; either
 * way Xen's timer is set anew. */
static void timer_resume(bool new_domain)
{
    struct timer_cpu *tc = timer_cpu_of(this_cpu_id());
    unsigned long flags = spin_lock_irqsave(&tc->lock);

    if (new_domain)
        bind_timer_virq(tc);
    tc->xen_timer_set = false;
    program_xen_timer(tc);
    spin_unlock_irqrestore(&tc->lock, flags);
}

static struct suspend_hook timer_suspend_hook = { .name = "timer", .resume_masked = timer_resume };

void time_init(void)
{
    print_clock();
    timer_cpu_init();
    started = true;
    suspend_hook_add(&timer_suspend_hook);
}

/* sysrq 'q' (lifecycle/sysrq.c): each vCPU's queue and what its Xen timer is set to. */
void timer_dump(void)
{
    uint64_t now = monotonic_ns();
    unsigned long armed = 0;

    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
        if (cpus[cpu])
            armed += __atomic_load_n(&cpus[cpu]->timer.queue.count, __ATOMIC_RELAXED);
    printk("sysrq: timers: %lu armed, now %llu ns\n", armed, (unsigned long long)now);
    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
        if (!cpus[cpu] || !cpus[cpu]->online)
            continue;
        struct timer_cpu *tc = timer_cpu_of(cpu);
        unsigned long flags = spin_lock_irqsave(&tc->lock);
        struct timerq_node *first = timerq_min(&tc->queue);
        printk("  vCPU %u: %lu armed\n", cpu, (unsigned long)tc->queue.count);
        if (first) {
            unsigned long offset;
            const char *fn = symbol_lookup((unsigned long)timer_of(first)->fn, &offset);
            printk("    next deadline %llu ns (in %lld ns), function %s\n",
                   (unsigned long long)first->key, (long long)(first->key - now), fn ? fn : "?");
        }
        if (tc->xen_timer_set)
            printk("    Xen single-shot timer set for %llu ns + lead %llu ns\n",
                   (unsigned long long)tc->xen_timer_deadline, (unsigned long long)tc->xen_lead);
        else
            printk("    Xen single-shot timer stopped\n");
        spin_unlock_irqrestore(&tc->lock, flags);
    }
    printk("  %lu upcalls (%lu idle, %lu early), %lu fired, %lu programmed, %lu stopped\n",
           timer_stats.upcalls, timer_stats.idle_upcalls, timer_stats.early, timer_stats.fired,
           timer_stats.programmed, timer_stats.stopped);
}
