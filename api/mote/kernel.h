/* SPDX-License-Identifier: MIT */
/*
 * mote application API: console messages, panics, how the domain ends, the
 * start_info page, and Xen error names.
 *
 * Xen's own public headers (<xen/...>, the hypervisor ABI) are part of the
 * API: start_info_t, domid_t, evtchn_port_t and the VIRQ_, SHUTDOWN_ and
 * XEN_E... constants come from them.
 */
#ifndef MOTE_KERNEL_H
#define MOTE_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/errno.h>

/*
 * The application defines main, as int main(int argc, char **argv) or int
 * main(void). argv is the guest command line split on blanks (double quotes
 * group words) with the kernel's mote.* parameters removed; argv[0] is
 * "mote". Returning 0 powers the domain off; any other value is printed and
 * the domain crashes (exit() in <stdlib.h> does the same).
 */

/* Formats (printf's conversions) and writes to the console. Returns the
 * characters written. Usable from event handlers (without floating-point
 * arguments there). An application's printk is an SSE-built wrapper
 * (libc/stdio.c) so that double arguments reach %f; the kernel's is not. */
#ifdef MOTE_KERNEL
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#else
int printk(const char *fmt, ...) __asm__("mote_app_printk") __attribute__((format(printf, 1, 2)));
#endif
int vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Prints "mote: PANIC: <message>" and crashes the domain. Never returns. */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* Ends the domain with a SCHEDOP_shutdown reason (SHUTDOWN_poweroff,
 * _reboot, _crash; xen/sched.h) after saying so on the console
 * (kernel/shutdown.c also says how this ends QEMU in the test setup). */
__attribute__((noreturn)) void kernel_shutdown(unsigned int reason);

/* The page Xen started this domain with (xen.h, struct start_info): set
 * before main runs, read-only (only the kernel's suspend rewrites two of
 * its frame numbers, through a view of its own). */
extern const start_info_t *start_info;

/* True when running as the initial domain (dom0). */
static inline bool xen_initial_domain(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

/* "EINVAL" for -22 (xen/errno.h names, the same numbers as <errno.h>); "E?"
 * for codes Xen does not define. */
const char *xen_errno_name(long rc);

#endif
