/* SPDX-License-Identifier: MIT */
/*
 * smptest: boot tests of several vCPUs (tests/boot/smp.sh). argv[1] names
 * the scenario: up, up-idle (then waits to be destroyed), ipi [N] (vCPU 1 idle), ipi-busy [N] (vCPU 1 running),
 * lock, nolock, timers, hotplug (with xl vcpu-set in dom0), rebind,
 * rebind-offline, runstate, call-offline, close-wait, bringup-failed, suspend (with xl save / restore in dom0),
 * parallel and yield (bench/smp.sh).
 */
#include <arch/atomic.h>
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <smp.h>
#include <spinlock.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <timer.h>

/* up: every vCPU runs a call and says who it is, and whether the
 * vcpu_info its upcall mask lives in is the one in its own struct cpu
 * (VCPUOP_register_vcpu_info) rather than a shared-info slot. */
static unsigned int answered, placed;

static void report(void *arg)
{
    (void)arg;
    printk("smptest: vCPU %u answers\n", smp_cpu_id());
    if (this_vcpu() == &this_cpu()->vcpu_info_area && this_vcpu()->evtchn_upcall_mask)
        __atomic_fetch_add(&placed, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&answered, 1, __ATOMIC_RELAXED);
}

static int up(void)
{
    printk("smptest: %u of %u vCPUs up, main on vCPU %u\n", smp_cpu_count(), smp_cpu_max(),
           smp_cpu_id());
    smp_call_all(report, NULL);
    printk("smptest: %u answered\n", answered);
    printk("smptest: %u masked in their own vcpu_info\n", placed);
    return answered != smp_cpu_count() || placed != answered;
}

/* ipi: vCPU 0 calls vCPU 1, whose call calls vCPU 0 back; the next ping
 * goes only once the pong has come, so a lost IPI hangs the test. */
static volatile unsigned long pings, pongs;

static void pong(void *arg)
{
    (void)arg;
    pongs++;
}

static void ping(void *arg)
{
    (void)arg;
    pings++;
    smp_call(0, pong, NULL, false);
}

/* Keeps vCPU 1 running (not blocked in Xen) during the ping-pong, so that
 * a round trip measures event delivery, not Xen waking a vCPU. */
static volatile bool ipi_done;

static int spinner(void *arg)
{
    (void)arg;
    while (!ipi_done)
        cpu_relax();
    return 0;
}

static int ipi(unsigned long rounds, bool busy)
{
    if (smp_cpu_count() < 2) {
        printk("ipi: needs 2 vCPUs\n");
        return 1;
    }
    thread_set_affinity(thread_self(), 0);
    struct thread *spin = NULL;
    if (busy) {
        spin = thread_create("spinner", spinner, NULL);
        thread_set_affinity(spin, 1);
        thread_yield();
    }
    unsigned long sent0 = smp_stats.ipis_sent;
    uint64_t t0 = monotonic_ns();
    for (unsigned long i = 0; i < rounds; i++) {
        smp_call(1, ping, NULL, false);
        while (pongs != i + 1)
            cpu_relax();
    }
    uint64_t ns = monotonic_ns() - t0;
    ipi_done = true;
    if (spin)
        thread_join(spin);
    printk("ipi: vCPU 1 %s, %lu round trips, pings=%lu pongs=%lu ipis=%lu, %llu ns per round trip\n",
           busy ? "running" : "idle", rounds, pings, pongs, smp_stats.ipis_sent - sent0,
           (unsigned long long)(ns / rounds));
    /* How often an upcall's direct return found an event pending as it
     * unmasked, or was itself interrupted by one (arch/x86_64/upcall.S). */
    printk("ipi: upcalls %lu, rescans %lu, returns taken over %lu\n", event_stats.upcalls,
           event_stats.rescans, event_stats.took_over_returns);
    return pings != rounds || pongs != rounds;
}

/* lock / nolock: a thread per vCPU (4 at most) adds 1 to one counter
 * 1,000,000 times, with the spinlock or without. Without it two vCPUs'
 * read-add-write interleave and increments are lost: the race the lock
 * prevents. All start together, so they overlap. */
#define ADDS 1000000
#define MAX_WORKERS 4
static spinlock_t counter_lock = SPINLOCK_INIT;
static volatile unsigned long counter;
static unsigned int workers_ready;
static bool use_lock;
static unsigned int worker_cpu[MAX_WORKERS];

static int adder(void *arg)
{
    unsigned int me = (unsigned int)(long)arg;

    worker_cpu[me] = smp_cpu_id();
    __atomic_fetch_add(&workers_ready, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&workers_ready, __ATOMIC_ACQUIRE) < smp_cpu_count() &&
           __atomic_load_n(&workers_ready, __ATOMIC_ACQUIRE) < MAX_WORKERS)
        cpu_relax();
    for (int i = 0; i < ADDS; i++) {
        /* Read, pause, write: the pause widens the window in which another
         * vCPU's add is lost, so that the race shows even when QEMU's
         * threads get little of the host; under the lock nothing is. */
        if (use_lock) {
            unsigned long flags = spin_lock_irqsave(&counter_lock);
            unsigned long v = counter;
            cpu_relax();
            counter = v + 1;
            spin_unlock_irqrestore(&counter_lock, flags);
        } else {
            unsigned long v = counter;
            cpu_relax();
            counter = v + 1;
        }
    }
    return 0;
}

static int count(bool locked)
{
    unsigned int n = smp_cpu_count() < MAX_WORKERS ? smp_cpu_count() : MAX_WORKERS;
    struct thread *t[MAX_WORKERS];
    const char *name = locked ? "lock" : "nolock";

    use_lock = locked;
    uint64_t t0 = monotonic_ns();
    for (unsigned int i = 0; i < n; i++) {
        t[i] = thread_create("adder", adder, (void *)(long)i);
        thread_set_affinity(t[i], (int)i);
    }
    for (unsigned int i = 0; i < n; i++)
        thread_join(t[i]);
    uint64_t ms = (monotonic_ns() - t0) / 1000000;
    unsigned long expected = (unsigned long)n * ADDS;
    printk("%s: %u threads on vCPUs", name, n);
    for (unsigned int i = 0; i < n; i++)
        printk(" %u", worker_cpu[i]);
    printk(", total=%lu expected=%lu lost=%lu, %llu ms\n", counter, expected,
           expected - counter, (unsigned long long)ms);
    return locked ? counter != expected : 0;
}

/* timers: a thread on each vCPU arms a timer there; it must fire on that
 * vCPU, and not before its deadline. */
struct cpu_timer {
    struct timer timer;
    uint64_t deadline;
    unsigned int armed_on, fired_on;
    uint64_t fired_at;
    volatile bool fired;
};

static void timer_fired(struct timer *t, void *ctx)
{
    struct cpu_timer *ct = ctx;

    (void)t;
    ct->fired_at = monotonic_ns();
    ct->fired_on = smp_cpu_id();
    ct->fired = true;
}

static int timer_thread(void *arg)
{
    struct cpu_timer *ct = arg;

    ct->armed_on = smp_cpu_id();
    timer_init(&ct->timer, timer_fired, ct);
    for (int round = 0; round < 20; round++) {
        ct->fired = false;
        ct->deadline = monotonic_ns() + 2000000;
        timer_arm(&ct->timer, ct->deadline);
        /* Spin, do not sleep: the thread stays on its vCPU either way
         * (pinned), and a spinning vCPU shows the upcall lands here. */
        while (!ct->fired)
            cpu_relax();
        if (ct->fired_on != ct->armed_on || ct->fired_at < ct->deadline)
            return 1;
    }
    return 0;
}

static int timers(void)
{
    unsigned int n = smp_cpu_count();
    struct cpu_timer *ct = calloc(n, sizeof(*ct));
    struct thread **t = calloc(n, sizeof(*t));
    int bad = 0;

    for (unsigned int i = 0; i < n; i++) {
        t[i] = thread_create("timer", timer_thread, &ct[i]);
        thread_set_affinity(t[i], (int)i);
    }
    for (unsigned int i = 0; i < n; i++) {
        int rc = thread_join(t[i]);
        printk("timers: armed on vCPU %u, fired on vCPU %u, %s\n", ct[i].armed_on,
               ct[i].fired_on, rc ? "WRONG" : "20 rounds ok");
        bad |= rc;
    }
    return bad;
}

/* hotplug: a worker pinned to each vCPU computes in slices and yields;
 * the toolstack takes all vCPUs but 0 offline (xl vcpu-set mote 1) and
 * brings them back. While only vCPU 0 is up the workers must run there;
 * afterwards each is back on its own vCPU, and all finish. */
enum { HP_BEFORE, HP_GOING, HP_ONE, HP_RETURNING, HP_BACK, HP_PHASES };
static volatile int hp_phase;
static volatile bool hp_stop;
static unsigned long hp_slices[MAX_CPUS][HP_PHASES][MAX_CPUS];   /* [worker][phase][vCPU] */

static int hp_worker(void *arg)
{
    unsigned int me = (unsigned int)(long)arg;

    while (!hp_stop) {
        uint64_t until = monotonic_ns() + 200000;
        while (monotonic_ns() < until)
            cpu_relax();
        hp_slices[me][hp_phase][smp_cpu_id()]++;
        thread_yield();
    }
    return 0;
}

static void hp_wait_count(unsigned int n)
{
    while (smp_cpu_count() != n)
        sleep_ns(10000000);
}

static int hotplug(void)
{
    unsigned int n = smp_cpu_count();
    struct thread *t[MAX_CPUS];
    int bad = 0;

    for (unsigned int i = 0; i < n; i++) {
        t[i] = thread_create("worker", hp_worker, (void *)(long)i);
        thread_set_affinity(t[i], (int)i);
    }
    sleep_ns(500000000);
    printk("hotplug: %u workers running\n", n);
    hp_wait_count(1);
    hp_phase = HP_GOING;
    /* The count drops when the toolstack asks; a worker may finish its
     * slice on its vCPU before that vCPU goes down. */
    sleep_ns(500000000);
    hp_phase = HP_ONE;
    sleep_ns(1000000000);
    /* Before the line the toolstack waits for to bring the vCPUs back. */
    hp_phase = HP_RETURNING;
    printk("hotplug: settled on 1 vCPU\n");
    hp_wait_count(n);
    hp_phase = HP_BACK;
    sleep_ns(1000000000);
    hp_stop = true;
    for (unsigned int i = 0; i < n; i++) {
        thread_join(t[i]);
        unsigned long elsewhere = 0;
        for (unsigned int c = 1; c < MAX_CPUS; c++)
            elsewhere += hp_slices[i][HP_ONE][c];
        unsigned long home = hp_slices[i][HP_BACK][i];
        printk("hotplug: worker %u: %lu slices on vCPU 0 and %lu elsewhere with 1 vCPU up, "
               "%lu on vCPU %u after\n", i, hp_slices[i][HP_ONE][0], elsewhere, home, i);
        bad |= elsewhere != 0 || hp_slices[i][HP_ONE][0] == 0 || home == 0;
    }
    printk("hotplug: done, %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* rebind: a loopback channel (EVTCHNOP_alloc_unbound + bind_interdomain
 * to DOMID_SELF); its receiving port is moved to vCPU 1, then back to 0,
 * with evtchn_bind_to_cpu; each send must be handled, on that vCPU. */
#define REBIND_SENDS 1000
static unsigned long rebind_handled[MAX_CPUS];

static void rebind_handler(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    __atomic_fetch_add(&rebind_handled[smp_cpu_id()], 1, __ATOMIC_RELAXED);
}

static void nothing(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
}

static unsigned long rebind_total(void)
{
    unsigned long n = 0;

    for (unsigned int i = 0; i < MAX_CPUS; i++)
        n += __atomic_load_n(&rebind_handled[i], __ATOMIC_RELAXED);
    return n;
}

/* Sends on `a` n times, one at a time (a send while the port is still
 * pending would merge with it: one bit per port), giving each send up to
 * timeout_s to be handled: a deadline per send, not for the whole run, so a
 * host too loaded to schedule the vCPUs promptly slows the run down but
 * cannot make a send look lost. Returns how many the handler saw, counted
 * afresh in rebind_handled; it stops at the first send not handled. */
static unsigned long send_and_count(evtchn_port_t a, unsigned long n, unsigned int timeout_s)
{
    memset(rebind_handled, 0, sizeof(rebind_handled));
    for (unsigned long i = 0; i < n; i++) {
        uint64_t deadline = monotonic_ns() + timeout_s * 1000 * 1000 * 1000ULL;

        evtchn_send(a);
        while (rebind_total() < i + 1 && monotonic_ns() < deadline)
            cpu_relax();
        if (rebind_total() < i + 1)
            break;
    }
    return rebind_total();
}

/* A loopback channel for the rebind scenarios, sent on from vCPU 0: `a`
 * sends, `b` runs rebind_handler. 0, or 1 (reported) if it cannot be made. */
static int open_loopback(const char *what, int *a, int *b)
{
    if (smp_cpu_count() < 2) {
        printk("%s: needs 2 vCPUs\n", what);
        return 1;
    }
    thread_set_affinity(thread_self(), 0);
    *a = evtchn_alloc_unbound(DOMID_SELF, nothing, NULL);
    *b = *a < 0 ? *a : evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)*a, rebind_handler, NULL);
    if (*b < 0)
        return 1;
    /* Xen sets a freshly bound interdomain port pending once: let it run. */
    sleep_ns(10 * 1000 * 1000ULL);
    return 0;
}

static int rebind(void)
{
    int a, b;
    if (open_loopback("rebind", &a, &b))
        return 1;
    int bad = 0;
    static const unsigned int targets[] = { 1, 0 };
    for (unsigned int t = 0; t < ARRAY_SIZE(targets); t++) {
        unsigned int cpu = targets[t];
        int rc = evtchn_bind_to_cpu((evtchn_port_t)b, cpu);
        unsigned long dispatched0 = event_stats.dispatched;
        send_and_count((evtchn_port_t)a, REBIND_SENDS, 5);
        unsigned long dispatched = event_stats.dispatched - dispatched0;
        unsigned long elsewhere = rebind_total() - rebind_handled[cpu];
        printk("rebind: port %d on vCPU %u (rc=%d): %lu of %d sends handled there, %lu "
               "elsewhere, dispatched=%lu\n", b, cpu, rc, rebind_handled[cpu], REBIND_SENDS,
               elsewhere, dispatched);
        /* event_stats.dispatched is bumped on both vCPUs (the channel's
         * handler on one, timers on the other): with a lost increment it
         * could count fewer calls than the handler saw. */
        bad |= rc != 0 || rebind_handled[cpu] != REBIND_SENDS || elsewhere != 0 ||
               dispatched < REBIND_SENDS;
    }
    /* A vCPU that is not up is refused. */
    int rc = evtchn_bind_to_cpu((evtchn_port_t)b, smp_cpu_max());
    printk("rebind: to vCPU %u (none): rc=%d\n", smp_cpu_max(), rc);
    bad |= rc >= 0;
    evtchn_close((evtchn_port_t)b);
    evtchn_close((evtchn_port_t)a);
    printk("rebind: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* rebind-offline: a port moved to vCPU 1 goes on being handled, on vCPU
 * 0, once vCPU 1 is taken down (smp_cpu_down, as hotplug does). */
static int rebind_offline(void)
{
    int a, b;
    if (open_loopback("rebind-offline", &a, &b))
        return 1;
    int rc = evtchn_bind_to_cpu((evtchn_port_t)b, 1);
    unsigned long before = send_and_count((evtchn_port_t)a, 100, 5);
    unsigned long on1 = rebind_handled[1];
    smp_cpu_down(1);
    /* Down in Xen (VCPUOP_is_up 0) comes after its ports moved. */
    uint64_t deadline = monotonic_ns() + 20 * 1000 * 1000 * 1000ULL;
    while (HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) != 0 && monotonic_ns() < deadline)
        sleep_ns(1000000ULL);
    unsigned long during = send_and_count((evtchn_port_t)a, 100, 5);
    unsigned long on0 = rebind_handled[0];
    smp_cpu_up(1);
    unsigned long after = send_and_count((evtchn_port_t)a, 100, 5);
    printk("rebind-offline: rc=%d; vCPU 1 up: %lu of 100 handled (%lu on vCPU 1); down: %lu "
           "of 100 (%lu on vCPU 0); back up: %lu of 100 (%lu on vCPU 0)\n", rc, before, on1,
           during, on0, after, rebind_handled[0]);
    bool bad = rc != 0 || on1 != 100 || on0 != 100 || rebind_handled[0] != 100;
    printk("rebind-offline: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* call-offline: a thread pinned to vCPU 2 calls vCPU 1 and waits, over
 * and over, while vCPU 0 takes vCPU 1 offline and back (smp_cpu_down and
 * smp_cpu_up, as hotplug does) CALL_OFFLINE_CYCLES times. A call that
 * lands after vCPU 1's last look at its call slots must be refused (-1),
 * not waited for until vCPU 1 comes back: while vCPU 1 is down the caller
 * has to go on returning. And every call reported run has run, once. */
#define CALL_OFFLINE_CYCLES 40
static volatile bool co_stop;
static unsigned long co_calls, co_ok, co_refused, co_ran;

static void co_add(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&co_ran, 1, __ATOMIC_RELAXED);
}

static int co_hammer(void *arg)
{
    (void)arg;
    while (!co_stop) {
        if (smp_call(1, co_add, NULL, true) == 0)
            co_ok++;
        else
            co_refused++;
        __atomic_fetch_add(&co_calls, 1, __ATOMIC_RELEASE);
    }
    return 0;
}

/* Sleeps until vCPU `id` is down in Xen (VCPUOP_is_up 0), for 20 s at most. */
static bool wait_xen_down(unsigned int id)
{
    uint64_t deadline = monotonic_ns() + 20 * 1000 * 1000 * 1000ULL;

    while (HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) != 0)
        if (monotonic_ns() > deadline)
            return false;
        else
            sleep_ns(1000000ULL);
    return true;
}

static int call_offline(void)
{
    if (smp_cpu_count() < 3) {
        printk("call-offline: needs 3 vCPUs\n");
        return 1;
    }
    thread_set_affinity(thread_self(), 0);
    struct thread *t = thread_create("hammer", co_hammer, NULL);
    thread_set_affinity(t, 2);
    unsigned int stuck = 0, cycles = 0;
    for (; cycles < CALL_OFFLINE_CYCLES; cycles++) {
        sleep_ns(5 * 1000 * 1000ULL);
        if (smp_cpu_down(1) < 0 || !wait_xen_down(1)) {
            printk("call-offline: vCPU 1 did not go down\n");
            break;
        }
        /* vCPU 1 is down: the hammer must still make progress. */
        unsigned long before = __atomic_load_n(&co_calls, __ATOMIC_ACQUIRE);
        uint64_t deadline = monotonic_ns() + 2 * 1000 * 1000 * 1000ULL;
        while (__atomic_load_n(&co_calls, __ATOMIC_ACQUIRE) < before + 2 &&
               monotonic_ns() < deadline)
            sleep_ns(1000000ULL);
        if (__atomic_load_n(&co_calls, __ATOMIC_ACQUIRE) < before + 2) {
            printk("call-offline: cycle %u: the caller is stuck in smp_call to vCPU 1, which is "
                   "down\n", cycles);
            stuck++;
        }
        if (smp_cpu_up(1) < 0) {
            printk("call-offline: vCPU 1 did not come back\n");
            break;
        }
    }
    co_stop = true;
    thread_join(t);
    printk("call-offline: %u cycles, %lu calls: %lu run, %lu refused, %lu ran; %u stuck\n",
           cycles, co_calls, co_ok, co_refused, co_ran, stuck);
    bool bad = cycles != CALL_OFFLINE_CYCLES || stuck || co_ran != co_ok || co_ok == 0;
    printk("call-offline: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* close-wait: a loopback port bound to vCPU 1 whose handler spins 200 ms;
 * vCPU 0 closes the port while the handler runs. evtchn_close must return
 * only after the handler has (the caller may free what it uses). Then a
 * handler on vCPU 1 that closes its own port: that close must not wait for
 * itself. */
#define CLOSE_WAIT_ROUNDS 3
static volatile bool cw_started, cw_finished;
static volatile unsigned int cw_cpu;

static void cw_slow(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    cw_cpu = smp_cpu_id();
    cw_started = true;
    uint64_t until = monotonic_ns() + 200 * 1000 * 1000ULL;
    while (monotonic_ns() < until)
        cpu_relax();
    cw_finished = true;
}

static void cw_close_self(evtchn_port_t port, void *ctx)
{
    (void)ctx;
    cw_cpu = smp_cpu_id();
    evtchn_close(port);
    cw_finished = true;
}

/* A loopback channel whose receiving end, moved to vCPU 1, runs `handler`:
 * returns the sending end, or -1; *recv gets the other. */
static int cw_open(evtchn_handler_t handler, int *recv)
{
    int a = evtchn_alloc_unbound(DOMID_SELF, nothing, NULL);
    int b = a < 0 ? a : evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, nothing, NULL);
    if (b < 0)
        return -1;
    /* Xen sets a freshly bound interdomain port pending once: let it go by
     * before the real handler is attached. */
    sleep_ns(10 * 1000 * 1000ULL);
    evtchn_bind_existing((evtchn_port_t)b, handler, NULL);
    evtchn_bind_to_cpu((evtchn_port_t)b, 1);
    *recv = b;
    return a;
}

static bool cw_wait(volatile bool *flag)
{
    uint64_t deadline = monotonic_ns() + 10 * 1000 * 1000 * 1000ULL;

    while (!*flag)
        if (monotonic_ns() > deadline)
            return false;
        else
            cpu_relax();
    return true;
}

static int close_wait(void)
{
    if (smp_cpu_count() < 2) {
        printk("close-wait: needs 2 vCPUs\n");
        return 1;
    }
    thread_set_affinity(thread_self(), 0);
    int bad = 0;
    for (unsigned int round = 0; round < CLOSE_WAIT_ROUNDS; round++) {
        int b, a = cw_open(cw_slow, &b);
        if (a < 0)
            return 1;
        cw_started = cw_finished = false;
        evtchn_send((evtchn_port_t)a);
        bool started = cw_wait(&cw_started);
        uint64_t t0 = monotonic_ns();
        evtchn_close((evtchn_port_t)b);
        uint64_t ms = (monotonic_ns() - t0) / 1000000;
        bool finished = cw_finished;
        printk("close-wait: round %u: handler on vCPU %u, closed from vCPU %u after %llu ms, "
               "handler %s when the close returned\n", round, cw_cpu, smp_cpu_id(),
               (unsigned long long)ms, finished ? "finished" : "STILL RUNNING");
        bad |= !started || !finished || cw_cpu != 1;
        cw_wait(&cw_finished);
        evtchn_close((evtchn_port_t)a);
    }
    int b, a = cw_open(cw_close_self, &b);
    if (a < 0)
        return 1;
    cw_finished = false;
    evtchn_send((evtchn_port_t)a);
    bool returned = cw_wait(&cw_finished);
    printk("close-wait: a handler on vCPU %u closing its own port: %s\n", cw_cpu,
           returned ? "returned" : "STUCK");
    bad |= !returned;
    evtchn_close((evtchn_port_t)a);
    printk("close-wait: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* bringup-failed: run on a test build (tests/boot/vcpus.sh) in which
 * vCPU 1's first context is refused by Xen and vCPU 2 reports in only
 * after the boot vCPU gave up on it. Neither may ever be taken for up:
 * hotplug's smp_cpu_up refuses both, and nothing is sent or pinned there. */
static void bf_nothing(void *arg)
{
    (void)arg;
}

static int bringup_failed(void)
{
    int bad = smp_cpu_count() != 1;
    printk("bringup-failed: %u of %u vCPUs up\n", smp_cpu_count(), smp_cpu_max());
    for (unsigned int id = 1; id < smp_cpu_max(); id++) {
        int up = smp_cpu_up(id);
        bool online = smp_cpu_online(id);
        /* Only if it is not (wrongly) up: a call there would never run. */
        int call = online ? 0 : smp_call(id, bf_nothing, NULL, true);
        int pin = online ? 0 : thread_set_affinity(thread_self(), (int)id);
        struct smp_cpu_times times;
        int rt = smp_cpu_times(id, &times);
        printk("bringup-failed: vCPU %u: smp_cpu_up %d, %s, smp_call %d, pin %d, times %d\n",
               id, up, online ? "MARKED UP" : "not up", call, pin, rt);
        bad |= up != -1 || online || call != -1 || pin != -1 || rt != -1;
    }
    bad |= smp_cpu_count() != 1;
    printk("bringup-failed: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* runstate: vCPU 1's times as Xen accounts them (smp_cpu_times) over a
 * phase in which a thread pinned there spins, then one in which it is
 * idle: the first must show up as running, the second as blocked. */
#define RUNSTATE_PHASE_NS (300 * 1000 * 1000ULL)

static int runstate_spin(void *arg)
{
    (void)arg;
    uint64_t end = monotonic_ns() + RUNSTATE_PHASE_NS;
    while (monotonic_ns() < end)
        cpu_relax();
    return 0;
}

static uint64_t ms_of(uint64_t after, uint64_t before)
{
    return (after - before) / 1000000;
}

static int runstate(void)
{
    if (smp_cpu_count() < 2) {
        printk("runstate: needs 2 vCPUs\n");
        return 1;
    }
    thread_set_affinity(thread_self(), 0);
    struct smp_cpu_times t0, t1, t2;
    int rc = smp_cpu_times(1, &t0);
    struct thread *spin = thread_create("spin", runstate_spin, NULL);
    thread_set_affinity(spin, 1);
    thread_join(spin);
    rc |= smp_cpu_times(1, &t1);
    sleep_ns(RUNSTATE_PHASE_NS);
    rc |= smp_cpu_times(1, &t2);
    uint64_t spin_run = ms_of(t1.running_ns, t0.running_ns);
    uint64_t idle_run = ms_of(t2.running_ns, t1.running_ns);
    uint64_t idle_blocked = ms_of(t2.blocked_ns, t1.blocked_ns);
    printk("runstate: vCPU 1 spinning 300 ms: running +%llu ms, runnable +%llu, blocked +%llu; "
           "idle 300 ms: running +%llu, blocked +%llu; total running %llu ms, offline %llu\n",
           (unsigned long long)spin_run,
           (unsigned long long)ms_of(t1.runnable_ns, t0.runnable_ns),
           (unsigned long long)ms_of(t1.blocked_ns, t0.blocked_ns),
           (unsigned long long)idle_run, (unsigned long long)idle_blocked,
           (unsigned long long)(t2.running_ns / 1000000),
           (unsigned long long)(t2.offline_ns / 1000000));
    struct smp_cpu_times none;
    int rc_none = smp_cpu_times(smp_cpu_max(), &none);
    bool bad = rc != 0 || rc_none != -1 || spin_run < 250 || idle_blocked < 250 ||
               idle_run > 50;
    printk("runstate: %s\n", bad ? "WRONG" : "ok");
    return bad;
}

/* suspend: a worker pinned to each vCPU ticks every second, and each tick
 * calls the next vCPU (an IPI both ways) and waits for the answer, while
 * dom0 saves and restores the domain (tests/boot/lifecycle.sh). A vCPU
 * whose timer VIRQ or IPI port was not bound again after the restore stops
 * its worker's ticks (or the caller's, waiting for the call). Runs until
 * the domain is shut down. */
static void sv_answer(void *arg)
{
    __atomic_fetch_add((unsigned long *)arg, 1, __ATOMIC_RELAXED);
}

static int sv_worker(void *arg)
{
    unsigned int me = (unsigned int)(long)arg;
    unsigned long calls = 0;

    for (unsigned long tick = 1;; tick++) {
        sleep_ns(1000000000ULL);
        unsigned int next = (me + 1) % smp_cpu_max();
        if (smp_cpu_online(next))
            smp_call(next, sv_answer, &calls, true);
        printk("suspend: worker %u tick %lu on vCPU %u, %lu calls answered\n", me, tick,
               smp_cpu_id(), calls);
    }
    return 0;
}

static int suspend_workers(void)
{
    unsigned int n = smp_cpu_count();

    for (unsigned int i = 0; i < n; i++)
        thread_set_affinity(thread_create("worker", sv_worker, (void *)(long)i), (int)i);
    printk("suspend: %u workers running\n", n);
    for (;;)
        sleep_ns(1000000000ULL);
    return 0;
}

/* parallel: CPU-bound work split between 2 threads, unpinned (the
 * speedup benchmark, bench/smp.sh): on one vCPU they run one after the
 * other, on two at once. */
#define PARALLEL_ROUNDS 200000000UL

static int crunch(void *arg)
{
    unsigned long x = (unsigned long)arg;

    for (unsigned long i = 0; i < PARALLEL_ROUNDS; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    return (int)(x >> 60);
}

static int parallel(void)
{
    uint64_t t0 = monotonic_ns();
    struct thread *a = thread_create("crunch", crunch, (void *)1UL);
    struct thread *b = thread_create("crunch", crunch, (void *)2UL);
    int r = thread_join(a) + thread_join(b);
    uint64_t us = (monotonic_ns() - t0) / 1000;

    printk("parallel: 2 threads x %lu rounds on %u vCPUs: %llu us (%d)\n", PARALLEL_ROUNDS,
           smp_cpu_count(), (unsigned long long)us, r);
    return 0;
}

/* sched: what the scheduler's one locked run queue costs (bench/smp.sh),
 * on 1 vCPU and on 2. yield: 4 unpinned threads each yield 20,000 times,
 * every yield taking sched_lock; on 2 vCPUs both contend for it. pingpong:
 * two threads hand a token back and forth through two semaphores, 20,000
 * times, unpinned (the scheduler puts them where it likes), then pinned to
 * vCPUs 0 and 1 (every hand-over wakes a thread on the other vCPU). */
#define SCHED_THREADS 4
#define SCHED_YIELDS 20000
#define SCHED_ROUNDS 20000
static unsigned int yield_ready;
static struct semaphore sem_ping, sem_pong;
static unsigned long pp_same;       /* hand-overs that stayed on one vCPU */

static int yielder(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&yield_ready, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&yield_ready, __ATOMIC_ACQUIRE) < SCHED_THREADS)
        thread_yield();
    for (int i = 0; i < SCHED_YIELDS; i++)
        thread_yield();
    return 0;
}

static volatile unsigned int pp_last_cpu;

static int ponger(void *arg)
{
    (void)arg;
    for (int i = 0; i < SCHED_ROUNDS; i++) {
        semaphore_down(&sem_ping);
        if (pp_last_cpu == smp_cpu_id())
            pp_same++;
        pp_last_cpu = smp_cpu_id();
        semaphore_up(&sem_pong);
    }
    return 0;
}

static uint64_t pingpong(int main_cpu, int pong_cpu)
{
    thread_set_affinity(thread_self(), main_cpu);
    pp_same = 0;
    struct thread *t = thread_create("ponger", ponger, NULL);
    thread_set_affinity(t, pong_cpu);
    uint64_t t0 = monotonic_ns();
    for (int i = 0; i < SCHED_ROUNDS; i++) {
        semaphore_up(&sem_ping);
        semaphore_down(&sem_pong);
        if (pp_last_cpu == smp_cpu_id())
            pp_same++;
        pp_last_cpu = smp_cpu_id();
    }
    uint64_t ns = monotonic_ns() - t0;
    thread_join(t);
    thread_set_affinity(thread_self(), -1);
    return ns / SCHED_ROUNDS;
}

static int sched(void)
{
    unsigned int n = smp_cpu_count();
    struct thread *t[SCHED_THREADS];
    unsigned long switches0 = sched_stats.switches, blocks0 = sched_stats.idle_blocks;
    uint64_t t0 = monotonic_ns();
    for (int i = 0; i < SCHED_THREADS; i++)
        t[i] = thread_create("yielder", yielder, NULL);
    for (int i = 0; i < SCHED_THREADS; i++)
        thread_join(t[i]);
    uint64_t ns = monotonic_ns() - t0;
    unsigned long yields = (unsigned long)SCHED_THREADS * SCHED_YIELDS;
    printk("sched: yield: %d threads x %d yields on %u vCPUs: %llu ns per yield, %llu yields "
           "per ms, switches=%lu idle_blocks=%lu\n", SCHED_THREADS, SCHED_YIELDS, n,
           (unsigned long long)(ns / yields), (unsigned long long)(yields * 1000000ULL / ns),
           sched_stats.switches - switches0, sched_stats.idle_blocks - blocks0);
    uint64_t rt = pingpong(-1, -1);
    printk("sched: pingpong: %d round trips on %u vCPUs, unpinned: %llu ns per round trip, "
           "%lu of %d hand-overs on the same vCPU\n", SCHED_ROUNDS, n, (unsigned long long)rt,
           pp_same, 2 * SCHED_ROUNDS);
    if (n >= 2) {
        rt = pingpong(0, 1);
        printk("sched: pingpong: %d round trips on %u vCPUs, pinned to 0 and 1: %llu ns per "
               "round trip\n", SCHED_ROUNDS, n, (unsigned long long)rt);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "up";

    if (!strcmp(what, "up"))
        return up();
    if (!strcmp(what, "up-idle")) {
        /* Stays up for the toolstack to look at (xl vcpu-list). */
        if (up())
            return 1;
        for (;;)
            sleep_ns(1000000000ULL);
    }
    if (!strcmp(what, "ipi"))
        return ipi(argc > 2 ? strtoul(argv[2], NULL, 0) : 100000, false);
    if (!strcmp(what, "ipi-busy"))
        return ipi(argc > 2 ? strtoul(argv[2], NULL, 0) : 100000, true);
    if (!strcmp(what, "lock"))
        return count(true);
    if (!strcmp(what, "nolock"))
        return count(false);
    if (!strcmp(what, "timers"))
        return timers();
    if (!strcmp(what, "hotplug"))
        return hotplug();
    if (!strcmp(what, "suspend"))
        return suspend_workers();
    if (!strcmp(what, "parallel"))
        return parallel();
    if (!strcmp(what, "sched"))
        return sched();
    if (!strcmp(what, "rebind"))
        return rebind();
    if (!strcmp(what, "rebind-offline"))
        return rebind_offline();
    if (!strcmp(what, "runstate"))
        return runstate();
    if (!strcmp(what, "close-wait"))
        return close_wait();
    if (!strcmp(what, "bringup-failed"))
        return bringup_failed();
    if (!strcmp(what, "call-offline"))
        return call_offline();
    printk("smptest: unknown scenario %s\n", what);
    return 2;
}
