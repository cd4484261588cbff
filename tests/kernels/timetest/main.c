/* SPDX-License-Identifier: MIT */
/*
 * timetest: boot tests for the clock and the timer driver (tests/boot/time.sh).
 * argv[1] names the scenario; each prints the figures the test checks, and
 * returns 0 only when its own checks pass too.
 *
 *   monotonic [N]    N monotonic_ns() reads (default 10 million) never decrease
 *   wallclock        print the wall clock, for the test to compare with the host
 *   sleep SLACK_US   sleeps of 1 ms, 10 ms, 100 ms, 1 s: never short, at most
 *                    SLACK_US late, and spent blocked in Xen
 *   timers           1,000 timers over 2 s: order, none early, lost, twice;
 *                    cancelled ones never fire; re-arm and cancel from handlers
 *   tick             idle 1 s with no timer armed: no VIRQ_TIMER upcalls
 *   tick_control     the same with Xen's periodic tick turned back on: upcalls
 *                    (shows the tick test can fail)
 *   bad SLACK_US     past deadlines fire at once (within SLACK_US); cancelling
 *                    a fired or never-armed timer is harmless
 *   lead             50 sleeps of 5 ms, counting VIRQ_TIMER upcalls per firing;
 *                    the test also runs it in a build whose clock lags Xen's
 *                    by 1 ms (CLOCK_TEST_LAG_NS), where Xen fires early
 *   df               a timer handler interrupts code running with the
 *                    direction flag set: it must run with DF clear
 */
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <timer.h>
#include <utc.h>
#include <xen_shared.h>
#include "../../rand.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
    return xorshift64star(&rng_state);
}

static uint64_t runstate_ns(int state)
{
    struct vcpu_runstate_info info;

    xen_call(vcpu_op, VCPUOP_get_runstate_info, 0, &info);
    return info.time[state];
}

static int monotonic(unsigned long reads)
{
    unsigned long decreases = 0, raw_decreases = 0;
    uint64_t first = monotonic_ns(), prev = first, raw_prev = system_time_ns();

    for (unsigned long i = 0; i < reads; i++) {
        uint64_t now = monotonic_ns();
        if (now < prev)
            decreases++;
        prev = now;
        /* The unclamped clock, sampled now and then, for information. */
        if ((i & 1023) == 0) {
            uint64_t raw = system_time_ns();
            if (raw < raw_prev)
                raw_decreases++;
            raw_prev = raw;
        }
    }
    printk("monotonic: reads=%lu decreases=%lu raw_decreases=%lu elapsed_ms=%llu\n", reads,
           decreases, raw_decreases, (unsigned long long)((prev - first) / NSEC_PER_MSEC));
    return decreases ? 1 : 0;
}

static int wallclock(void)
{
    uint64_t since_boot = monotonic_ns();
    struct wallclock wc = wallclock_now();
    char date[48];

    utc_format(date, sizeof(date), wc.sec);
    printk("wallclock: unix %lld.%09u = %s, system_time_ms=%llu\n", (long long)wc.sec, wc.nsec,
           date, (unsigned long long)(since_boot / NSEC_PER_MSEC));
    return 0;
}

/*
 * Each sleep is timed with monotonic_ns() around sleep_ns(). "Late" is the
 * measured time minus the request; negative would mean a short sleep. The
 * runstate counters show the time was spent blocked, not running.
 */
static int sleep_test(uint64_t slack_ns)
{
    static const struct { uint64_t ns; int times; } cases[] = {
        { 1 * NSEC_PER_MSEC, 20 }, { 10 * NSEC_PER_MSEC, 10 },
        { 100 * NSEC_PER_MSEC, 5 }, { 1000 * NSEC_PER_MSEC, 2 },
    };
    int bad = 0;

    for (unsigned c = 0; c < ARRAY_SIZE(cases); c++) {
        int64_t min_late = INT64_MAX, max_late = INT64_MIN, sum_late = 0;
        uint64_t running0 = runstate_ns(RUNSTATE_running);
        uint64_t blocks0 = event_stats.blocks, total = 0;

        for (int i = 0; i < cases[c].times; i++) {
            uint64_t t0 = monotonic_ns();
            sleep_ns(cases[c].ns);
            uint64_t took = monotonic_ns() - t0;
            int64_t late = (int64_t)(took - cases[c].ns);
            total += took;
            if (late < min_late)
                min_late = late;
            if (late > max_late)
                max_late = late;
            sum_late += late;
        }
        uint64_t running = runstate_ns(RUNSTATE_running) - running0;
        printk("sleep: %llu us x%d late_us min=%lld avg=%lld max=%lld blocks=%lu running_pct=%llu\n",
               (unsigned long long)(cases[c].ns / NSEC_PER_USEC), cases[c].times,
               (long long)(min_late / 1000), (long long)(sum_late / cases[c].times / 1000),
               (long long)(max_late / 1000), event_stats.blocks - blocks0,
               (unsigned long long)(running * 100 / total));
        if (min_late < 0 || max_late > (int64_t)slack_ns)
            bad++;
    }
    printk("sleep: %s (slack %llu us)\n", bad ? "FAIL" : "ok",
           (unsigned long long)(slack_ns / NSEC_PER_USEC));
    return bad;
}

/* --- 1,000 timers ---------------------------------------------------------- */

#define NTIMERS 1000
#define SPREAD_NS (2 * NSEC_PER_SEC)

static struct timer timers[NTIMERS];
static uint64_t deadline[NTIMERS];
static unsigned fired[NTIMERS], expected[NTIMERS];
static bool cancelled[NTIMERS];
static volatile unsigned long fires_total;
static unsigned long early, out_of_order, rearmed, handler_cancels;
static uint64_t last_deadline, max_late;
static unsigned last_index;

static void timer_fired(struct timer *t, void *ctx)
{
    unsigned i = (unsigned)(uintptr_t)ctx;
    uint64_t now = monotonic_ns();

    (void)t;
    if (now < deadline[i])
        early++;
    else if (now - deadline[i] > max_late)
        max_late = now - deadline[i];
    /* The first few faults in detail, to tell a queue bug from a test bug. */
    if (deadline[i] < last_deadline && out_of_order++ < 5)
        printk("timers: timer %u (deadline %llu, fire %u) after timer %u (deadline %llu), "
               "now %llu\n", i, (unsigned long long)deadline[i], fired[i] + 1, last_index,
               (unsigned long long)last_deadline, (unsigned long long)now);
    last_deadline = deadline[i];
    last_index = i;
    fired[i]++;
    fires_total++;

    /* Every 97th re-arms itself once, 50 ms on: re-arming from a handler. */
    if (i % 97 == 0 && fired[i] == 1) {
        deadline[i] = now + 50 * NSEC_PER_MSEC;
        expected[i] = 2;
        rearmed++;
        timer_arm(&timers[i], deadline[i]);
    }
    /* Every 89th cancels a random timer that has not fired yet. */
    if (i % 89 == 0) {
        unsigned j = (unsigned)(rnd() % NTIMERS);
        if (timer_cancel(&timers[j])) {
            cancelled[j] = true;
            expected[j] = fired[j];
            handler_cancels++;
        }
    }
}

static volatile bool watchdog_fired;

static void watchdog(struct timer *t, void *ctx)
{
    (void)t;
    (void)ctx;
    watchdog_fired = true;
}

static unsigned long expected_total(void)
{
    unsigned long n = 0;

    for (unsigned i = 0; i < NTIMERS; i++)
        n += expected[i];
    return n;
}

static int timers_test(void)
{
    uint64_t start = monotonic_ns(), base = start + 10 * NSEC_PER_MSEC;
    unsigned long upcalls0 = timer_stats.upcalls, programmed0 = timer_stats.programmed;
    unsigned long idle0 = timer_stats.idle_upcalls;
    unsigned long main_cancels = 0, cancel_refused = 0;

    /* Arm them all, and make the first cancels, with delivery masked: on a
     * busy host arming takes longer than the 10 ms to the first deadline,
     * and a timer that fired while later ones were still being armed (with
     * earlier deadlines) would look out of order. This way all 1,000 are
     * queued before any can fire, which is what "fire in deadline order"
     * is about. */
    unsigned long arming = local_irq_save();
    for (unsigned i = 0; i < NTIMERS; i++) {
        timer_init(&timers[i], timer_fired, (void *)(uintptr_t)i);
        deadline[i] = base + rnd() % SPREAD_NS;
        expected[i] = 1;
        timer_arm(&timers[i], deadline[i]);
    }
    /* 100 cancelled before anything fires. */
    for (int k = 0; k < 100; k++) {
        unsigned j = (unsigned)(rnd() % NTIMERS);
        if (timer_cancel(&timers[j])) {
            cancelled[j] = true;
            expected[j] = 0;
            main_cancels++;
        }
    }
    local_irq_restore(arming);

    struct timer dog;
    timer_init(&dog, watchdog, NULL);
    timer_arm(&dog, base + SPREAD_NS + 2 * NSEC_PER_SEC);

    /* Halfway, cancel 100 more at random: some have fired (cancel says no). */
    sleep_until(base + SPREAD_NS / 2);
    for (int k = 0; k < 100; k++) {
        unsigned j = (unsigned)(rnd() % NTIMERS);
        unsigned long flags = local_irq_save();
        if (timer_cancel(&timers[j])) {
            cancelled[j] = true;
            expected[j] = fired[j];
            main_cancels++;
        } else {
            cancel_refused++;
        }
        local_irq_restore(flags);
    }

    wait_until(fires_total >= expected_total() || watchdog_fired);
    uint64_t done = monotonic_ns();
    /* Let anything that would fire wrongly (twice, or after cancel) do so. */
    sleep_ns(200 * NSEC_PER_MSEC);
    timer_cancel(&dog);

    unsigned long lost = 0, twice = 0, cancelled_fired = 0, ncancelled = 0;
    for (unsigned i = 0; i < NTIMERS; i++) {
        if (cancelled[i])
            ncancelled++;
        if (fired[i] < expected[i])
            lost++;
        if (fired[i] > expected[i]) {
            if (cancelled[i])
                cancelled_fired++;
            else
                twice++;
        }
        if (timer_armed(&timers[i]))
            lost++;
    }
    printk("timers: armed=%u rearmed_in_handler=%lu cancelled=%lu (main %lu, in handlers %lu, "
           "refused after firing %lu) fired=%lu expected=%lu\n", NTIMERS, rearmed, ncancelled,
           main_cancels, handler_cancels, cancel_refused, fires_total, expected_total());
    printk("timers: early=%lu out_of_order=%lu lost=%lu twice=%lu cancelled_fired=%lu\n", early,
           out_of_order, lost, twice, cancelled_fired);
    printk("timers: max_late_us=%llu last_done_ms=%llu upcalls=%lu idle_upcalls=%lu "
           "programmed=%lu\n", (unsigned long long)(max_late / NSEC_PER_USEC),
           (unsigned long long)((done - start) / NSEC_PER_MSEC),
           timer_stats.upcalls - upcalls0, timer_stats.idle_upcalls - idle0,
           timer_stats.programmed - programmed0);
    return early || out_of_order || lost || twice || cancelled_fired || watchdog_fired ||
           fires_total != expected_total() || main_cancels == 0 || handler_cancels == 0 ||
           cancel_refused == 0;
}

/* --- the periodic tick ------------------------------------------------------ */

static void ignore_event(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
}

/*
 * No timer armed, and the periodic tick stopped: no VIRQ_TIMER upcalls at all
 * (counted by the driver in timer_stats.upcalls), in two kinds of idleness:
 *
 *  - blocked: 1 s in SCHEDOP_poll on a port nobody sends to, ended by the
 *    poll's own timeout (sched.h, sched_poll.timeout). Our timers cannot be
 *    used to wait here: they arm Xen's single-shot timer, which is one upcall
 *    on purpose. Xen implements the poll timeout with a separate per-vCPU poll
 *    timer that raises no event. Any event ends a poll early, so it loops.
 *  - running: 1 s of reading the clock without blocking. This is the phase
 *    that tells the tick apart. Measured (tick_control): Xen delivers the
 *    10 ms periodic tick about 100 times a second to a running vCPU, but only
 *    once to a vCPU blocked for the whole second, because Xen runs the
 *    periodic timer only while the vCPU is scheduled and sends one catch-up
 *    event when it runs again (xen/common/sched/core.c,
 *    vcpu_periodic_timer_work).
 */
static int idle_second(bool expect_ticks)
{
    int port = evtchn_alloc_unbound(DOMID_SELF, ignore_event, NULL);
    if (port < 0)
        return 1;
    evtchn_port_t p = (evtchn_port_t)port;
    unsigned long upcalls0 = timer_stats.upcalls, polls = 0;
    uint64_t start = monotonic_ns(), end = start + NSEC_PER_SEC;

    while (monotonic_ns() < end) {
        evtchn_poll(&p, 1, end);
        polls++;
    }
    unsigned long blocked_upcalls = timer_stats.upcalls - upcalls0;
    uint64_t blocked_ms = (monotonic_ns() - start) / NSEC_PER_MSEC;
    evtchn_close(p);

    upcalls0 = timer_stats.upcalls;
    start = monotonic_ns();
    end = start + NSEC_PER_SEC;
    while (monotonic_ns() < end)
        ;
    unsigned long running_upcalls = timer_stats.upcalls - upcalls0;

    printk("tick: blocked_ms=%llu polls=%lu timer_upcalls=%lu\n",
           (unsigned long long)blocked_ms, polls, blocked_upcalls);
    printk("tick: running_ms=%llu timer_upcalls=%lu\n",
           (unsigned long long)((monotonic_ns() - start) / NSEC_PER_MSEC), running_upcalls);
    /* About 100 when the host lets QEMU run; ticks missed while the host
     * deschedules QEMU come back as one catch-up event, so under load fewer
     * (49 seen). Any count well above 0 shows the tick. */
    if (expect_ticks)
        return running_upcalls < 20;
    return blocked_upcalls != 0 || running_upcalls != 0;
}

static int tick_control(void)
{
    /* Xen's default for PV vCPUs is a 10 ms tick; turn it back on. */
    struct vcpu_set_periodic_timer period = { .period_ns = 10 * NSEC_PER_MSEC };
    xen_call(vcpu_op, VCPUOP_set_periodic_timer, 0, &period);
    return idle_second(true);
}

/* --- bad input -------------------------------------------------------------- */

static volatile unsigned long bad_fires;
static uint64_t bad_fired_at;

static void bad_fired(struct timer *t, void *ctx)
{
    (void)t;
    (void)ctx;
    bad_fires++;
    bad_fired_at = monotonic_ns();
}

/* Arms `t` for `deadline`, waits for it, returns how long after arming it fired. */
static uint64_t fire_and_time(struct timer *t, uint64_t deadline)
{
    unsigned long before = bad_fires;
    uint64_t t0 = monotonic_ns();

    timer_arm(t, deadline);
    wait_until(bad_fires != before);
    return bad_fired_at - t0;
}

static int bad(uint64_t slack_ns)
{
    struct timer t, never;
    int fails = 0;

    timer_init(&t, bad_fired, NULL);
    timer_init(&never, bad_fired, NULL);

    uint64_t now = monotonic_ns();
    uint64_t past = fire_and_time(&t, now - 500 * NSEC_PER_MSEC);
    uint64_t zero = fire_and_time(&t, 0);
    uint64_t just = fire_and_time(&t, monotonic_ns());
    printk("bad: past deadline fired after %llu us, deadline 0 after %llu us, "
           "deadline now after %llu us\n", (unsigned long long)(past / NSEC_PER_USEC),
           (unsigned long long)(zero / NSEC_PER_USEC), (unsigned long long)(just / NSEC_PER_USEC));
    /* "At once": Xen raises the event on its way back from the hypercall,
     * or at its next timer interrupt; under QEMU that can take as long as a
     * late sleep, so the bound is the sleep slack. */
    if (past > slack_ns || zero > slack_ns || just > slack_ns)
        fails++;

    /* t has fired; never was never armed. */
    bool c_fired = timer_cancel(&t);
    bool c_never = timer_cancel(&never);
    timer_arm(&t, monotonic_ns() + 5 * NSEC_PER_SEC);
    bool c_armed = timer_cancel(&t);
    bool c_again = timer_cancel(&t);
    printk("bad: cancel fired=%d never_armed=%d armed=%d twice=%d\n", c_fired, c_never, c_armed,
           c_again);
    if (c_fired || c_never || !c_armed || c_again)
        fails++;

    /* Re-arming an armed timer moves it: it fires once, at the new time. */
    unsigned long before = bad_fires;
    uint64_t t0 = monotonic_ns();
    timer_arm(&t, t0 + 2 * NSEC_PER_SEC);
    timer_arm(&t, t0 + 20 * NSEC_PER_MSEC);
    wait_until(bad_fires != before);
    uint64_t moved = bad_fired_at - t0;
    sleep_ns(100 * NSEC_PER_MSEC);
    printk("bad: re-armed timer fired %lu time(s), after %llu ms\n", bad_fires - before,
           (unsigned long long)(moved / NSEC_PER_MSEC));
    if (bad_fires - before != 1 || moved < 20 * NSEC_PER_MSEC || moved > 500 * NSEC_PER_MSEC)
        fails++;

    /* A deadline at the end of time (UINT64_MAX) waits quietly: no upcalls
     * while another timer runs 100 ms, beyond that one's own. */
    timer_arm(&never, UINT64_MAX);
    unsigned long upcalls0 = timer_stats.upcalls;
    sleep_ns(100 * NSEC_PER_MSEC);
    unsigned long far_upcalls = timer_stats.upcalls - upcalls0;
    bool far_armed = timer_armed(&never);
    timer_cancel(&never);
    printk("bad: deadline UINT64_MAX armed=%d, upcalls in 100 ms=%lu\n", far_armed, far_upcalls);
    if (!far_armed || far_upcalls > 3)
        fails++;

    /* After all that, the queue still works, and nothing stray fired. */
    before = bad_fires;
    sleep_ns(10 * NSEC_PER_MSEC);
    printk("bad: %s (stray fires %lu)\n", fails ? "FAIL" : "ok", bad_fires - before);
    return fails || bad_fires != before;
}

/*
 * Sleeps repeatedly and counts timer upcalls per firing. Xen's clock
 * leading ours (the lagging test build) must not turn each firing into a
 * burst of early upcalls; and no sleep ends early.
 */
static int lead(void)
{
    const unsigned sleeps = 50;
    const uint64_t length = 5 * NSEC_PER_MSEC;
    unsigned long upcalls0 = timer_stats.upcalls, fired0 = timer_stats.fired;
    unsigned long early0 = timer_stats.early, short_sleeps = 0;
    uint64_t late_max = 0;

    for (unsigned i = 0; i < sleeps; i++) {
        uint64_t deadline = monotonic_ns() + length;
        sleep_until(deadline);
        uint64_t now = monotonic_ns();
        if (now < deadline)
            short_sleeps++;
        else if (now - deadline > late_max)
            late_max = now - deadline;
    }
    unsigned long upcalls = timer_stats.upcalls - upcalls0, fired = timer_stats.fired - fired0;
    printk("lead: sleeps=%u fired=%lu upcalls=%lu early=%lu short=%lu late_max_us=%llu "
           "lead_us=%llu\n", sleeps, fired, upcalls, timer_stats.early - early0, short_sleeps,
           (unsigned long long)(late_max / NSEC_PER_USEC),
           (unsigned long long)(timer_stats.xen_lead_ns / NSEC_PER_USEC));
    return short_sleeps != 0;
}

/*
 * The direction flag in an upcall. The main thread sets DF and spins until a
 * timer handler has run; Xen's bounce frame keeps the interrupted RFLAGS, so
 * the upcall entry must clear DF before calling C (the ABI says DF is clear
 * at every call), or every rep string instruction in a handler runs
 * backwards: printk's buffer clear is one.
 */
static volatile bool df_handler_ran;
static volatile unsigned long df_in_handler;

static void df_timer(struct timer *t, void *ctx)
{
    unsigned long flags;

    (void)t;
    (void)ctx;
    asm volatile ("pushf; pop %0" : "=r"(flags));
    df_in_handler = flags & (1UL << 10);
    printk("df: printed from the handler, %d %s\n", 42, "intact");
    df_handler_ran = true;
}

static int direction_flag(void)
{
    static struct timer t;

    timer_init(&t, df_timer, NULL);
    timer_arm(&t, monotonic_ns() + 10 * NSEC_PER_MSEC);
    asm volatile ("std" ::: "memory");
    while (!df_handler_ran)
        ;
    asm volatile ("cld" ::: "memory");
    printk("df: handler ran with DF=%d\n", df_in_handler != 0);
    return df_in_handler != 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printk("timetest: no scenario given\n");
        return 2;
    }
    const char *s = argv[1];

    if (!strcmp(s, "monotonic"))
        return monotonic(argc > 2 ? strtoul(argv[2], NULL, 0) : 10000000ul);
    if (!strcmp(s, "wallclock"))
        return wallclock();
    if (!strcmp(s, "sleep") && argc == 3)
        return sleep_test(strtoul(argv[2], NULL, 0) * NSEC_PER_USEC);
    if (!strcmp(s, "timers"))
        return timers_test();
    if (!strcmp(s, "tick"))
        return idle_second(false);
    if (!strcmp(s, "tick_control"))
        return tick_control();
    if (!strcmp(s, "lead"))
        return lead();
    if (!strcmp(s, "df"))
        return direction_flag();
    if (!strcmp(s, "bad") && argc == 3)
        return bad(strtoul(argv[2], NULL, 0) * NSEC_PER_USEC);

    printk("timetest: unknown scenario %s\n", s);
    return 2;
}
