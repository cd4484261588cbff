/* SPDX-License-Identifier: MIT */
/*
 * racetest: races between vCPUs in the event and timer code, run hard
 * (tests/boot/races.sh). argv[1] names the scenario:
 *
 *   timer-rearm  a timer on vCPU 1 whose function spins 1 ms and arms it
 *                again 300 us on is cancelled from vCPU 0 while the
 *                function runs, 20 times: each
 *                cancel must return with it neither armed nor running, and
 *                it must not fire afterwards.
 *   bind-close   a thread pinned to each vCPU binds an IPI port to its vCPU,
 *                sends on it after a pause of 0-1.5 ms, waits for its
 *                handler, and closes it, ROUNDS times: Xen hands out the lowest free port, so the numbers
 *                one vCPU closes are bound again by another at once. No
 *                event may be lost (a close must not wipe a port that
 *                another vCPU bound since).
 */
#include <clock.h>
#include <events.h>
#include <kernel.h>
#include <printk.h>
#include <smp.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <timer.h>

#define NSEC_PER_MS 1000000ULL

static void spin_ns(uint64_t ns)
{
    uint64_t until = monotonic_ns() + ns;

    while (monotonic_ns() < until)
        cpu_relax();
}

/* Runs fn(arg) in a thread pinned to vCPU `cpu`. */
static struct thread *start_on(unsigned int cpu, int (*fn)(void *), void *arg)
{
    struct thread *t = thread_create("race", fn, arg);

    if (t)
        thread_set_affinity(t, (int)cpu);
    return t;
}

static struct timer rearming;
static volatile bool rearm_running;
static volatile unsigned long rearm_fires;

static void rearm_fn(struct timer *t, void *ctx)
{
    (void)ctx;
    rearm_running = true;
    rearm_fires++;
    spin_ns(1000 * 1000);
    /* Not at once: vCPU 1 would do nothing but upcalls, and the thread
     * that armed it there would never end. */
    timer_arm(t, monotonic_ns() + 300 * 1000);
    rearm_running = false;
}

static int arm_rearming(void *arg)
{
    (void)arg;
    timer_arm(&rearming, monotonic_ns());
    return 0;
}

/* Waits (sleeping) up to 10 s of our clock for rearm_fires to pass n. */
static bool wait_fires(unsigned long n)
{
    uint64_t deadline = monotonic_ns() + 10000 * NSEC_PER_MS;

    while (rearm_fires < n)
        if (monotonic_ns() > deadline)
            return false;
        else
            sleep_ns(NSEC_PER_MS);
    return true;
}

static int timer_rearm(void)
{
    unsigned int bad = 0, rounds = 20;

    timer_init(&rearming, rearm_fn, NULL);
    for (unsigned int round = 0; round < rounds; round++) {
        thread_join(start_on(1, arm_rearming, NULL));
        if (!wait_fires(rearm_fires + 5)) {
            printk("timer-rearm: round %u: the timer does not fire\n", round);
            return 1;
        }
        /* Cancelled while its function runs: the case that needs the loop. */
        while (!rearm_running)
            cpu_relax();
        timer_cancel(&rearming);
        bool armed = timer_armed(&rearming), running = rearm_running;
        unsigned long fires = rearm_fires;
        sleep_ns(20 * NSEC_PER_MS);
        unsigned long later = rearm_fires - fires;
        if (armed || running || later) {
            printk("timer-rearm: round %u: after timer_cancel armed=%d running=%d, "
                   "fired %lu times later\n", round, armed, running, later);
            bad++;
        }
        timer_cancel(&rearming);
    }
    printk("timer-rearm: %u of %u cancels left the timer armed or running\n", bad, rounds);
    printk("timer-rearm: %s\n", bad ? "WRONG" : "ok");
    return bad != 0;
}

struct binder {
    unsigned int cpu;
    volatile unsigned long handled;
    unsigned long rounds, lost, ports_seen_elsewhere;
};

static unsigned long bind_close_rounds;
static struct binder binders[MAX_CPUS];
/* Which vCPU last bound each port, to count the numbers that moved. */
static volatile uint8_t last_binder[EVTCHN_NR_PORTS];

static void binder_handler(evtchn_port_t port, void *ctx)
{
    struct binder *b = ctx;

    (void)port;
    b->handled++;
}

static int bind_close_loop(void *arg)
{
    struct binder *b = arg;

    for (b->rounds = 0; b->rounds < bind_close_rounds; b->rounds++) {
        int port = evtchn_bind_ipi(b->cpu, binder_handler, b);
        if (port < 0) {
            printk("bind-close: vCPU %u: evtchn_bind_ipi failed: %d\n", b->cpu, port);
            return 1;
        }
        if (last_binder[port] != b->cpu)
            b->ports_seen_elsewhere++;
        last_binder[port] = (uint8_t)b->cpu;
        unsigned long want = b->handled + 1;
        /* A varying pause before the send, so that on some rounds it comes
         * after whatever a close of this number elsewhere still does. */
        spin_ns((b->rounds * 7919 + b->cpu * 104729) % 1500 * 1000);
        evtchn_send((evtchn_port_t)port);
        /* The handler runs on this vCPU, interrupting the spin; 1 s of our
         * clock is far more than an IPI to ourselves takes. */
        uint64_t deadline = monotonic_ns() + 1000 * NSEC_PER_MS;
        while (b->handled < want && monotonic_ns() < deadline)
            cpu_relax();
        if (b->handled < want) {
            b->lost++;
            b->handled = want;
        }
        evtchn_close((evtchn_port_t)port);
    }
    return 0;
}

static int bind_close(unsigned long rounds)
{
    unsigned int n = smp_cpu_count();
    struct thread *t[MAX_CPUS];
    unsigned long lost = 0, moved = 0;
    int bad = 0;

    bind_close_rounds = rounds;
    for (unsigned int i = 0; i < n; i++) {
        binders[i].cpu = i;
        t[i] = start_on(i, bind_close_loop, &binders[i]);
        bad |= !t[i];
    }
    for (unsigned int i = 0; i < n; i++) {
        if (!t[i])
            continue;
        bad |= thread_join(t[i]);
        printk("bind-close: vCPU %u: %lu rounds, %lu events lost, %lu ports last bound "
               "elsewhere\n", i, binders[i].rounds, binders[i].lost,
               binders[i].ports_seen_elsewhere);
        lost += binders[i].lost;
        moved += binders[i].ports_seen_elsewhere;
    }
    printk("bind-close: %u vCPUs, %lu rounds each, %lu ports reused across vCPUs, %lu events "
           "lost\n", n, rounds, moved, lost);
    bad |= lost != 0 || moved == 0;
    printk("bind-close: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";

    if (smp_cpu_count() < 2) {
        printk("racetest: needs 2 vCPUs or more\n");
        return 1;
    }
    thread_set_affinity(thread_self(), 0);
    if (!strcmp(what, "timer-rearm"))
        return timer_rearm();
    if (!strcmp(what, "bind-close"))
        return bind_close(argc > 2 ? strtoul(argv[2], NULL, 0) : 2000);
    printk("racetest: unknown scenario %s (timer-rearm, bind-close ROUNDS)\n", what);
    return 2;
}
