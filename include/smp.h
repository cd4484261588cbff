/* SPDX-License-Identifier: MIT */
/*
 * Several vCPUs (kernel/smp.c): each vCPU's own state, bringing the others
 * up with vcpu_op (xen/vcpu.h), and running a function on another vCPU
 * through an inter-processor interrupt: an event channel bound with
 * EVTCHNOP_bind_ipi to that vCPU (xen/event_channel.h).
 *
 * Each vCPU reaches its own struct cpu through %gs (arch/percpu.h): this_cpu().
 */
#ifndef SMP_H
#define SMP_H

#include <arch/fpu.h>
#include <arch/percpu.h>
#include <arch/stack_check.h>
#include <stdbool.h>
#include <stdint.h>
#include <timer_cpu.h>
#include <xen_interface.h>
/* smp_cpu_count, smp_cpu_id, smp_call, smp_call_all: the API. */
#include <mote/smp.h>

/* Each vCPU's vcpu_info is placed in its struct cpu with
 * VCPUOP_register_vcpu_info (xen/vcpu.h), so the shared info page's 32 slots
 * (XEN_LEGACY_MAX_VCPUS, xen.h) do not limit us; this does (port_cpu in
 * kernel/events.c holds ids up to 255). Should Xen refuse the registration,
 * a vCPU falls back to its shared-info slot, and one with no slot stays down. */
#define MAX_CPUS 64

struct thread;

enum { CPU_STARTING, CPU_STARTED, CPU_ABANDONED };

/* A call another vCPU left for this one (kernel/smp.c). */
struct call_slot {
    smp_call_fn fn;             /* non-NULL: a call waits here */
    void *arg;
    unsigned long sent;         /* calls the sender put here (sender only) */
    unsigned long done;         /* calls the target finished */
};

struct cpu {
    struct cpu *self;           /* PERCPU_SELF: what this_cpu() loads */
    vcpu_info_t *vcpu_info;     /* PERCPU_VCPU_INFO: this_vcpu() */
    struct thread *running;     /* the thread running here (kernel/thread.c) */
    struct thread *idle;        /* runs when nothing else can; blocks in Xen */
    unsigned int id;            /* the vCPU id Xen knows it by */
    volatile bool online;       /* running mote's code and taking work */
    volatile bool idle_blocked; /* its idle thread is about to block in Xen */
    volatile bool down;         /* taken down with VCPUOP_down (hotplug) */
    bool context_lost;          /* down across a restore: Xen has no context for it */
    /* Bring-up (smp_ap_entry against cpu_start's timeout): it reports in
     * by moving STARTING to STARTED; the boot vCPU gives up on it by
     * moving STARTING to ABANDONED. Whoever moves it first wins. */
    int start;
    int upcall_depth;           /* checks that upcalls never nest */
    /* Port + 1 whose handler this vCPU is running, 0 if none: evtchn_close
     * waits until no other vCPU runs the port's handler (kernel/events.c). */
    uint32_t dispatching;
    bool vcpu_info_placed;      /* vcpu_info is vcpu_info_area, not a shared-info slot */
    evtchn_port_t ipi_port;     /* IPIs to this vCPU arrive here */
    /* vcpu.h, VCPUOP_register_vcpu_info: "must not cross a page boundary";
     * 64 bytes aligned to 64 cannot. Xen writes it from then on. At
     * PERCPU_VCPU_INFO_AREA, where the upcall's return reaches its flags
     * through %gs (arch/x86_64/upcall.S). */
    struct vcpu_info vcpu_info_area __attribute__((aligned(64)));
    void *stack;                /* the stack it came up on (its idle thread's) */
    struct fpu_state upcall_fpu;  /* the interrupted thread's FPU during an upcall */
    /* VCPUOP_register_runstate_memory_area: Xen updates it whenever this
     * vCPU changes state (smp_cpu_times reads it). */
    struct vcpu_runstate_info runstate;
    bool runstate_registered;
    struct call_slot calls[MAX_CPUS];   /* by sender: one slot each */
    struct timer_cpu timer;     /* its timer queue and Xen timer (kernel/timer.c) */
    uint64_t fs_base_loaded;    /* the %fs base loaded here (kernel/thread.c) */
    /* Its stack overflow check (arch/stack_check.h), where its %fs points;
     * vCPU 0 uses boot_stack_check instead, set up before any C code. */
    struct stack_check stack_check;
};

extern struct cpu *cpus[MAX_CPUS];

/* Makes the boot vCPU's %gs point at its struct cpu: the first thing
 * start_kernel does, since local_irq_save() reads this_vcpu(). */
void smp_early_init(void);

/* Brings up every other vCPU the domain has and prints
 * "mote: smp: N of M vCPUs up". After events and timers. */
void smp_init(void);

static inline unsigned int this_cpu_id(void)
{
    return this_cpu()->id;
}

/* Wakes vCPU `cpu` if it is blocked in Xen, so that it looks at the run
 * queue again (kernel/thread.c). */
void smp_kick(unsigned int cpu);

/* CPU hotplug (xl vcpu-set): takes vCPU `cpu` offline (its threads move to
 * the others when they next yield or sleep; it then goes down in Xen), or
 * brings it back. 0, or -1 if it cannot (vCPU 0 stays; no such vCPU; one
 * whose first bring-up failed, which smp_cpu_up refuses, saying so). */
int smp_cpu_down(unsigned int cpu);
int smp_cpu_up(unsigned int cpu);
/* Called by vCPU c's idle thread once it has been taken offline, events
 * masked, no lock held: hands its timers over, goes down in Xen, and
 * returns when brought up again. */
void smp_idle_offline(struct cpu *c);

/* Places c's vcpu_info in c->vcpu_info_area (VCPUOP_register_vcpu_info):
 * for vCPU 0 by itself (events_init), for the others while they are still
 * down (before VCPUOP_up), as Xen requires. Falls back to the shared-info
 * slot, reporting Xen's error; false if there is none for that id. */
bool smp_place_vcpu_info(struct cpu *c);
/* Registers c's runstate area (VCPUOP_register_runstate_memory_area). */
void smp_register_runstate(struct cpu *c);

/* Statistics for tests and benchmarks. */
struct smp_stats {
    unsigned long ipis_sent;
    unsigned long ipis_received;
};
extern struct smp_stats smp_stats;

/* arch/x86_64/smp_boot.c: starts vCPU c->id at smp_ap_entry(c) on the
 * stack [stack, stack_top) with our page tables, traps and callbacks.
 * Returns 0 or the VCPUOP_initialise error. */
long arch_cpu_initialise(struct cpu *c, void *stack_top);
__attribute__((noreturn)) void smp_ap_entry(struct cpu *c);

#endif
