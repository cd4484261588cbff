/* SPDX-License-Identifier: MIT */
/*
 * motebench: the in-guest half of `make bench` (bench/run.sh parses what it
 * prints). Every figure is one line
 *     BENCH <name> <value> <unit>
 * and every measured distribution also prints its quantiles for the plot
 *     CDF <name> <percent> <ns>
 * Times come from the TSC scaled by Xen's vcpu_time_info (clock.h), so under
 * QEMU's -icount they are virtual time and repeat exactly from run to run.
 */
#include <arch/tsc.h>
#include <clock.h>
#include <console.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <sort.h>
#include <stdlib.h>
#include <string.h>
#include <timer.h>

#define RTT_ROUNDS     10000
#define ONEWAY_COUNT   10000
#define HYPERCALLS     10000
#define CONSOLE_BYTES  (256 * 1024)

static uint64_t ticks_ns(uint64_t ticks)
{
    return clock_tsc_to_ns(ticks);
}

/* Sorts the samples and prints p50/p99/max and the quantiles for the plot. */
static void report_distribution(const char *name, uint64_t *ns, size_t n)
{
    sort_u64(ns, n);
    printk("BENCH %s_p50 %lu ns\n", name, (unsigned long)ns[n / 2]);
    printk("BENCH %s_p99 %lu ns\n", name, (unsigned long)ns[n * 99 / 100]);
    printk("BENCH %s_max %lu ns\n", name, (unsigned long)ns[n - 1]);
    for (unsigned pct = 0; pct <= 100; pct += 5) {
        size_t i = pct == 100 ? n - 1 : n * pct / 100;
        printk("CDF %s %u %lu\n", name, pct, (unsigned long)ns[i]);
    }
}

static void bench_boot(void)
{
    printk("BENCH boot_to_main %lu ns\n",
           (unsigned long)ticks_ns(boot_main_tsc - boot_entry_tsc));
}

static void bench_hypercall(void)
{
    uint64_t t0 = rdtsc_ordered();
    for (int i = 0; i < HYPERCALLS; i++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    uint64_t t1 = rdtsc_ordered();
    printk("BENCH null_hypercall %lu ns\n", (unsigned long)(ticks_ns(t1 - t0) / HYPERCALLS));
}

struct counter {
    volatile unsigned long count;
    evtchn_port_t reply_to;
};

static void on_event(evtchn_port_t port, void *ctx)
{
    struct counter *c = ctx;

    (void)port;
    c->count++;
    if (c->reply_to)
        evtchn_send(c->reply_to);
}

/* A loopback pair (see tests/kernels/evtest): sending on a makes b pending. */
static void loopback_open(struct counter *on_a, struct counter *on_b,
                          evtchn_port_t *a, evtchn_port_t *b)
{
    int pa = evtchn_alloc_unbound(DOMID_SELF, on_event, on_a);
    int pb = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)pa, on_event, on_b);
    if (pa < 0 || pb < 0)
        panic("cannot open a loopback event channel");
    *a = (evtchn_port_t)pa;
    *b = (evtchn_port_t)pb;
    on_a->count = on_b->count = 0;  /* bind_interdomain's initial notification */
}

static void bench_evtchn(uint64_t *samples)
{
    static struct counter on_a, on_b;
    evtchn_port_t a, b;

    /* Round trip: a -> b's handler -> reply b -> a's handler. */
    loopback_open(&on_a, &on_b, &a, &b);
    on_b.reply_to = b;
    for (unsigned long i = 0; i < RTT_ROUNDS; i++) {
        uint64_t t0 = rdtsc_ordered();
        evtchn_send(a);
        wait_until(on_a.count == i + 1);
        samples[i] = ticks_ns(rdtsc_ordered() - t0);
    }
    report_distribution("evtchn_rtt", samples, RTT_ROUNDS);

    /* One way, each notification handled before the next is sent, so none
     * coalesces with another (a pending bit counts only once). */
    on_b.reply_to = 0;
    on_b.count = 0;
    uint64_t t0 = rdtsc_ordered();
    for (unsigned long i = 0; i < ONEWAY_COUNT; i++) {
        evtchn_send(a);
        wait_until(on_b.count == i + 1);
    }
    uint64_t ns = ticks_ns(rdtsc_ordered() - t0);
    printk("BENCH evtchn_oneway %lu notifications/s\n",
           (unsigned long)((uint64_t)ONEWAY_COUNT * NSEC_PER_SEC / ns));
    printk("BENCH evtchn_oneway_lost %lu notifications\n", ONEWAY_COUNT - on_b.count);
}

/* Lateness of one-shot timers: sleep until a deadline, see how late we woke. */
static void bench_timer(const char *name, uint64_t period_ns, size_t count, uint64_t *samples)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t deadline = monotonic_ns() + period_ns;
        sleep_until(deadline);
        samples[i] = monotonic_ns() - deadline;
    }
    report_distribution(name, samples, count);
}

static void bench_console(void)
{
    static char line[64];

    /* "bulk|" lines are not relayed to the serial port by the domU test
     * stack's dom0 (scripts/domu/init), which would otherwise lag far behind. */
    memset(line, '.', sizeof(line) - 1);
    memcpy(line, "bulk| console ", 14);
    line[sizeof(line) - 1] = '\n';
    uint64_t t0 = rdtsc_ordered();
    for (size_t sent = 0; sent < CONSOLE_BYTES; sent += sizeof(line))
        console_write(line, sizeof(line));
    uint64_t ns = ticks_ns(rdtsc_ordered() - t0);
    printk("BENCH console_%s %lu bytes/s\n", xen_initial_domain() ? "dom0" : "domU",
           (unsigned long)((uint64_t)CONSOLE_BYTES * NSEC_PER_SEC / ns));
}

/*
 * `motebench timer`: where a sleep's lateness goes, for a range of periods.
 * For each, the p50 of: deadline to the VIRQ_TIMER handler's start (Xen's
 * timer, its interrupt, scheduling and event delivery) and from there to
 * the sleeping thread running again (mote's handler, wake-up and switch).
 */
static void bench_timer_split(void)
{
    static const unsigned periods_us[] = { 50, 100, 200, 500, 1000, 1500, 2000, 3000, 5000, 10000 };
    static uint64_t to_upcall[100], to_wake[100];

    for (size_t k = 0; k < sizeof(periods_us) / sizeof(periods_us[0]); k++) {
        for (size_t i = 0; i < 100; i++) {
            uint64_t deadline = monotonic_ns() + periods_us[k] * NSEC_PER_USEC;
            sleep_until(deadline);
            uint64_t woke = monotonic_ns();
            to_upcall[i] = timer_stats.last_upcall_ns - deadline;
            to_wake[i] = woke - timer_stats.last_upcall_ns;
        }
        sort_u64(to_upcall, 100);
        sort_u64(to_wake, 100);
        printk("TIMER period %u us: deadline to upcall p50 %ld ns, upcall to woken p50 %lu ns, "
               "lead %lu ns, early events %lu\n", periods_us[k], (long)to_upcall[50],
               (unsigned long)to_wake[50], (unsigned long)timer_stats.xen_lead_ns, timer_stats.early);
    }
}

/* `motebench boot`: only the boot figures (run.sh boots it at several
 * dom0_mem sizes); `motebench timer`: the timer split above; `motebench
 * evtchn`: the null hypercall and the event-channel figures; no argument:
 * everything. */
int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "boot")) {
        printk("BENCH tsc_hz %lu Hz\n", (unsigned long)clock_tsc_hz());
        bench_boot();
        printk("BENCH done 1 flag\n");
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "timer")) {
        bench_timer_split();
        printk("BENCH done 1 flag\n");
        return 0;
    }
    uint64_t *samples = malloc(RTT_ROUNDS * sizeof(uint64_t));
    if (!samples)
        panic("no memory for %d samples", RTT_ROUNDS);
    if (argc > 1 && !strcmp(argv[1], "evtchn")) {
        bench_hypercall();
        bench_evtchn(samples);
        free(samples);
        printk("BENCH done 1 flag\n");
        return 0;
    }

    printk("BENCH tsc_hz %lu Hz\n", (unsigned long)clock_tsc_hz());
    bench_boot();
    bench_hypercall();
    bench_evtchn(samples);
    bench_timer("timer_1ms_late", NSEC_PER_MSEC, 1000, samples);
    bench_timer("timer_10ms_late", 10 * NSEC_PER_MSEC, 200, samples);
    bench_console();
    free(samples);
    printk("BENCH done 1 flag\n");
    return 0;
}
