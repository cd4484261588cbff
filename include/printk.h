/*
 * Kernel messages: printk formats (include/format.h conversions) and writes to
 * the console. panic() reports and shuts the domain down with reason crash.
 */
#ifndef PRINTK_H
#define PRINTK_H

#include <stdarg.h>

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#endif
