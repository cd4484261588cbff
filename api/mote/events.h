/* SPDX-License-Identifier: MIT */
/*
 * mote application API: event channels (Xen's interrupts: bind, send,
 * mask, close) and waiting for events.
 *
 * Each port has a handler and a context pointer; handler(port, ctx) runs
 * with event delivery masked, on whatever stack was running, once per
 * notification. Handlers must be short, must not wait, and must not use
 * floating point (docs/api.md). Functions returning int return the port
 * (>= 0) or a negative Xen errno (the <errno.h> numbers), already reported
 * on the console by name.
 */
#ifndef MOTE_EVENTS_H
#define MOTE_EVENTS_H

#include <mote/thread.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *ctx);

/*
 * Marks an application's event handler (or timer function) to be compiled
 * without floating-point or SSE registers. Optional: the upcall saves the
 * interrupted thread's FPU/SSE registers before any handler runs and
 * restores them after, so a handler may use floating point; the mark only
 * keeps a handler that needs none from paying for it in its own code.
 */
#define MOTE_HANDLER __attribute__((target("general-regs-only")))

/* A virtual IRQ (VIRQ_TIMER, VIRQ_CONSOLE, ... xen.h). */
int evtchn_bind_virq(uint32_t virq, evtchn_handler_t handler, void *ctx);
/* A new port that remote_dom (or DOMID_SELF) can bind to. */
int evtchn_alloc_unbound(domid_t remote_dom, evtchn_handler_t handler, void *ctx);
/* Connects to another domain's unbound port. */
int evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                            evtchn_handler_t handler, void *ctx);
/* Attaches a handler to a port Xen already bound for us. */
int evtchn_bind_existing(evtchn_port_t port, evtchn_handler_t handler, void *ctx);
/* Closes the port (EVTCHNOP_close) and forgets its handler. Called from a
 * thread, it returns only once the handler is not running on any vCPU, so
 * the caller may then free what the handler uses; called from an event
 * handler (the port's own included), it does not wait for other vCPUs.
 * Never call it holding a lock the handler takes. */
void evtchn_close(evtchn_port_t port);
/* Notifies the other end (EVTCHNOP_send). */
void evtchn_send(evtchn_port_t port);

/* Moves a port's notifications, and so its handler, to vCPU `cpu`
 * (EVTCHNOP_bind_vcpu): to spread busy devices over the vCPUs, or to handle
 * a port where the thread that consumes its data runs. Ports start on
 * vCPU 0. Not for IPI or per-vCPU VIRQ ports (VIRQ_TIMER), which Xen
 * refuses to move. When that vCPU goes offline (xl vcpu-set) its ports
 * move back to vCPU 0 and stay there. 0, or a negative Xen errno (-EINVAL
 * also for a vCPU that is not up). */
int evtchn_bind_to_cpu(evtchn_port_t port, unsigned int cpu);

/* A masked port's pending bit is set but runs no handler; unmasking runs it
 * for a notification that arrived meanwhile. */
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);

/* Every thread waiting in wait_until() sleeps here; each upcall wakes them. */
extern struct waitqueue event_waiters;

/* Sleeps the thread until `cond` holds, re-checking after every event.
 * Not for use inside an event handler. A condition that already holds
 * costs one look, with no lock; otherwise the thread announces itself
 * (event_wait_begin) before it looks again under the lock, and an upcall
 * takes the lock to wake event_waiters only when a thread has announced
 * itself (kernel/events.c says why no wake-up is lost). */
unsigned long event_wait_begin(void);
void event_wait_end(unsigned long flags);
#define wait_until(cond)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            unsigned long flags__ = event_wait_begin();                     \
            while (!(cond))                                                 \
                waitqueue_sleep(&event_waiters);                            \
            event_wait_end(flags__);                                        \
        }                                                                   \
    } while (0)

/* Blocks the vCPU until one of `ports` is pending or `timeout_ns` (absolute
 * system time, 0 for none) passes (SCHEDOP_poll). Runs no handler and clears
 * no pending bit. 0, or a negative Xen errno. */
int evtchn_poll(const evtchn_port_t *ports, unsigned int nr_ports, uint64_t timeout_ns);

#endif
