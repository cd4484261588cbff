/* SPDX-License-Identifier: MIT */
/*
 * pingpong: two threads exchanging event-channel notifications through a
 * loopback channel (two ports of this domain joined to each other).
 *
 *   ping --send(b)--> [Xen] --pending--> port a handler --up--> pong wakes
 *   pong --send(a)--> [Xen] --pending--> port b handler --up--> ping wakes
 *
 * Each handler only counts and wakes its thread (handlers must not wait);
 * the threads do the sending. Usage: pingpong [ROUNDS] (default 1000).
 */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>

struct side {
    evtchn_port_t port;         /* this side's port */
    struct semaphore arrived;   /* one unit per notification */
    unsigned long received;
};

static struct side ping_side, pong_side;
static unsigned long rounds = 1000;

static void on_notify(evtchn_port_t port, void *ctx)
{
    struct side *side = ctx;

    (void)port;
    side->received++;
    semaphore_up(&side->arrived);
}

/* The port to send on to reach the other side: a send on a loopback port
 * makes its peer pending. */
static int ping(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < rounds; i++) {
        evtchn_send(ping_side.port);
        semaphore_down(&ping_side.arrived);
    }
    return 0;
}

static int pong(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < rounds; i++) {
        semaphore_down(&pong_side.arrived);
        evtchn_send(pong_side.port);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        rounds = strtoul(argv[1], NULL, 0);

    int a = evtchn_alloc_unbound(DOMID_SELF, on_notify, &ping_side);
    if (a < 0)
        return 1;
    int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, on_notify, &pong_side);
    if (b < 0)
        return 1;
    ping_side.port = (evtchn_port_t)a;
    pong_side.port = (evtchn_port_t)b;
    /* Xen marks a freshly bound interdomain port pending once (it may have
     * missed notifications while unbound): drop that one. */
    semaphore_down(&pong_side.arrived);
    pong_side.received = 0;

    struct thread *t_pong = thread_create("pong", pong, NULL);
    struct thread *t_ping = thread_create("ping", ping, NULL);
    if (!t_ping || !t_pong)
        return 1;
    thread_join(t_ping);
    thread_join(t_pong);
    printf("pingpong: %lu rounds, ping received %lu, pong received %lu\n", rounds,
           ping_side.received, pong_side.received);
    return ping_side.received == rounds && pong_side.received == rounds ? 0 : 1;
}
