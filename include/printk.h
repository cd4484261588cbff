/* SPDX-License-Identifier: MIT */
/*
 * Kernel messages: printk formats (lib/format.h conversions) and writes to
 * the console. panic() reports and shuts the domain down with reason crash.
 */
#ifndef PRINTK_H
#define PRINTK_H

#include <stdarg.h>
#include <stdint.h>

/* printk, vprintk and panic: the API. */
#include <mote/kernel.h>

/*
 * Monotonic nanoseconds since boot for the line prefix, 0 while unknown (no
 * prefix then). printk.c has a weak definition returning 0; the time code
 * provides the real one. Called for every line: must not print or block.
 */
uint64_t printk_timestamp_ns(void);

#endif
