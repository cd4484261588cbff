/* SPDX-License-Identifier: MIT */
/*
 * The console: where printk output goes and keyboard input comes from.
 *
 * A back end is chosen at boot from start_info (console_init):
 *   - initial domain (SIF_INITDOMAIN, dom0): output with the console_io
 *     hypercall (CONSOLEIO_write, xen.h), input on VIRQ_CONSOLE read with
 *     CONSOLEIO_read. Xen's serial driver turns "\n" into "\r\n" itself.
 *   - any other domain (domU): the shared xencons_interface ring
 *     (xen/io/console.h) at start_info->console.domU.mfn with its event
 *     channel; "\n" is sent as "\r\n" because xenconsoled hands the bytes to a
 *     raw pty unchanged.
 *
 * Output is never dropped by this layer: console_write returns once every
 * byte has been handed to the back end, blocking (not spinning) on the
 * console event while the ring is full. Only console_emergency_mode()
 * changes that, for panics.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <xen_interface.h>
#include <xen/io/console.h>

/* console_write, console_read, console_set_input_handler,
 * console_backend_name, console_emergency_write: the API. */
#include <mote/console.h>

/* Chooses the back end; output works from here on. Input and blocking waits
 * need events: console_events_init() after events_init(). */
void console_init(void);
void console_events_init(void);

/*
 * Moves the console to the ring back end on `page`, notified through `port`
 * (a port of ours, bound to the back end). A domU's console does this at
 * boot with start_info's page; tests call it with a page and a loopback
 * port to play xenconsoled inside one domain. Call after events_init.
 */
void console_use_ring(struct xencons_interface *page, evtchn_port_t port);

/*
 * From now on console_write never waits: the ring gets what fits (if any)
 * and everything also goes to console_emergency_write. For panic() and fault
 * reports, which must get out even when the ring's back end is wedged.
 */
void console_emergency_mode(void);

/* True if console_read would return input without waiting: a look
 * without a lock, for poll (posix/console.c), which re-checks after every
 * upcall (input arrives in one). */
bool console_input_ready(void);

#endif
