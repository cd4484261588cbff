/* SPDX-License-Identifier: MIT */
/*
 * upcalls: the program of lab upcalls (docs/labs/upcalls.md). A port whose
 * handler sends to itself again, 10,000 times, then how many upcalls
 * (entries into evtchn_do_upcall) that took, and how many of them stopped
 * at the dispatch loop's bound (event_stats, include/events.h).
 *
 * The port is one end of a loopback pair: two ports of this domain joined
 * to each other (event_channel.h: remote_dom may be DOMID_SELF), so a send
 * on one end makes the other end pending.
 */
#include <events.h>
#include <kernel.h>
#include <printk.h>

#define EVENTS 10000

static volatile unsigned long handled;
static evtchn_port_t send_to;

static void reraise(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    /* Inside the upcall: this send makes our own port pending again. */
    if (++handled < EVENTS)
        evtchn_send(send_to);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int a = evtchn_alloc_unbound(DOMID_SELF, reraise, NULL);
    if (a < 0)
        panic("alloc_unbound failed: %d", a);
    int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, NULL, NULL);
    if (b < 0)
        panic("bind_interdomain failed: %d", b);
    send_to = (evtchn_port_t)b;
    /* Binding made port a pending once (Xen covers notifications lost while
     * it was unbound); that event was handled at once. Count from here. */
    handled = 0;

    struct event_stats before = event_stats;
    evtchn_send(send_to);
    wait_until(handled == EVENTS);
    printk("upcalls: events=%lu upcalls=%lu loop_limit_hits=%lu\n", handled,
           event_stats.upcalls - before.upcalls,
           event_stats.loop_limit_hits - before.loop_limit_hits);
    return 0;
}
