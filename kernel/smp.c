/* SPDX-License-Identifier: MIT */
/*
 * Several vCPUs (include/smp.h, <mote/smp.h>): per-vCPU state, bringing the
 * other vCPUs up, and running functions on them with IPIs.
 *
 * Bring-up (xen/vcpu.h): VCPUOP_is_up tells which vCPUs the domain has (0:
 * exists and is down, -ENOENT: none of that id). For each, the boot vCPU
 * makes its struct cpu, its idle thread (whose stack it starts on) and its
 * IPI port, has arch_cpu_initialise give Xen its first registers, and calls
 * VCPUOP_up; the new vCPU sets up what only it can (its timer) in
 * smp_ap_entry, reports in by setting `online`, and enters its idle thread.
 *
 * Calls: one slot per (target, sender) pair, so a sender never waits for
 * another sender; it fills its slot and sends the target's IPI port
 * (EVTCHNOP_bind_ipi). The target's handler empties its slots. A sender
 * that must wait (for a busy slot, or for the call to finish) runs the calls
 * sent to itself meanwhile, so two vCPUs calling each other cannot deadlock.
 */
#include <arch/atomic.h>
#include <arch/layout.h>
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
#include <thread.h>
#include <timer.h>
#include <xen_shared.h>

_Static_assert(offsetof(struct cpu, self) == PERCPU_SELF, "arch/percpu.h: self");
_Static_assert(offsetof(struct cpu, vcpu_info) == PERCPU_VCPU_INFO, "arch/percpu.h: vcpu_info");
_Static_assert(sizeof(struct cpu) <= PAGE_SIZE, "struct cpu fits a page");

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

/* Runs the calls other vCPUs left for `c`, in each sender's order. */
static void run_calls(struct cpu *c)
{
    for (unsigned int s = 0; s < MAX_CPUS; s++) {
        struct call_slot *slot = &c->calls[s];
        smp_call_fn fn = __atomic_load_n(&slot->fn, __ATOMIC_ACQUIRE);
        if (!fn)
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
    struct call_slot *slot = &cpus[cpu]->calls[self->id];
    while (__atomic_load_n(&slot->fn, __ATOMIC_ACQUIRE)) {
        run_calls(self);
        cpu_relax();
    }
    slot->arg = arg;
    unsigned long seq = ++slot->sent;
    __atomic_store_n(&slot->fn, fn, __ATOMIC_RELEASE);
    send_ipi(cpus[cpu]);
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

/* First C code of every other vCPU, on its idle thread's stack, events
 * masked (cpu_up masked them in its vcpu_info before VCPUOP_up). */
__attribute__((noreturn)) void smp_ap_entry(struct cpu *c)
{
    timer_cpu_init();
    printk("mote: smp: vCPU %u reporting in\n", c->id);
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
    thread_idle_enter(c);
}

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
    if (cpu >= cpu_max || !cpus[cpu])
        return -1;
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
    /* It resumes in smp_idle_offline, from its VCPUOP_down. */
    if (xen_call(vcpu_op, VCPUOP_up, cpu, NULL) < 0)
        return -1;
    uint64_t deadline = monotonic_ns() + CPU_UP_TIMEOUT_NS;
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
        if (monotonic_ns() > deadline) {
            printk("mote: smp: vCPU %u did not come back\n", cpu);
            return -1;
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return 0;
}

void smp_idle_offline(struct cpu *c)
{
    c->down = true;
    /* Its timers would not fire while it is down: vCPU 0 takes them. */
    timer_cpu_offline();
    printk("mote: smp: vCPU %u offline\n", c->id);
    /* vcpu.h: VCPUOP_down on ourselves returns once VCPUOP_up runs us again. */
    xen_call(vcpu_op, VCPUOP_down, c->id, NULL);
    c->down = false;
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
    printk("mote: smp: vCPU %u online\n", c->id);
}

static struct cpu *cpu_alloc(unsigned int id)
{
    struct cpu *c = alloc_pages(0);
    if (!c)
        return NULL;
    memset(c, 0, sizeof(*c));
    c->self = c;
    c->id = id;
    c->vcpu_info = &shared_info->vcpu_info[id];
    int port = evtchn_bind_ipi(id, ipi_handler, c);
    if (port < 0 || !thread_idle_create(c, true)) {
        free_pages(c, 0);
        return NULL;
    }
    c->ipi_port = (evtchn_port_t)port;
    return c;
}

/* Brings vCPU `id` up the first time: 0, or -1 (reported). */
static int cpu_start(unsigned int id)
{
    struct cpu *c = cpu_alloc(id);
    if (!c) {
        printk("mote: smp: no memory for vCPU %u\n", id);
        return -1;
    }
    cpus[id] = c;
    /* It starts with events masked, like vCPU 0 (xen.h start of day). */
    c->vcpu_info->evtchn_upcall_mask = 1;
    unsigned long lo, hi;
    thread_stack(c->idle, &lo, &hi);
    if (arch_cpu_initialise(c, (void *)hi) < 0 || xen_call(vcpu_op, VCPUOP_up, id, NULL) < 0)
        return -1;
    uint64_t deadline = monotonic_ns() + CPU_UP_TIMEOUT_NS;
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
        if (monotonic_ns() > deadline) {
            printk("mote: smp: vCPU %u did not report in\n", id);
            return -1;
        }
        /* Give it our physical CPU, if it shares one with us. */
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return 0;
}

void smp_init(void)
{
    int port = evtchn_bind_ipi(0, ipi_handler, &boot_cpu);
    if (port < 0)
        panic("smp: cannot bind the IPI port of vCPU 0");
    boot_cpu.ipi_port = (evtchn_port_t)port;
    boot_cpu.vcpu_info = this_vcpu();
    if (!thread_idle_create(&boot_cpu, false))
        panic("smp: no memory for vCPU 0's idle thread");

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
        printk("mote: smp: vCPUs from %u on stay down (vcpu_info in the shared info page)\n",
               MAX_CPUS);
    for (id = 1; id < cpu_max; id++)
        cpu_start(id);
    printk("mote: smp: %u of %u vCPUs up\n", smp_cpu_count(), cpu_max);
}
