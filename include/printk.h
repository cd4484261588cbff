/* SPDX-License-Identifier: MIT */
/*
 * Kernel messages: printk formats (include/format.h conversions) and writes to
 * the console. panic() reports and shuts the domain down with reason crash.
 */
#ifndef PRINTK_H
#define PRINTK_H

#include <stdarg.h>
#include <stdint.h>

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Monotonic nanoseconds since boot for the line prefix, 0 while unknown (no
 * prefix then). printk.c has a weak definition returning 0; the time code
 * provides the real one. Called for every line: must not print or block.
 */
uint64_t printk_timestamp_ns(void);

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#endif
