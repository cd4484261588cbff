/*
 * mote application API: printk, panic, start_info, how the domain ends, and
 * Xen error names (xen_errno_name).
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_KERNEL_H
#define MOTE_KERNEL_H

#include <printk.h>
#include <kernel.h>
#include <hypercall.h>

#endif
