/* SPDX-License-Identifier: MIT */
/*
 * Several vCPUs (include/smp.h, <mote/smp.h>): per-vCPU state, bringing the
 * other vCPUs up, and running functions on them with IPIs.
 *
 * Bring-up (xen/vcpu.h): VCPUOP_is_up tells which vCPUs the domain has (0:
 * exists and is down, -ENOENT: none of that id). For each, the boot vCPU
 * makes its struct cpu, moves its vcpu_info into it while it is still
 * down (Xen moves one only for the caller or a vCPU that is down) and
 * registers its runstate area there, makes its idle thread (whose stack
 * it starts on) and its IPI port, has arch_cpu_initialise give Xen its
 * first registers, and calls VCPUOP_up; the new vCPU sets up what only
 * it can (its timer) in smp_ap_entry, reports in by setting `online`, and
 * enters its idle thread.
 *
 * Calls: one slot per (target, sender) pair, so a sender never waits for
 * another sender; it fills its slot and sends the target's IPI port
 * (EVTCHNOP_bind_ipi). The target's handler empties its slots. A sender
 * that must wait (for a busy slot, or for the call to finish) runs the calls
 * sent to itself meanwhile, so two vCPUs calling each other cannot deadlock.
 */
#include <arch/atomic.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <clock.h>
#include <console.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <page_alloc.h>
#include <printk.h>
#include <smp.h>
#include <stddef.h>
#include <string.h>
#include <suspend.h>
#include <thread.h>
#include <timer.h>
#include <xen_shared.h>

_Static_assert(offsetof(struct cpu, self) == PERCPU_SELF, "arch/percpu.h: self");
_Static_assert(offsetof(struct cpu, vcpu_info) == PERCPU_VCPU_INFO, "arch/percpu.h: vcpu_info");
_Static_assert(offsetof(struct cpu, vcpu_info_area) == PERCPU_VCPU_INFO_AREA,
               "arch/percpu.h: vcpu_info_area");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_pending) == VCPU_INFO_UPCALL_PENDING &&
               offsetof(struct vcpu_info, evtchn_upcall_mask) == VCPU_INFO_UPCALL_MASK,
               "arch/percpu.h: vcpu_info flags");
_Static_assert(sizeof(struct cpu) <= PAGE_SIZE, "struct cpu fits a page");
_Static_assert(sizeof(struct vcpu_info) <= 64, "an aligned vcpu_info_area stays in one page");
_Static_assert(MAX_CPUS <= 256, "port_cpu (kernel/events.c) holds vCPU ids in a byte");

/* How long the boot vCPU waits for a new one to report in. */
#define CPU_UP_TIMEOUT_NS (10 * 1000 * 1000 * 1000ULL)

/* In .bss (filled in by smp_early_init): with its call slots it is 1.6 KiB,
 * which as initialised data would be in the image file too. */
static struct cpu boot_cpu;
struct cpu *cpus[MAX_CPUS] = { &boot_cpu };
struct smp_stats smp_stats;
static unsigned int cpu_max = 1;
static unsigned int cpus_online = 1;

void smp_early_init(void)
{
    boot_cpu.self = &boot_cpu;
    boot_cpu.online = true;
    thread_cpu_boot(&boot_cpu);
    /* xen-x86_64.h: the kernel-mode %gs base, kept by Xen per vCPU. */
    if (HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&boot_cpu) < 0) {
        static const char msg[] = "mote: set_segment_base(SEGBASE_GS_KERNEL) failed\n";
        console_emergency_write(msg, sizeof(msg) - 1);
        kernel_shutdown(SHUTDOWN_crash);
    }
}

/* A slot's fn while its target runs the call: the slot is not free yet
 * (its sender waits), and its sender can no longer take it back. */
#define CALL_CLAIMED ((smp_call_fn)1)

/* Runs the calls other vCPUs left for `c`, in each sender's order. Only c
 * runs its slots (events masked); a sender may race to take its call back
 * (smp_call, vCPU going down): the compare-and-swap to CALL_CLAIMED decides
 * which of the two has it, and arg is read only once it is ours. */
static void run_calls(struct cpu *c)
{
    for (unsigned int s = 0; s < MAX_CPUS; s++) {
        struct call_slot *slot = &c->calls[s];
        smp_call_fn fn = __atomic_load_n(&slot->fn, __ATOMIC_ACQUIRE);
        if (!fn || fn == CALL_CLAIMED ||
            !__atomic_compare_exchange_n(&slot->fn, &fn, CALL_CLAIMED, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE))
            continue;
        void *arg = slot->arg;
        __atomic_store_n(&slot->fn, NULL, __ATOMIC_RELEASE);
        fn(arg);
        __atomic_fetch_add(&slot->done, 1, __ATOMIC_RELEASE);
    }
}

static void ipi_handler(evtchn_port_t port, void *ctx)
{
    (void)port;
    __atomic_fetch_add(&smp_stats.ipis_received, 1, __ATOMIC_RELAXED);
    run_calls(ctx);
}

static void send_ipi(struct cpu *target)
{
    __atomic_fetch_add(&smp_stats.ipis_sent, 1, __ATOMIC_RELAXED);
    evtchn_send(target->ipi_port);
}

void smp_kick(unsigned int cpu)
{
    send_ipi(cpus[cpu]);
}

int smp_call(unsigned int cpu, smp_call_fn fn, void *arg, bool wait)
{
    if (!smp_cpu_online(cpu))
        return -1;
    /* Masked: the caller stays on this vCPU, and no handler here uses the
     * same slot half-way through. */
    unsigned long flags = local_irq_save();
    struct cpu *self = this_cpu();
    if (cpu == self->id) {
        fn(arg);
        local_irq_restore(flags);
        return 0;
    }
    struct cpu *target = cpus[cpu];
    struct call_slot *slot = &target->calls[self->id];
    while (__atomic_load_n(&slot->fn, __ATOMIC_ACQUIRE)) {
        run_calls(self);
        cpu_relax();
    }
    slot->arg = arg;
    unsigned long seq = ++slot->sent;
    __atomic_store_n(&slot->fn, fn, __ATOMIC_RELEASE);
    /*
     * The target may have been taken offline since the check above, and
     * passed its last upcall. Dekker's handshake with smp_idle_offline:
     * we store fn then load `down`, it stores `down` then runs its slots,
     * each with a full fence between. So either it sees our call in that
     * last run, or we see `down` here; then the compare-and-swap against
     * its run_calls says which of us has the call: if we get it back it
     * never runs, and we say so.
     */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&target->down, __ATOMIC_RELAXED)) {
        smp_call_fn mine = fn;
        if (__atomic_compare_exchange_n(&slot->fn, &mine, NULL, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            slot->sent--;
            local_irq_restore(flags);
            return -1;
        }
    } else {
        send_ipi(target);
    }
    if (wait) {
        while (__atomic_load_n(&slot->done, __ATOMIC_ACQUIRE) < seq) {
            run_calls(self);
            cpu_relax();
        }
    }
    local_irq_restore(flags);
    return 0;
}

void smp_call_all(smp_call_fn fn, void *arg)
{
    unsigned int self = smp_cpu_id();

    for (unsigned int i = 0; i < MAX_CPUS; i++)
        if (i != self && smp_cpu_online(i))
            smp_call(i, fn, arg, true);
    unsigned long flags = local_irq_save();
    fn(arg);
    local_irq_restore(flags);
}

unsigned int smp_cpu_count(void)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_RELAXED);
}

unsigned int smp_cpu_max(void)
{
    return cpu_max;
}

unsigned int smp_cpu_id(void)
{
    return this_cpu_id();
}

bool smp_cpu_online(unsigned int cpu)
{
    return cpu < MAX_CPUS && cpus[cpu] && cpus[cpu]->online;
}

#if defined(SMP_TEST_LATE_CPU) || defined(SMP_TEST_LATE_ONLINE_CPU) || \
    defined(SMP_TEST_SLOW_DOWN_CPU)
/* Test builds (tests/boot/vcpus.sh, lifecycle.sh): a vCPU that is slow,
 * on our clock, until 2 s after its waiter has given up on it. */
static void spin_past_up_timeout(void)
{
    uint64_t until = monotonic_ns() + CPU_UP_TIMEOUT_NS + 2000000000ULL;

    while (monotonic_ns() < until)
        cpu_relax();
}
#endif

/* First C code of every other vCPU, on its idle thread's stack, events
 * masked (cpu_up masked them in its vcpu_info before VCPUOP_up). */
__attribute__((noreturn)) void smp_ap_entry(struct cpu *c)
{
#ifdef SMP_TEST_LATE_CPU
    /* A test build (tests/boot/vcpus.sh): this vCPU reports in only after
     * the boot vCPU has given up on it. */
    if (c->id == SMP_TEST_LATE_CPU)
        spin_past_up_timeout();
#endif
    int starting = CPU_STARTING;
    if (!__atomic_compare_exchange_n(&c->start, &starting, CPU_STARTED, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        /* Too late: cpu_start gave up on us and undid what it could. Stay
         * down for good, events masked (hotplug refuses this vCPU). */
        printk("mote: smp: vCPU %u reported in too late: it stays down\n", c->id);
        for (;;)
            HYPERVISOR_vcpu_op(VCPUOP_down, c->id, NULL);
    }
#ifdef SMP_TEST_LATE_ONLINE_CPU
    /* A test build (tests/boot/vcpus.sh): this vCPU, started, sets
     * `online` only after the boot vCPU's deadline for reporting in. */
    if (c->id == SMP_TEST_LATE_ONLINE_CPU)
        spin_past_up_timeout();
#endif
    /* Started afresh in a new domain, it was down (cpu_restart). */
    c->down = false;
    timer_cpu_init();
    printk("mote: smp: vCPU %u reporting in\n", c->id);
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
    thread_idle_enter(c);
}

/* Waits (yielding our physical CPU, which it may share) until vCPU c
 * reports in: 0, or -1 after CPU_UP_TIMEOUT_NS (reported). */
static int wait_online(struct cpu *c, const char *failure)
{
    uint64_t deadline = monotonic_ns() + CPU_UP_TIMEOUT_NS;

    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
        if (monotonic_ns() > deadline) {
            printk("mote: smp: vCPU %u %s\n", c->id, failure);
            return -1;
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return 0;
}

static int cpu_restart(struct cpu *c);

int smp_cpu_down(unsigned int cpu)
{
    if (cpu == 0 || !smp_cpu_online(cpu))
        return -1;
    struct cpu *c = cpus[cpu];
    unsigned long flags = waitqueue_lock();
    __atomic_store_n(&c->online, false, __ATOMIC_RELEASE);
    __atomic_fetch_sub(&cpus_online, 1, __ATOMIC_RELAXED);
    waitqueue_unlock(flags);
    /* Its idle thread, or its running thread at the next yield or sleep,
     * sees it and goes down. */
    send_ipi(c);
    return 0;
}

int smp_cpu_up(unsigned int cpu)
{
    if (cpu >= cpu_max)
        return -1;
    if (!cpus[cpu]) {
        /* Its first bring-up failed (cpu_start, reported then): there is
         * no state of ours to run it on. */
        printk("mote: smp: vCPU %u never came up: it stays down\n", cpu);
        return -1;
    }
    struct cpu *c = cpus[cpu];
    unsigned long flags = waitqueue_lock();
    if (c->online) {
        waitqueue_unlock(flags);
        return 0;
    }
    if (!c->down) {
        /* Not gone yet: it just stays. */
        __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
        __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELAXED);
        waitqueue_unlock(flags);
        return 0;
    }
    waitqueue_unlock(flags);
    if (c->context_lost)
        return cpu_restart(c);
    /* It resumes in smp_idle_offline, from its VCPUOP_down. It may not
     * have made that call yet: an up before it would do nothing and the
     * down would then stay (vcpu.h: VCPUOP_up of a running vCPU has no
     * effect). So wait until Xen reports it down. */
    uint64_t until = monotonic_ns() + CPU_UP_TIMEOUT_NS;
    while (HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL) > 0) {
        if (monotonic_ns() > until) {
            printk("mote: smp: vCPU %u did not go down\n", cpu);
            return -1;
        }
        thread_yield();
    }
    if (xen_call(vcpu_op, VCPUOP_up, cpu, NULL) < 0)
        return -1;
    return wait_online(c, "did not come back");
}

void smp_idle_offline(struct cpu *c)
{
    c->down = true;
#ifdef SMP_TEST_SLOW_DOWN_CPU
    /* A test build (tests/boot/lifecycle.sh): this vCPU goes down only
     * after its waiters (a suspend's, a hot-unplug's) have given up. */
    if (c->id == SMP_TEST_SLOW_DOWN_CPU)
        spin_past_up_timeout();
#endif
    /* Its timers and ports would not fire while it is down: vCPU 0 takes
     * them. */
    timer_cpu_offline();
    events_cpu_offline(c->id);
    printk("mote: smp: vCPU %u offline\n", c->id);
    /* The last run of our call slots: with `down` stored before it (by
     * idle_loop) and a full fence between, a call posted after it sees
     * `down` and is taken back by its sender (smp_call). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    run_calls(c);
    /* vcpu.h: VCPUOP_down on ourselves returns once VCPUOP_up runs us again. */
    xen_call(vcpu_op, VCPUOP_down, c->id, NULL);
    c->down = false;
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
    printk("mote: smp: vCPU %u online\n", c->id);
}

/* Its struct cpu, vcpu_info, runstate area, IPI port and idle thread, or
 * NULL (reported). */
static struct cpu *cpu_alloc(unsigned int id)
{
    struct cpu *c = alloc_pages(0);
    if (!c) {
        printk("mote: smp: no memory for vCPU %u\n", id);
        return NULL;
    }
    memset(c, 0, sizeof(*c));
    c->self = c;
    c->id = id;
    /* It starts with events masked, like vCPU 0 (xen.h start of day): Xen
     * copies the slot's mask into the new area (or masks a fresh one). */
    if (id < XEN_LEGACY_MAX_VCPUS)
        shared_info->vcpu_info[id].evtchn_upcall_mask = 1;
    if (!smp_place_vcpu_info(c)) {
        free_pages(c, 0);
        return NULL;
    }
    c->vcpu_info->evtchn_upcall_mask = 1;
    smp_register_runstate(c);
    char *emergency = alloc_pages(EMERGENCY_STACK_ORDER);
    int port = emergency ? evtchn_bind_ipi(id, ipi_handler, c) : -1;
    if (port < 0 || !thread_idle_create(c, true)) {
        /* The page is not freed: Xen keeps writing the vcpu_info and
         * runstate areas registered in it (vcpu.h: neither can be undone). */
        printk("mote: smp: no IPI port, idle thread or emergency stack for vCPU %u\n", id);
        if (port >= 0)
            evtchn_close((evtchn_port_t)port);
        if (emergency)
            free_pages(emergency, EMERGENCY_STACK_ORDER);
        return NULL;
    }
    c->ipi_port = (evtchn_port_t)port;
    c->stack_check.emergency_top = (unsigned long)emergency + (PAGE_SIZE << EMERGENCY_STACK_ORDER);
    return c;
}

/*
 * Undoes a first bring-up that failed, so that nothing takes vCPU c for one
 * that may run (cpus[id] is what the scheduler, smp_call and hotplug look
 * at). `ran`: VCPUOP_up succeeded, so c may yet be running our code on its
 * idle thread's stack, late; it is taken down in Xen (vcpu.h: VCPUOP_down
 * works on any vCPU of the domain), and should it get to smp_ap_entry it
 * finds itself ABANDONED and goes down again. Its stack then stays, as does
 * in every case the struct cpu page (Xen writes its vcpu_info and runstate
 * areas for good); the IPI port is closed, and an idle thread that never
 * ran is freed.
 */
static void cpu_abandon(struct cpu *c, bool ran)
{
    cpus[c->id] = NULL;
    if (ran)
        HYPERVISOR_vcpu_op(VCPUOP_down, c->id, NULL);
    evtchn_close(c->ipi_port);
    if (!ran)
        thread_idle_destroy(c);
    printk("mote: smp: vCPU %u left down: its bring-up failed\n", c->id);
}

bool smp_place_vcpu_info(struct cpu *c)
{
    /* vcpu.h: the frame and offset of the new area; Xen copies the old
     * contents there, then marks every event pending so none is lost in
     * the move. Allowed for the calling vCPU or one that is down, once. */
    struct vcpu_register_vcpu_info info = {
        .mfn = virt_to_mfn(&c->vcpu_info_area),
        .offset = (uint32_t)((unsigned long)&c->vcpu_info_area & (PAGE_SIZE - 1)),
    };
    long rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, c->id, &info);

    if (rc == 0) {
        c->vcpu_info_placed = true;
        __atomic_store_n(&c->vcpu_info, &c->vcpu_info_area, __ATOMIC_RELEASE);
        return true;
    }
    hypercall_report_failure("vcpu_op(VCPUOP_register_vcpu_info)", rc);
    if (c->id >= XEN_LEGACY_MAX_VCPUS) {
        printk("mote: smp: vCPU %u has no vcpu_info slot in the shared info page: it stays "
               "down\n", c->id);
        return false;
    }
    printk("mote: smp: vCPU %u uses its shared info slot\n", c->id);
    c->vcpu_info = &shared_info->vcpu_info[c->id];
    return true;
}

void smp_register_runstate(struct cpu *c)
{
    /* vcpu.h: a virtual address on x86; Xen writes it each time the vCPU
     * is scheduled or descheduled, for as long as the domain lives. */
    struct vcpu_register_runstate_memory_area area = { .addr.v = &c->runstate };

    if (xen_call(vcpu_op, VCPUOP_register_runstate_memory_area, c->id, &area) == 0)
        c->runstate_registered = true;
}

int smp_cpu_times(unsigned int cpu, struct smp_cpu_times *out)
{
    if (cpu >= MAX_CPUS || !cpus[cpu] || !cpus[cpu]->runstate_registered)
        return -1;
    const volatile struct vcpu_runstate_info *r = &cpus[cpu]->runstate;
    struct vcpu_runstate_info snap;
    uint64_t entry;
    /* Xen may rewrite the area while we copy it (from another physical CPU
     * when it schedules that vCPU); each change moves state_entry_time, so
     * a copy taken between two equal reads of it is whole (Linux's
     * xen_get_runstate_snapshot_cpu does the same). */
    do {
        entry = r->state_entry_time;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        snap.state = r->state;
        for (unsigned int i = 0; i < 4; i++)
            snap.time[i] = r->time[i];
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while (r->state_entry_time != entry || (entry & XEN_RUNSTATE_UPDATE));
    /* The time in the current state is counted from state_entry_time on. */
    uint64_t now = system_time_ns();  /* Xen's timeline, as state_entry_time */
    if (now > entry)
        snap.time[snap.state & 3] += now - entry;
    out->running_ns = snap.time[RUNSTATE_running];
    out->runnable_ns = snap.time[RUNSTATE_runnable];
    out->blocked_ns = snap.time[RUNSTATE_blocked];
    out->offline_ns = snap.time[RUNSTATE_offline];
    return 0;
}

/* Waits until vCPU c, started for the first time, reports in: 0; or gives
 * up on it after CPU_UP_TIMEOUT_NS: -1 (reported). Only before it has
 * claimed its start (STARTING -> STARTED): from then on it runs our code on
 * its way to `online` (timer_cpu_init, a printk, which may hold locks), so
 * taking it down could leave a lock held for good, and nothing but Xen not
 * scheduling it can keep it from getting there: wait without a deadline. */
static int wait_started(struct cpu *c)
{
    uint64_t deadline = monotonic_ns() + CPU_UP_TIMEOUT_NS;

    for (;;) {
        int state = __atomic_load_n(&c->start, __ATOMIC_ACQUIRE);
        if (state == CPU_STARTED)
            break;
        if (monotonic_ns() > deadline &&
            __atomic_compare_exchange_n(&c->start, &state, CPU_ABANDONED, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            printk("mote: smp: vCPU %u did not report in\n", c->id);
            return -1;
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return 0;
}

/* Brings vCPU `id` up the first time: 0, or -1 (reported, and undone). */
static int cpu_start(unsigned int id)
{
    struct cpu *c = cpu_alloc(id);
    if (!c)
        return -1;
    cpus[id] = c;
    unsigned long lo, hi;
    thread_stack(c->idle, &lo, &hi);
    c->stack_check.limit = thread_stack_limit(c->idle);
    c->start = CPU_STARTING;
    if (arch_cpu_initialise(c, (void *)hi) < 0 ||
        xen_call(vcpu_op, VCPUOP_up, id, NULL) < 0) {
        cpu_abandon(c, false);
        return -1;
    }
    if (wait_started(c) < 0) {
        cpu_abandon(c, true);
        return -1;
    }
    return 0;
}

/*
 * A vCPU that was down when the domain was saved has no context in the new
 * domain: libxc saves the registers of online vCPUs only, so Xen has it
 * uninitialised and VCPUOP_up refuses it (-EINVAL). It starts afresh at
 * smp_ap_entry on its idle thread's stack (the old frames of its idle
 * thread, parked in smp_idle_offline, are dropped), with a new IPI port;
 * smp_ap_entry binds its timer VIRQ again.
 */
static int cpu_restart(struct cpu *c)
{
    int port = evtchn_bind_ipi(c->id, ipi_handler, c);
    if (port < 0)
        return -1;
    c->ipi_port = (evtchn_port_t)port;
    c->context_lost = false;
    /* A new domain: vcpu_info and runstate areas registered again, as at
     * first bring-up (allowed while the vCPU is down, vcpu.h). */
    c->vcpu_info_placed = false;
    if (c->id < XEN_LEGACY_MAX_VCPUS) {
        c->vcpu_info = &shared_info->vcpu_info[c->id];
        c->vcpu_info->evtchn_upcall_mask = 1;
    }
    if (!smp_place_vcpu_info(c))
        return -1;
    smp_register_runstate(c);
    c->vcpu_info->evtchn_upcall_mask = 1;
    unsigned long lo, hi;
    thread_stack(c->idle, &lo, &hi);
    /* It starts afresh on its idle thread's stack, whatever ran last. */
    c->stack_check.limit = thread_stack_limit(c->idle);
    c->start = CPU_STARTING;
    if (arch_cpu_initialise(c, (void *)hi) < 0 || xen_call(vcpu_op, VCPUOP_up, c->id, NULL) < 0)
        return -1;
    return wait_online(c, "did not report in after the restore");
}

/*
 * Suspend (include/suspend.h) with several vCPUs: kernel_suspend runs on
 * vCPU 0, and the others go down first (as a hot-unplug: their threads move
 * to vCPU 0, their timers too), so the save sees one running vCPU and no
 * other vCPU touches the shared info page while it is unmapped. On resume
 * they come back: in place (xl save -c) with VCPUOP_up, in a new domain
 * started afresh (cpu_restart).
 */
static bool down_for_suspend[MAX_CPUS];

/* Waits (sleeping) until Xen has vCPU `id` down: 0, or -1 (reported). */
static int wait_down_in_xen(unsigned int id)
{
    uint64_t deadline = monotonic_ns() + CPU_UP_TIMEOUT_NS;

    while (HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) > 0) {
        if (monotonic_ns() > deadline) {
            printk("mote: smp: vCPU %u did not go down for the suspend\n", id);
            return -1;
        }
        sleep_ns(1000000);
    }
    return 0;
}

/* A vCPU that is still up when the suspend call is made would take its
 * next upcall with the shared info page unmapped, or come back in the new
 * domain with no vcpu_info, IPI port or timer: the suspend is refused then,
 * and smp_resume brings back the ones that did go down. */
static void smp_suspend(void)
{
    for (unsigned int id = 1; id < cpu_max; id++)
        down_for_suspend[id] = smp_cpu_down(id) == 0;
    for (unsigned int id = 1; id < cpu_max; id++)
        if (down_for_suspend[id] && wait_down_in_xen(id) < 0)
            suspend_refuse("a vCPU did not go down");
}

/* On vCPU 0, delivery masked, the shared info page mapped again (maybe at
 * another address, and in a new domain a new page). */
static void smp_resume_masked(bool new_domain)
{
    /* Where each other vCPU's vcpu_info is: its per-CPU area, which a
     * cancelled suspend keeps registered, or its slot in the shared info
     * page (remapped, maybe at another address). In a new domain the
     * registration is gone (vcpu.h): cpu_restart makes it again before the
     * vCPU runs; vCPU 0's is made in events_resume (kernel/events.c). */
    for (unsigned int id = 1; id < cpu_max; id++) {
        struct cpu *c = cpus[id];
        if (c && c->vcpu_info_placed && !new_domain)
            c->vcpu_info = &c->vcpu_info_area;
        else if (c && id < XEN_LEGACY_MAX_VCPUS)
            c->vcpu_info = &shared_info->vcpu_info[id];
    }
    if (!new_domain)
        return;
    /* Every event channel is gone: vCPU 0's IPI port is bound again now;
     * the others' with their restart. */
    int port = evtchn_bind_ipi(0, ipi_handler, &boot_cpu);
    if (port < 0)
        panic("smp: cannot bind the IPI port of vCPU 0 again");
    boot_cpu.ipi_port = (evtchn_port_t)port;
    for (unsigned int id = 1; id < cpu_max; id++)
        if (cpus[id])
            cpus[id]->context_lost = true;
}

static void smp_resume(bool new_domain)
{
    unsigned int back = 0, wanted = 0;

    for (unsigned int id = 1; id < cpu_max; id++) {
        if (!down_for_suspend[id])
            continue;
        wanted++;
        back += smp_cpu_up(id) == 0;
        down_for_suspend[id] = false;
    }
    if (wanted)
        printk("mote: smp: %u of %u vCPUs back %s\n", back, wanted,
               new_domain ? "in the new domain" : "in place");
}

static struct suspend_hook smp_suspend_hook = {
    .name = "smp", .suspend = smp_suspend, .resume_masked = smp_resume_masked,
    .resume = smp_resume,
};

void smp_init(void)
{
    int port = evtchn_bind_ipi(0, ipi_handler, &boot_cpu);
    if (port < 0)
        panic("smp: cannot bind the IPI port of vCPU 0");
    boot_cpu.ipi_port = (evtchn_port_t)port;
    smp_register_runstate(&boot_cpu);
    if (!thread_idle_create(&boot_cpu, false))
        panic("smp: no memory for vCPU 0's idle thread");
    suspend_hook_add(&smp_suspend_hook);

    unsigned int id;
    for (id = 1; id < MAX_CPUS; id++) {
        long rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL);
        if (rc == -XEN_ENOENT)
            break;
        if (rc < 0) {
            hypercall_report_failure("vcpu_op(VCPUOP_is_up)", rc);
            break;
        }
    }
    cpu_max = id;
    if (id == MAX_CPUS && HYPERVISOR_vcpu_op(VCPUOP_is_up, MAX_CPUS, NULL) != -XEN_ENOENT)
        printk("mote: smp: vCPUs from %u on stay down (MAX_CPUS)\n", MAX_CPUS);
    for (id = 1; id < cpu_max; id++)
        cpu_start(id);
    unsigned int placed = 0;
    for (id = 0; id < cpu_max; id++)
        placed += cpus[id] && cpus[id]->vcpu_info_placed;
    printk("mote: smp: vcpu_info of %u of %u vCPUs in per-CPU memory\n", placed, cpu_max);
    printk("mote: smp: %u of %u vCPUs up\n", smp_cpu_count(), cpu_max);
}
