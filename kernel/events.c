/* SPDX-License-Identifier: MIT */
/*
 * Event channels: the shared info page, the upcall dispatcher and the port
 * API of include/events.h.
 *
 * The protocol (xen.h, struct shared_info and struct vcpu_info):
 *   - Xen sets a port's PENDING bit; if the port's MASK bit is clear and the
 *     bit went 0->1, it also sets the port's word in this vCPU's
 *     evtchn_pending_sel and sets evtchn_upcall_pending, then makes an upcall
 *     unless evtchn_upcall_mask is set.
 *   - The guest clears evtchn_upcall_pending *before* scanning (so an event
 *     arriving during the scan is seen again), exchanges evtchn_pending_sel
 *     with 0, and for each selected word handles pending & ~mask, clearing
 *     each PENDING bit it handles; the word is read again before each port,
 *     since a handler may mask or clear another one.
 */
#include <asm_calls.h>
#include <arch/atomic.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <arch/regs.h>
#include <clock.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <smp.h>
#include <string.h>
#include <symbols.h>
#include <xen_shared.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

/*
 * Passes of the dispatch loop per upcall. Each pass handles every port that
 * was ready when its word was read, once, so a port that keeps re-raising
 * itself is handled once per pass, after the others: it cannot starve them.
 * When the bound is hit we return with evtchn_upcall_pending still set, and
 * the upcall's return (arch/x86_64/upcall.S) sees it as it unmasks delivery
 * and enters again at once (HYPERVISOR_iret's fallback: Xen does).
 */
#define UPCALL_MAX_PASSES 8

shared_info_t *shared_info;
struct event_stats event_stats;

struct port_handler {
    evtchn_handler_t fn;
    void *ctx;
};
/* Handlers by port, a page of them at a time: a domain uses a handful of
 * ports out of 4,096, and a full table would take 64 KiB. The first group
 * (the low ports Xen hands out first, all that boot binds) is static; the
 * others are allocated when a port of theirs is first bound. */
#define PORTS_PER_GROUP (PAGE_SIZE / sizeof(struct port_handler))
static struct port_handler first_group[PORTS_PER_GROUP];
static struct port_handler *handler_groups[EVTCHN_NR_PORTS / PORTS_PER_GROUP] = { first_group };

static struct port_handler *handler_of(evtchn_port_t port)
{
    /* Acquire: pairs with the release that installs a group (attach_on),
     * so an upcall on another vCPU sees the group's cleared contents. */
    struct port_handler *group =
        __atomic_load_n(&handler_groups[port / PORTS_PER_GROUP], __ATOMIC_ACQUIRE);

    return group ? &group[port % PORTS_PER_GROUP] : NULL;
}

/* The vCPU each port is bound to: Xen raises a port only on that vCPU
 * (event_channel.h, EVTCHNOP_bind_vcpu), and only that vCPU handles it,
 * though every vCPU scans the shared pending bitmap. */
static uint8_t port_cpu[EVTCHN_NR_PORTS];
/* Ports Xen will not move with EVTCHNOP_bind_vcpu: IPI ports and VIRQs
 * bound for one vCPU (event_channel.h). A bit per port. */
static xen_ulong_t port_fixed[EVTCHN_NR_PORTS / BITS_PER_WORD];
extern char hypervisor_callback[], failsafe_callback[];

void events_force_callback(void)
{
    /* Any hypercall returns through Xen's check for pending upcalls. */
    HYPERVISOR_xen_version(XENVER_version, NULL);
}

static void map_shared_info(void)
{
    /* start_info->shared_info is a machine address (xen.h); a PV guest maps
     * the frame itself. */
    shared_info = map_foreign_page(start_info->shared_info >> PAGE_SHIFT, DOMID_SELF);
    if (!shared_info)
        panic("cannot map the shared info page at maddr %#lx", start_info->shared_info);
}

/*
 * The entry points Xen bounces to (callback.h, CALLBACKOP_register; the
 * x86-64 set_callbacks hypercall of xen-guide A.2 registers the same two
 * with no flags). Xen masks event delivery on every event upcall by itself.
 * The failsafe callback is registered with CALLBACKF_mask_events, so Xen
 * masks delivery before entering it too: otherwise it would run with the
 * interrupted context's mask, and handlers could interleave with its crash
 * report.
 */
static void register_callbacks(void)
{
    struct callback_register event = {
        .type = CALLBACKTYPE_event, .address = (unsigned long)hypervisor_callback,
    };
    struct callback_register failsafe = {
        .type = CALLBACKTYPE_failsafe, .flags = CALLBACKF_mask_events,
        .address = (unsigned long)failsafe_callback,
    };

    if (xen_call(callback_op, CALLBACKOP_register, &event) ||
        xen_call(callback_op, CALLBACKOP_register, &failsafe))
        panic("cannot register the event and failsafe callbacks");
}

void events_init(void)
{
    map_shared_info();
    /* vcpu.h: vCPU 0 places its own vcpu_info before anything uses it
     * (no callback is registered yet, so no upcall reads the old slot). */
    this_cpu()->vcpu_info = &shared_info->vcpu_info[0];
    smp_place_vcpu_info(this_cpu());

    /* Start with every port masked; binding a port unmasks it. Ports Xen
     * bound for us at build time (console, xenstore) stay quiet until a
     * driver attaches. Mask bits are only written by the guest (xen.h). */
    for (unsigned i = 0; i < ARRAY_SIZE(shared_info->evtchn_mask); i++)
        shared_info->evtchn_mask[i] = ~0UL;

    register_callbacks();

    local_irq_enable();
}

/*
 * Threads inside wait_until's locked part (<mote/events.h>). Every upcall
 * used to take the scheduler lock to wake event_waiters, though nearly
 * always nobody was waiting; now it looks at this count instead, and no
 * wake-up is lost. A waiter increments it (a locked add: a full barrier)
 * before it reads its condition; an upcall's handlers write what the
 * condition reads, then a full fence, then the upcall reads the count. Of
 * two such pairs at least one side sees the other's write (x86 orders
 * fenced stores before later loads, Intel SDM vol. 3, 9.2.3): either the
 * waiter sees its condition hold, or the upcall sees the count and takes
 * the lock, which the waiter holds from its look until it sleeps on
 * event_waiters, so the wake-up finds it there.
 */
static unsigned long event_waiting;

unsigned long event_wait_begin(void)
{
    unsigned long flags = waitqueue_lock();

    __atomic_fetch_add(&event_waiting, 1, __ATOMIC_SEQ_CST);
    return flags;
}

void event_wait_end(unsigned long flags)
{
    __atomic_fetch_sub(&event_waiting, 1, __ATOMIC_RELAXED);
    waitqueue_unlock(flags);
}

static void dispatch(struct cpu *c, evtchn_port_t port)
{
    /* Dekker's handshake with evtchn_close: we say which port we run, then
     * (full fence) read its handler; close clears the handler, then reads
     * what each vCPU runs. So either we see no handler, or close sees us
     * and waits until we are done. */
    __atomic_store_n(&c->dispatching, port + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    struct port_handler *h = handler_of(port);
    evtchn_handler_t fn = h ? __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE) : NULL;

    if (!fn) {
        stat_inc(event_stats.unbound);
    } else {
        stat_inc(event_stats.dispatched);
        fn(port, h->ctx);
    }
    __atomic_store_n(&c->dispatching, 0, __ATOMIC_RELEASE);
}

/* Called from hypervisor_callback (arch/x86_64/upcall.S) with delivery
 * masked; `how` is UPCALL_FROM_XEN, UPCALL_RESCAN or UPCALL_TOOK_OVER_RETURN
 * (arch/regs.h). */
void evtchn_do_upcall(struct cpu_regs *regs, unsigned int how)
{
    struct cpu *c = this_cpu();
    /* Xen enters with delivery masked and the return restores the mask, so
     * an upcall can never start inside another one on this vCPU; if it did,
     * handlers would run re-entered (half-updated timer queue, ring state...). */
    if (c->upcall_depth++)
        panic("event upcall nested inside another (interrupted rip %#lx): "
              "event delivery was re-enabled inside a handler", (unsigned long)regs->rip);
    stat_inc(event_stats.upcalls);
    if (how == UPCALL_RESCAN)
        stat_inc(event_stats.rescans);
    else if (how == UPCALL_TOOK_OVER_RETURN)
        stat_inc(event_stats.took_over_returns);
    /* Handlers may be application code, built with SSE, and so may be what
     * they call (the C library's time functions): whatever they do to the
     * FPU/SSE registers, the interrupted thread gets its own back. One
     * area per vCPU is enough, as upcalls never nest (checked above).
     * Handlers start from the default control state, not the thread's
     * rounding mode or unmasked exceptions. */
    arch_fpu_save(&c->upcall_fpu);
    arch_fpu_load_clean_control();

    for (unsigned pass = 0; pass < UPCALL_MAX_PASSES; pass++) {
        /* xen.h: cleared by the guest /before/ checking for pending work.
         * The locked xchg below orders the two. */
        this_vcpu()->evtchn_upcall_pending = 0;
        xen_ulong_t words = xchg_ulong(&this_vcpu()->evtchn_pending_sel, 0);

        while (words) {
            unsigned int w = lowest_bit(words);
            words &= words - 1;

            xen_ulong_t ready = ~0UL;
            for (;;) {
                /* Re-read before every port, as Linux does: a handler may
                 * have masked or cleared a port of this word, which then
                 * must not run. `ready` still keeps each port to once a pass. */
                ready &= shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w];
                if (!ready)
                    break;
                unsigned int bit = lowest_bit(ready);
                ready &= ready - 1;
                evtchn_port_t port = w * BITS_PER_WORD + bit;
                /* Another vCPU's port: its own upcall handles it. */
                if (port_cpu[port] != c->id)
                    continue;
                /* Clear before handling: a notification sent while the
                 * handler runs sets the bit again and is not lost. The
                 * test-and-clear makes this vCPU the one that handles it,
                 * even if a rebinding (EVTCHNOP_bind_vcpu) let two look. */
                if (sync_test_and_clear_bit(bit, &shared_info->evtchn_pending[w]))
                    dispatch(c, port);
            }
        }
        if (!this_vcpu()->evtchn_upcall_pending)
            break;
    }
    if (this_vcpu()->evtchn_upcall_pending)
        stat_inc(event_stats.loop_limit_hits);
    /* Threads in wait_until() re-check their conditions (event_waiting,
     * above, says why the fence and the unlocked look suffice). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&event_waiting, __ATOMIC_RELAXED))
        waitqueue_wake_all(&event_waiters);
    arch_fpu_restore(&c->upcall_fpu);
    c->upcall_depth--;
}

static bool port_valid(evtchn_port_t port)
{
    return port < EVTCHN_NR_PORTS;
}

/* A port beyond the 2-level ABI's bitmaps would index past them into the
 * rest of the shared info page: refuse it, and say who asked. */
static bool port_checked(evtchn_port_t port, const char *caller)
{
    if (port_valid(port))
        return true;
    printk("mote: %s: event channel port %u is beyond the 2-level ABI's %lu\n", caller, port,
           (unsigned long)EVTCHN_NR_PORTS);
    return false;
}

void evtchn_mask(evtchn_port_t port)
{
    if (!port_checked(port, "evtchn_mask"))
        return;
    sync_set_bit(port % BITS_PER_WORD, &shared_info->evtchn_mask[port / BITS_PER_WORD]);
}

/* Another vCPU's port: only Xen can raise it there. EVTCHNOP_unmask clears
 * the MASK bit and, if that cleared it and the port is pending, raises it on
 * the vCPU it is bound to (Xen's evtchn_2l_unmask), so the bit must still
 * be set when we ask. */
static void unmask_remote(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    xen_call(event_channel_op, EVTCHNOP_unmask, &op);
}

void evtchn_unmask(evtchn_port_t port)
{
    unsigned int w = port / BITS_PER_WORD;

    if (!port_checked(port, "evtchn_unmask"))
        return;
    if (port_cpu[port] != this_cpu_id()) {
        unmask_remote(port);
        return;
    }
    /* Clear the mask first, then look at PENDING: an event that becomes
     * pending after the clear raises its own upcall; one that was pending
     * before it lost its edge (event_channel.h, xen.h MASK) and is re-raised
     * here the way Xen would have: selector bit, then upcall_pending. */
    sync_clear_bit(port % BITS_PER_WORD, &shared_info->evtchn_mask[w]);
    if (test_bit(port, shared_info->evtchn_pending) &&
        !sync_test_and_set_bit(w, &this_vcpu()->evtchn_pending_sel)) {
        this_vcpu()->evtchn_upcall_pending = 1;
        if (!local_irq_is_disabled())
            events_force_callback();
    }
}

void evtchn_notify_local(evtchn_port_t port)
{
    if (!port_checked(port, "evtchn_notify_local"))
        return;
    sync_set_bit(port % BITS_PER_WORD, &shared_info->evtchn_pending[port / BITS_PER_WORD]);
    if (port_cpu[port] != this_cpu_id()) {
        /* Another vCPU's port: mask it and have Xen unmask it, which raises
         * it there (unmask_remote); a masked port waits for its unmask. */
        if (!sync_test_and_set_bit(port % BITS_PER_WORD,
                                   &shared_info->evtchn_mask[port / BITS_PER_WORD]))
            unmask_remote(port);
        return;
    }
    /* Raise it as Xen would for a 0->1 transition (xen.h): selector bit,
     * then upcall_pending; a masked port waits for its unmask. */
    if (!test_bit(port, shared_info->evtchn_mask) &&
        !sync_test_and_set_bit(port / BITS_PER_WORD, &this_vcpu()->evtchn_pending_sel)) {
        this_vcpu()->evtchn_upcall_pending = 1;
        if (!local_irq_is_disabled())
            events_force_callback();
    }
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return port_valid(port) && test_bit(port, shared_info->evtchn_pending);
}

void evtchn_clear_pending(evtchn_port_t port)
{
    if (!port_checked(port, "evtchn_clear_pending"))
        return;
    sync_clear_bit(port % BITS_PER_WORD, &shared_info->evtchn_pending[port / BITS_PER_WORD]);
}

static int attach_on(evtchn_port_t port, unsigned int cpu, evtchn_handler_t handler,
                     void *ctx)
{
    if (!port_checked(port, "evtchn_bind"))
        return -XEN_EINVAL;
    struct port_handler *fresh = NULL;
    if (!handler_groups[port / PORTS_PER_GROUP]) {
        fresh = alloc_page();
        if (!fresh) {
            printk("mote: no memory for the handler of event channel %u\n", port);
            return -XEN_ENOMEM;
        }
        memset(fresh, 0, PAGE_SIZE);
    }
    unsigned long flags = local_irq_save();
    /* Two vCPUs may bind ports of one new group at once: the first page
     * installed wins, and the other is freed below. */
    struct port_handler *none = NULL;
    if (fresh && __atomic_compare_exchange_n(&handler_groups[port / PORTS_PER_GROUP], &none,
                                             fresh, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        fresh = NULL;
    /* ctx first: a dispatch that sees the new handler (acquire) sees its ctx. */
    handler_of(port)->ctx = ctx;
    __atomic_store_n(&handler_of(port)->fn, handler, __ATOMIC_RELEASE);
    port_cpu[port] = (uint8_t)cpu;
    local_irq_restore(flags);
    if (fresh)
        free_page(fresh);
    evtchn_unmask(port);
    return (int)port;
}

/* Ports Xen binds for us, and interdomain and unbound ones, start on vCPU 0
 * (event_channel.h: "bound to VCPU0"). */
static int attach(evtchn_port_t port, evtchn_handler_t handler, void *ctx)
{
    return attach_on(port, 0, handler, ctx);
}

int evtchn_bind_existing(evtchn_port_t port, evtchn_handler_t handler, void *ctx)
{
    return attach(port, handler, ctx);
}

int evtchn_bind_virq_on(uint32_t virq, unsigned int cpu, evtchn_handler_t handler, void *ctx)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = cpu };
    long rc = xen_call(event_channel_op, EVTCHNOP_bind_virq, &op);

    if (rc)
        return (int)rc;
    /* Global VIRQs are bound to vCPU 0 and may move; per-vCPU ones not. */
    if (cpu != 0)
        sync_set_bit(op.port % BITS_PER_WORD, &port_fixed[op.port / BITS_PER_WORD]);
    return attach_on(op.port, cpu, handler, ctx);
}

int evtchn_bind_virq(uint32_t virq, evtchn_handler_t handler, void *ctx)
{
    return evtchn_bind_virq_on(virq, 0, handler, ctx);
}

int evtchn_bind_ipi(unsigned int cpu, evtchn_handler_t handler, void *ctx)
{
    struct evtchn_bind_ipi op = { .vcpu = cpu };
    long rc = xen_call(event_channel_op, EVTCHNOP_bind_ipi, &op);

    if (rc)
        return (int)rc;
    sync_set_bit(op.port % BITS_PER_WORD, &port_fixed[op.port / BITS_PER_WORD]);
    return attach_on(op.port, cpu, handler, ctx);
}

int evtchn_bind_to_cpu(evtchn_port_t port, unsigned int cpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = cpu };

    if (!port_checked(port, "evtchn_bind_to_cpu"))
        return -XEN_EINVAL;
    /* Xen would accept a vCPU that is down, and the port would go quiet
     * until it came back. */
    if (!smp_cpu_online(cpu)) {
        printk("mote: evtchn_bind_to_cpu: vCPU %u is not up\n", cpu);
        return -XEN_EINVAL;
    }
    /* Masked while it moves, so neither vCPU handles it half-way; the
     * unmask re-raises on the new vCPU what arrived meanwhile. */
    evtchn_mask(port);
    long rc = xen_call(event_channel_op, EVTCHNOP_bind_vcpu, &op);
    if (!rc)
        __atomic_store_n(&port_cpu[port], (uint8_t)cpu, __ATOMIC_RELEASE);
    evtchn_unmask(port);
    return (int)rc;
}

void events_cpu_offline(unsigned int cpu)
{
    /* A vCPU that is down takes no upcall, so its ports would go quiet
     * (Xen still raises them there): vCPU 0, which never goes, takes them.
     * They stay there when it comes back; an app moves them again. */
    for (evtchn_port_t port = 0; port < EVTCHN_NR_PORTS; port++) {
        struct port_handler *h = handler_of(port);
        if (__atomic_load_n(&port_cpu[port], __ATOMIC_ACQUIRE) != cpu || !h || !h->fn ||
            test_bit(port, port_fixed))
            continue;
        if (evtchn_bind_to_cpu(port, 0) == 0)
            printk("mote: smp: event channel %u moved from vCPU %u to vCPU 0\n", port, cpu);
    }
}

int evtchn_alloc_unbound(domid_t remote_dom, evtchn_handler_t handler, void *ctx)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote_dom };
    long rc = xen_call(event_channel_op, EVTCHNOP_alloc_unbound, &op);

    return rc ? (int)rc : attach(op.port, handler, ctx);
}

int evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                            evtchn_handler_t handler, void *ctx)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote_dom, .remote_port = remote_port };
    long rc = xen_call(event_channel_op, EVTCHNOP_bind_interdomain, &op);

    return rc ? (int)rc : attach(op.local_port, handler, ctx);
}

/* The caller may free what the handler uses as soon as evtchn_close
 * returns: wait until no other vCPU runs it (dispatch has the other half of
 * the handshake). This vCPU cannot be, unless we are that handler. Not from
 * an event handler: two handlers closing each other's ports would wait for
 * each other, each with events masked. */
static void wait_for_dispatchers(evtchn_port_t port)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (this_cpu()->upcall_depth)
        return;
    unsigned int self = this_cpu_id();
    for (unsigned int i = 0; i < MAX_CPUS; i++) {
        struct cpu *c = cpus[i];
        if (!c || i == self)
            continue;
        while (__atomic_load_n(&c->dispatching, __ATOMIC_ACQUIRE) == port + 1)
            cpu_relax();
    }
}

/*
 * Everything we keep for the port is undone and its handler has finished
 * before EVTCHNOP_close: from that call on Xen may give the port number to
 * a bind on another vCPU (the lowest free port, event_channel.c's
 * get_free_port), whose handler, vCPU and pending event must not be wiped
 * by anything still to do here. (Linux serialises instead: its binds and
 * unbind_from_irq all hold irq_mapping_update_lock.) Xen clears the port's pending bit as it frees it (event_channel.c,
 * evtchn_free: "to avoid unexpected behavior on re-bind").
 */
void evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    if (!port_checked(port, "evtchn_close"))
        return;
    evtchn_mask(port);
    unsigned long flags = local_irq_save();
    struct port_handler *h = handler_of(port);
    /* Only fn: a dispatch on another vCPU that already read it reads ctx
     * after, and must get the one that goes with it. */
    if (h)
        __atomic_store_n(&h->fn, NULL, __ATOMIC_RELAXED);
    port_cpu[port] = 0;
    sync_clear_bit(port % BITS_PER_WORD, &port_fixed[port / BITS_PER_WORD]);
    local_irq_restore(flags);
    wait_for_dispatchers(port);
    xen_call(event_channel_op, EVTCHNOP_close, &op);
#ifdef EVENTS_TEST_CLOSE_DELAY_NS
    /* A test build (tests/boot/races.sh, bind-close): widens the window in
     * which a bind elsewhere gets this port number before we return. */
    for (uint64_t until = monotonic_ns() + EVENTS_TEST_CLOSE_DELAY_NS; monotonic_ns() < until;)
        cpu_relax();
#endif
}

void evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    xen_call(event_channel_op, EVTCHNOP_send, &op);
}

void events_block(void)
{
    stat_inc(event_stats.blocks);
    /* sched.h: SCHEDOP_block re-enables event delivery and blocks until an
     * event is pending; Xen delivers the upcall on the way back, so the
     * handlers have run when this returns. */
    HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

int evtchn_poll(const evtchn_port_t *ports, unsigned int nr_ports, uint64_t timeout_ns)
{
    struct sched_poll poll = { .nr_ports = nr_ports, .timeout = timeout_ns };

    set_xen_guest_handle(poll.ports, (evtchn_port_t *)ports);
    return (int)xen_call(sched_op, SCHEDOP_poll, &poll);
}


/* sysrq 'e' (lifecycle/sysrq.c): counters, then every bound port with its
 * handler and its PENDING and MASK bits. */
void events_dump(void)
{
    printk("sysrq: events: %lu upcalls, %lu dispatched, %lu unbound, %lu loop-limit hits, "
           "%lu blocks, %lu rescans, %lu returns taken over; upcall mask %u pending %u\n",
           event_stats.upcalls, event_stats.dispatched, event_stats.unbound,
           event_stats.loop_limit_hits, event_stats.blocks, event_stats.rescans,
           event_stats.took_over_returns, this_vcpu()->evtchn_upcall_mask,
           this_vcpu()->evtchn_upcall_pending);
    for (evtchn_port_t port = 0; port < EVTCHN_NR_PORTS; port++) {
        struct port_handler *h = handler_of(port);
        if (!h || !h->fn)
            continue;
        unsigned long offset;
        const char *name = symbol_lookup((unsigned long)h->fn, &offset);
        printk("port %3u: %s on vCPU %u%s%s\n", port, name ? name : "?", port_cpu[port],
               test_bit(port, shared_info->evtchn_pending) ? " pending" : "",
               test_bit(port, shared_info->evtchn_mask) ? " masked" : "");
    }
}

/*
 * Suspend (lifecycle/suspend.c): the shared info page is Xen's frame, not in
 * our P2M, so it is unmapped for the save. Until events_resume the mask
 * functions use a parked vcpu_info whose delivery is masked; nothing may
 * read event or time state then.
 */
static vcpu_info_t parked_vcpu = { .evtchn_upcall_mask = 1 };

void events_suspend(void)
{
    void *page = shared_info;

    this_cpu()->vcpu_info = &parked_vcpu;
    shared_info = NULL;
    unmap_foreign_page(page);
}

void events_resume(bool new_domain)
{
    /* In a new domain start_info->shared_info names the new frame. (With
     * VCPUOP_register_vcpu_info, vCPU 0's vcpu_info is registered again
     * here in a new domain; the other vCPUs' in kernel/smp.c's resume.) */
    map_shared_info();
    struct cpu *c = this_cpu();
    if (new_domain) {
        /* The new domain's vCPU has its vcpu_info in the shared info page
         * and no runstate area: register both again (vcpu.h). */
        c->vcpu_info_placed = false;
        c->vcpu_info = &shared_info->vcpu_info[c->id];
        c->vcpu_info->evtchn_upcall_mask = 1;
        smp_place_vcpu_info(c);
        smp_register_runstate(c);
    } else {
        c->vcpu_info = c->vcpu_info_placed ? &c->vcpu_info_area : &shared_info->vcpu_info[c->id];
    }
    this_vcpu()->evtchn_upcall_mask = 1;
    if (!new_domain)
        return;
    /* Every event channel is gone (pv-io-notes): forget the handlers, mask
     * every port; each driver binds its own again. */
    for (unsigned g = 0; g < ARRAY_SIZE(handler_groups); g++)
        if (handler_groups[g])
            memset(handler_groups[g], 0, PORTS_PER_GROUP * sizeof(struct port_handler));
    memset(port_cpu, 0, sizeof(port_cpu));
    for (unsigned i = 0; i < ARRAY_SIZE(shared_info->evtchn_mask); i++)
        shared_info->evtchn_mask[i] = ~0UL;
}
