/* SPDX-License-Identifier: MIT */
/*
 * The clock behind printk's line prefix (printk_timestamp_ns, include/printk.h).
 *
 * Off unless mote.printk_time=1: the boot tests and the benchmarks match
 * whole serial lines. The clock (kernel/clock.c) reads this vCPU's
 * vcpu_time_info, which exists only once events_init has mapped the shared
 * info page; until then lines get no prefix.
 */
#include <clock.h>
#include <kernel.h>
#include <printk.h>
#include <xen_shared.h>

uint64_t printk_timestamp_ns(void)
{
    if (!kernel_params.printk_time || !this_vcpu())
        return 0;
    return monotonic_ns();
}
