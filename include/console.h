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

#include <stddef.h>
#include <xen_interface.h>
#include <xen/io/console.h>

/* Chooses the back end; output works from here on. Input and blocking waits
 * need events: console_events_init() after events_init(). */
void console_init(void);
void console_events_init(void);

void console_write(const char *buf, size_t len);

/*
 * Waits until input is available and returns 1 .. len bytes of it (0 only
 * when len is 0, or when called before console_events_init). Input received
 * while no one reads is queued (4 KiB); beyond that it stays with the back
 * end, which then stops sending.
 */
size_t console_read(char *buf, size_t len);

/*
 * Takes input as it arrives instead of console_read: fn runs in event
 * context (short, must not block) with each chunk received. NULL restores
 * queueing for console_read.
 */
typedef void (*console_input_fn)(const char *buf, size_t len, void *ctx);
void console_set_input_handler(console_input_fn fn, void *ctx);

const char *console_backend_name(void);

/*
 * Moves the console to the ring back end on `page`, notified through `port`
 * (a port of ours, bound to the back end). A domU's console does this at
 * boot with start_info's page; tests call it with a page and a loopback
 * port to play xenconsoled inside one domain. Call after events_init.
 */
void console_use_ring(struct xencons_interface *page, evtchn_port_t port);

/*
 * Last-resort output for panics and fault reports: CONSOLEIO_write straight to
 * Xen, needing no driver state. Xen accepts it from dom0; release builds of
 * Xen drop it for a domU, but it costs nothing to try.
 */
void console_emergency_write(const char *buf, size_t len);

/*
 * From now on console_write never waits: the ring gets what fits (if any)
 * and everything also goes to console_emergency_write. For panic() and fault
 * reports, which must get out even when the ring's back end is wedged.
 */
void console_emergency_mode(void);

#endif
