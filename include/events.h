/* SPDX-License-Identifier: MIT */
/*
 * Event channels (xen/event_channel.h, 2-level ABI: 4096 ports on 64-bit) and
 * waiting for events.
 *
 * Each port has a handler and a context pointer; the upcall dispatcher
 * (kernel/events.c) calls handler(port, ctx) with event delivery masked, once
 * per pending notification it finds. Handlers must be short and must not
 * block. Functions returning int return the port (>= 0) or a negative Xen
 * errno, already reported on the console by name.
 */
#ifndef EVENTS_H
#define EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <thread.h>
#include <xen_interface.h>
/* Binding, sending, masking, wait_until: the API. */
#include <mote/events.h>

#define EVTCHN_NR_PORTS (sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)

/* Binding, closing, sending, masking: the application API, <mote/events.h>.
 * New ports start unmasked with the handler attached; a masked port's
 * pending bit is set but raises no upcall, and unmasking re-raises a
 * notification that arrived meanwhile (event_channel.h: the edge is lost
 * while masked, so the guest must handle it itself). */

/* Maps the shared info page, registers the callbacks and enables delivery. */
void events_init(void);

/* Binds VIRQ `virq` for vCPU `cpu` (per-vCPU VIRQs such as VIRQ_TIMER
 * exist once per vCPU); its handler runs on that vCPU. */
int evtchn_bind_virq_on(uint32_t virq, unsigned int cpu, evtchn_handler_t handler, void *ctx);
/* A new IPI port bound to vCPU `cpu` (EVTCHNOP_bind_ipi): a send from any
 * vCPU runs the handler on `cpu`. */
int evtchn_bind_ipi(unsigned int cpu, evtchn_handler_t handler, void *ctx);
/* evtchn_bind_to_cpu, moving a port's handling to another vCPU:
 * <mote/events.h>. */
/* Moves every port bound to vCPU `cpu` that Xen lets move to vCPU 0:
 * called as `cpu` goes offline (hotplug), so none goes quiet. */
void events_cpu_offline(unsigned int cpu);

/* Marks the port pending here, as a notification from the remote end would,
 * so its handler runs once delivery allows: for code that consumed a
 * notification while waiting with evtchn_poll. */
void evtchn_notify_local(evtchn_port_t port);

/*
 * Blocks the vCPU in Xen until an event is pending (SCHEDOP_block): the
 * scheduler's idle step. Threads wait with wait_until/wait_event instead.
 * Call with delivery masked (local_irq_disable) after checking the condition
 * you wait for: SCHEDOP_block re-enables delivery atomically with blocking, so
 * an event that arrives between the check and the block still wakes us.
 * Returns with delivery enabled, after the pending handlers have run.
 */
void events_block(void);

/* wait_until(cond) (<mote/events.h>): the thread sleeps on event_waiters,
 * which every upcall wakes, so it never spins. */

/* Counters for tests and benchmarks. */
struct event_stats {
    unsigned long upcalls;          /* entries into the upcall handler */
    unsigned long dispatched;       /* handler calls */
    unsigned long unbound;          /* pending ports with no handler */
    unsigned long loop_limit_hits;  /* upcalls that stopped at the loop bound */
    unsigned long blocks;           /* SCHEDOP_block calls */
    /* Of the upcalls (arch/x86_64/upcall.S): entered again for an event
     * found pending as the return unmasked; entered inside that return's
     * critical region, taking over its frame. */
    unsigned long rescans;
    unsigned long took_over_returns;
};
extern struct event_stats event_stats;

/* Around SCHEDOP_shutdown(SHUTDOWN_suspend), delivery masked
 * (lifecycle/suspend.c): unmap the shared info page; map it again and, in a
 * new domain, forget every port. */
void events_suspend(void);
void events_resume(bool new_domain);

/* Prints the counters and every bound port (sysrq 'e'). */
void events_dump(void);

#endif
