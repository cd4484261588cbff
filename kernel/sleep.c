/* SPDX-License-Identifier: MIT */
/*
 * Sleeping (include/timer.h): arm a timer, then wait (wait_until) until its
 * function has run. The sleeping thread is off the run queue; other threads
 * run meanwhile, and when none can, the scheduler blocks the vCPU in Xen
 * (SCHEDOP_block), so a sleep uses no CPU.
 */
#include <clock.h>
#include <events.h>
#include <timer.h>
#include <xen_shared.h>

static void wake(struct timer *t, void *ctx)
{
    (void)t;
    *(volatile bool *)ctx = true;
}

void sleep_until(uint64_t deadline_ns)
{
    if (monotonic_ns() >= deadline_ns)
        return;

    volatile bool done = false;
    struct timer t;

    timer_init(&t, wake, (void *)&done);
    timer_arm(&t, deadline_ns);
    wait_until(done);
}

void sleep_ns(uint64_t ns)
{
    sleep_until(monotonic_ns() + ns);
}
