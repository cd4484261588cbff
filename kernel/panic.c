/* SPDX-License-Identifier: MIT */
/*
 * panic: the kernel cannot go on. Says why, then shuts the domain down with
 * reason crash so the toolstack (or the test harness) sees a failure.
 */
#include <console.h>
#include <kernel.h>
#include <printk.h>

void panic(const char *fmt, ...)
{
    va_list ap;

    /* The report must get out even if the console ring's back end is stuck. */
    console_emergency_mode();
    printk("\nmote: PANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    kernel_shutdown(SHUTDOWN_crash);
}
