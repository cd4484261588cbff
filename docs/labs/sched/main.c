/* SPDX-License-Identifier: MIT */
/*
 * sched: the program of lab sched (docs/labs/sched.md). Two runs of
 * cooperative threads (kernel/thread.c) that write their names into a
 * trace each time they run:
 *
 *   wake:  w waits for an event; x and y take turns with thread_yield, and
 *          x's first turn sends the event that wakes w. Where w lands in
 *          the trace shows where the scheduler puts a thread an event woke.
 *   yield: a and b take turns with thread_yield, three times each.
 */
#include <events.h>
#include <kernel.h>
#include <printk.h>
#include <string.h>
#include <thread.h>

static char trace[32];
static int trace_len;

static struct waitqueue wq;
static volatile bool woken;
static evtchn_port_t wake_port;

static void wake_w(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    woken = true;
    waitqueue_wake_all(&wq);
}

static int waiter(void *arg)
{
    (void)arg;
    wait_event(&wq, woken);
    trace[trace_len++] = 'w';
    return 0;
}

/* Three turns; "x" sends the event on its first. */
static int taker(void *arg)
{
    char name = *(const char *)arg;

    for (int i = 0; i < 3; i++) {
        trace[trace_len++] = name;
        if (name == 'x' && i == 0)
            evtchn_send(wake_port);     /* the handler runs before this returns */
        thread_yield();
    }
    return 0;
}

static void run(const char *label, const char *names)
{
    struct thread *t[4];
    int n = 0;

    trace_len = 0;
    for (const char *c = names; *c; c++)
        t[n++] = thread_create(c[0] == 'w' ? "w" : "taker", c[0] == 'w' ? waiter : taker,
                               (void *)c);
    for (int i = 0; i < n; i++)
        thread_join(t[i]);
    trace[trace_len] = '\0';
    printk("sched: %s trace=%s\n", label, trace);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int a = evtchn_alloc_unbound(DOMID_SELF, wake_w, NULL);
    int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, NULL, NULL);
    if (a < 0 || b < 0)
        panic("loopback pair: %d %d", a, b);
    wake_port = (evtchn_port_t)b;
    woken = false;                  /* binding raised port a once */

    run("wake", "wxy");
    run("yield", "ab");
    return 0;
}
