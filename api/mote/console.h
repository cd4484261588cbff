/* SPDX-License-Identifier: MIT */
/*
 * mote application API: console output and keyboard input, below <stdio.h>.
 * As dom0 the console is Xen's (the serial line); as a domU it is the
 * console ring that xenconsoled relays to `xl console`.
 */
#ifndef MOTE_CONSOLE_H
#define MOTE_CONSOLE_H

#include <stddef.h>

/* Writes every byte, in order (no formatting). Waits while a domU console
 * ring is full; never drops output. */
void console_write(const char *buf, size_t len);

/* Waits for input and returns 1 .. len bytes (a terminal sends "\r" for
 * Enter); 0 only when len is 0 (or, in the kernel, before
 * console_events_init). Input that arrives while no one reads is queued
 * (4 KiB); beyond that it stays with the back end, which stops sending. */
size_t console_read(char *buf, size_t len);

/* Sends input to fn(buf, len, ctx) in event context instead of
 * console_read; NULL restores console_read. fn follows the rules of event
 * handlers (docs/api.md). */
typedef void (*console_input_fn)(const char *buf, size_t len, void *ctx);
void console_set_input_handler(console_input_fn fn, void *ctx);

/* "xen console_io" (dom0) or "xen console ring" (domU). */
const char *console_backend_name(void);

/* Straight to Xen (CONSOLEIO_write), bypassing the driver, needing no driver
 * state: for last words (panics, fault reports). Xen accepts it from dom0;
 * release builds of Xen drop it for a domU, but it costs nothing to try. */
void console_emergency_write(const char *buf, size_t len);

#endif
