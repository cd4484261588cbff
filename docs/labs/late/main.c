/* SPDX-License-Identifier: MIT */
/*
 * late: the program of lab late (docs/labs/late.md). Sleeps 10 ms twenty
 * times and compares two measures of how late the wakeups were: its own
 * (the clock when sleep_until returns, minus the deadline) and the
 * kernel's (timer_stats.max_late_ns, the worst lateness the VIRQ_TIMER
 * handler saw, which the lab adds). It does not build until the field
 * exists.
 */
#include <clock.h>
#include <kernel.h>
#include <printk.h>
#include <timer.h>

#define SLEEPS 20
#define PERIOD_NS (10 * 1000 * 1000ULL)

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint64_t thread_max = 0;

    timer_stats.max_late_ns = 0;        /* from here on: only our sleeps */
    for (int i = 0; i < SLEEPS; i++) {
        uint64_t deadline = monotonic_ns() + PERIOD_NS;
        sleep_until(deadline);
        uint64_t late = monotonic_ns() - deadline;
        if (late > thread_max)
            thread_max = late;
    }
    printk("late: sleeps=%d kernel_max_us=%llu thread_max_us=%llu\n", SLEEPS,
           (unsigned long long)(timer_stats.max_late_ns / 1000),
           (unsigned long long)(thread_max / 1000));
    printk("late: kernel_max_ns=%llu thread_max_ns=%llu\n",
           (unsigned long long)timer_stats.max_late_ns, (unsigned long long)thread_max);
    return 0;
}
