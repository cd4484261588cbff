/* SPDX-License-Identifier: MIT */
/*
 * evtest: event-channel boot tests (tests/boot/events.sh). argv[1] names the
 * scenario; each prints counts that the test checks exactly, and returns 0
 * only when its own checks pass too.
 *
 * A loopback pair is two ports of this domain joined to each other:
 * EVTCHNOP_alloc_unbound for DOMID_SELF, then EVTCHNOP_bind_interdomain to
 * it (event_channel.h: "<remote_dom> may be DOMID_SELF, allowing loopback
 * connections"). A send on one end makes the other end pending.
 */
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <timer.h>
#include <xen_shared.h>

struct counter {
    volatile unsigned long count;
    evtchn_port_t reply_to;     /* if non-zero, send here from the handler */
};

static void count_event(evtchn_port_t port, void *ctx)
{
    struct counter *c = ctx;

    (void)port;
    c->count++;
    if (c->reply_to)
        evtchn_send(c->reply_to);
}

struct loopback {
    evtchn_port_t a, b;         /* sending on b makes a pending, and back */
};

static struct loopback loopback_open(struct counter *on_a, struct counter *on_b)
{
    struct loopback l;
    int a = evtchn_alloc_unbound(DOMID_SELF, count_event, on_a);
    if (a < 0)
        panic("alloc_unbound failed: %d", a);
    int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, count_event, on_b);
    if (b < 0)
        panic("bind_interdomain failed: %d", b);
    l.a = (evtchn_port_t)a;
    l.b = (evtchn_port_t)b;
    /* Xen's bind_interdomain sets the new local port pending once, to cover
     * notifications lost while the other end was unbound; that spurious
     * event was handled when attach() unmasked b. Start counting from here. */
    on_a->count = 0;
    on_b->count = 0;
    return l;
}

/* 100,000 round trips: send a->b; b's handler replies b->a; wait for a's. */
static int pingpong(unsigned long rounds)
{
    static struct counter on_a, on_b;
    struct loopback l = loopback_open(&on_a, &on_b);
    on_b.reply_to = l.b;            /* b's handler sends back to a */

    for (unsigned long i = 0; i < rounds; i++) {
        evtchn_send(l.a);
        wait_until(on_a.count == i + 1);
    }
    printk("pingpong: ports %u<->%u rounds %lu a=%lu b=%lu\n", l.a, l.b, rounds,
           on_a.count, on_b.count);
    return on_a.count == rounds && on_b.count == rounds ? 0 : 1;
}

/* Sends while masked run no handler; unmask runs it exactly once. */
static int masked(void)
{
    static struct counter on_a, on_b;
    struct loopback l = loopback_open(&on_a, &on_b);

    evtchn_mask(l.a);
    for (int i = 0; i < 5; i++)
        evtchn_send(l.b);
    /* Give Xen every chance to deliver: a hypercall returns through its upcall check. */
    events_force_callback();
    printk("masked: pending=%d handler_calls=%lu\n", evtchn_is_pending(l.a), on_a.count);
    unsigned long before = on_a.count;
    evtchn_unmask(l.a);
    events_force_callback();
    printk("masked: after unmask handler_calls=%lu pending=%d\n", on_a.count,
           evtchn_is_pending(l.a));
    return before == 0 && on_a.count == 1 ? 0 : 1;
}

/*
 * A handler that masks another port of the same word. Ports A and B (the
 * receiving ends of two loopback pairs, A the lower) are made pending with
 * delivery masked, so one upcall finds both ready in one word. A's handler
 * masks B: B's handler must not run in that upcall (the dispatcher
 * re-reads pending & ~mask before each port, as Linux does), nor until B is
 * unmasked, and then exactly once.
 */
static struct counter mask_a_seen, mask_b_seen;
static evtchn_port_t mask_target;

static void mask_other_port(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    mask_a_seen.count++;
    evtchn_mask(mask_target);
}

static int mask_in_handler(void)
{
    static struct counter unused_a, unused_b, unused_c;
    struct loopback la = loopback_open(&unused_a, &unused_b);
    struct loopback lb = loopback_open(&unused_c, &mask_b_seen);
    int a = (int)la.a, b = (int)lb.b;

    /* Receiving ends: a send on la.b makes la.a pending, one on lb.a makes
     * lb.b pending. Re-point them at this test's handlers. */
    evtchn_bind_existing(la.a, mask_other_port, NULL);
    evtchn_bind_existing(lb.b, count_event, &mask_b_seen);
    mask_target = lb.b;
    if (a / 64 != b / 64 || a > b) {
        printk("mask_in_handler: ports %d and %d are not in one word, A first\n", a, b);
        return 1;
    }
    mask_b_seen.count = 0;
    unsigned long flags = local_irq_save();
    evtchn_send(la.b);
    evtchn_send(lb.a);
    local_irq_restore(flags);    /* one upcall: A, then (not) B */
    events_force_callback();
    printk("mask_in_handler: ports %d,%d a_calls=%lu b_calls_while_masked=%lu b_pending=%d\n",
           a, b, mask_a_seen.count, mask_b_seen.count, evtchn_is_pending(lb.b));
    unsigned long while_masked = mask_b_seen.count;
    evtchn_unmask(lb.b);
    events_force_callback();
    printk("mask_in_handler: after unmask b_calls=%lu\n", mask_b_seen.count);
    return mask_a_seen.count == 1 && while_masked == 0 && mask_b_seen.count == 1 ? 0 : 1;
}

/* A handler that sends to another port during the upcall: both delivered. */
static int nested(unsigned long rounds)
{
    static struct counter first_a, first_b, second_a, second_b;
    struct loopback second = loopback_open(&second_a, &second_b);
    struct loopback first = loopback_open(&first_a, &first_b);
    first_a.reply_to = second.b;    /* first's handler notifies second */

    for (unsigned long i = 0; i < rounds; i++) {
        evtchn_send(first.b);
        wait_until(second_a.count == i + 1);
    }
    printk("nested: rounds %lu first=%lu second=%lu loop_limit_hits=%lu\n", rounds,
           first_a.count, second_a.count, event_stats.loop_limit_hits);
    return first_a.count == rounds && second_a.count == rounds ? 0 : 1;
}

/*
 * A port that re-raises itself from its handler (10,000 times) must not
 * starve another port that became pending at the same moment: the quiet
 * port's handler must run while the loud one has barely started.
 */
static struct counter loud_a, loud_b, quiet_a, quiet_b;
static evtchn_port_t loud_to;
static unsigned long loud_seen_by_quiet;

static void loud_event(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    if (++loud_a.count < 10000)
        evtchn_send(loud_to);
}

static void quiet_event(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    quiet_a.count++;
    loud_seen_by_quiet = loud_a.count;
}

static int noisy(void)
{
    struct loopback loud = loopback_open(&loud_a, &loud_b);
    struct loopback quiet = loopback_open(&quiet_a, &quiet_b);
    evtchn_bind_existing(loud.a, loud_event, NULL);
    evtchn_bind_existing(quiet.a, quiet_event, NULL);
    loud_to = loud.b;

    local_irq_disable();
    evtchn_send(loud.b);
    evtchn_send(quiet.b);
    local_irq_enable();
    wait_until(loud_a.count == 10000 && quiet_a.count == 1);
    printk("noisy: quiet=%lu ran_after_loud=%lu loud=%lu loop_limit_hits=%lu\n",
           quiet_a.count, loud_seen_by_quiet, loud_a.count, event_stats.loop_limit_hits);
    return quiet_a.count == 1 && loud_seen_by_quiet <= 2 ? 0 : 1;
}

static uint64_t runstate_ns(int state)
{
    struct vcpu_runstate_info info;

    xen_call(vcpu_op, VCPUOP_get_runstate_info, 0, &info);
    return info.time[state];
}

/*
 * Waiting for an event (a timer about 500 ms ahead, include/timer.h) must be
 * spent blocked in Xen: the wait loop runs only a few times, and Xen's
 * runstate accounting (vcpu.h, VCPUOP_get_runstate_info) shows the vCPU
 * blocked, not running, for at least 90% of the wait (a kernel that
 * spun would show almost 0%; the margin is for a loaded host).
 */
static void timer_event(struct timer *t, void *ctx)
{
    (void)t;
    ((struct counter *)ctx)->count++;
}

static int idle(void)
{
    static struct counter fired;
    struct timer timer;

    timer_init(&timer, timer_event, &fired);
    uint64_t running0 = runstate_ns(RUNSTATE_running);
    uint64_t blocked0 = runstate_ns(RUNSTATE_blocked);
    uint64_t runnable0 = runstate_ns(RUNSTATE_runnable);
    unsigned long blocks0 = event_stats.blocks;
    timer_arm(&timer, monotonic_ns() + 500000000ULL);
    wait_until(fired.count >= 1);
    uint64_t running = runstate_ns(RUNSTATE_running) - running0;
    uint64_t blocked = runstate_ns(RUNSTATE_blocked) - blocked0;
    uint64_t elapsed = running + blocked + runstate_ns(RUNSTATE_runnable) - runnable0;
    unsigned long blocks = event_stats.blocks - blocks0;
    unsigned long blocked_pct = (unsigned long)(blocked * 100 / (elapsed ? elapsed : 1));

    printk("idle: blocks=%lu elapsed_ms=%lu blocked_pct=%lu\n", blocks,
           (unsigned long)(elapsed / 1000000), blocked_pct);
    return blocks <= 3 && elapsed >= 480000000ULL && blocked_pct >= 90 ? 0 : 1;
}

/*
 * SCHEDOP_poll (sched.h): returns at once when a polled port is already
 * pending (even masked, and without running its handler), and otherwise
 * blocks until the timeout.
 */
static int poll(void)
{
    static struct counter on_a, on_b;
    struct loopback l = loopback_open(&on_a, &on_b);

    evtchn_mask(l.a);
    evtchn_send(l.b);
    uint64_t t0 = runstate_ns(RUNSTATE_running) + runstate_ns(RUNSTATE_blocked);
    int rc = evtchn_poll(&l.a, 1, monotonic_ns() + 1000000000ULL);
    uint64_t t1 = runstate_ns(RUNSTATE_running) + runstate_ns(RUNSTATE_blocked);
    printk("poll: pending port rc=%d waited_ms=%lu handler_calls=%lu\n", rc,
           (unsigned long)((t1 - t0) / 1000000), on_a.count);

    evtchn_clear_pending(l.a);
    uint64_t blocked0 = runstate_ns(RUNSTATE_blocked);
    uint64_t deadline = monotonic_ns() + 300000000ULL;
    rc = evtchn_poll(&l.a, 1, deadline);
    uint64_t blocked = runstate_ns(RUNSTATE_blocked) - blocked0;
    printk("poll: idle port rc=%d blocked_ms=%lu woke_before_deadline=%d\n", rc,
           (unsigned long)(blocked / 1000000), monotonic_ns() < deadline);
    return 0;
}

/* The highest ports (last word of the 2-level bitmap) dispatch correctly. */
static int many_ports(void)
{
    static struct counter counters[2];
    int highest = -1, pairs = 0;
    struct loopback last = { 0, 0 };

    for (;;) {
        int a = evtchn_alloc_unbound(DOMID_SELF, count_event, &counters[0]);
        if (a < 0)
            break;
        int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, count_event, &counters[1]);
        if (b < 0)
            break;
        last.a = (evtchn_port_t)a;
        last.b = (evtchn_port_t)b;
        highest = b;
        pairs++;
    }
    printk("many_ports: %d pairs, highest port %d\n", pairs, highest);
    counters[0].count = counters[1].count = 0;
    evtchn_send(last.a);
    wait_until(counters[1].count == 1);
    evtchn_send(last.b);
    wait_until(counters[0].count == 1);
    printk("many_ports: highest pair %u<->%u delivered %lu/%lu\n", last.a, last.b,
           counters[0].count, counters[1].count);
    return highest >= (int)EVTCHN_NR_PORTS - 2 ? 0 : 1;
}

/*
 * Ports past the 2-level ABI's 4096: every call refuses them with a report
 * instead of setting bits past the shared info page's bitmaps; the words
 * after evtchn_mask (wc_version, wc_sec...) are unchanged, and a loopback
 * pair still works.
 */
static int bad_port(void)
{
    evtchn_port_t bad = EVTCHN_NR_PORTS + 70;
    uint32_t wc_version = shared_info->wc_version, wc_sec = shared_info->wc_sec;

    evtchn_mask(bad);
    evtchn_unmask(bad);
    evtchn_notify_local(bad);
    evtchn_clear_pending(bad);
    int rc = evtchn_bind_existing(bad, count_event, NULL);
    bool changed = shared_info->wc_version != wc_version || shared_info->wc_sec != wc_sec;

    static struct counter on_a, on_b;
    struct loopback l = loopback_open(&on_a, &on_b);
    evtchn_send(l.b);
    wait_until(on_a.count == 1);
    printk("bad_port: bind rc=%d shared_info_changed=%d loopback_after=%lu\n", rc, changed,
           on_a.count);
    return rc != -XEN_EINVAL || changed;
}

/* A failed hypercall is reported by name and error code. */
static int closed_port(void)
{
    static struct counter on_a, on_b;
    struct loopback l = loopback_open(&on_a, &on_b);

    evtchn_close(l.b);
    evtchn_close(l.a);
    evtchn_send(l.a);               /* the port is closed: Xen says EINVAL */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printk("evtest: no scenario\n");
        return 2;
    }
    const char *s = argv[1];
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

    if (!strcmp(s, "pingpong")) return pingpong(n ? n : 100000);
    if (!strcmp(s, "masked")) return masked();
    if (!strcmp(s, "mask_in_handler")) return mask_in_handler();
    if (!strcmp(s, "nested")) return nested(n ? n : 1000);
    if (!strcmp(s, "noisy")) return noisy();
    if (!strcmp(s, "idle")) return idle();
    if (!strcmp(s, "many_ports")) return many_ports();
    if (!strcmp(s, "poll")) return poll();
    if (!strcmp(s, "closed_port")) return closed_port();
    if (!strcmp(s, "bad_port")) return bad_port();
    printk("evtest: unknown scenario %s\n", s);
    return 2;
}
