/* SPDX-License-Identifier: MIT */
/*
 * Formatted output into memory (lib/vsnprintf.c): the C99 contracts of
 * snprintf/vsnprintf for the conversions kernel code uses:
 *   %d %i %u %x %X %o %c %s %p %%
 *   flags '-' '0' '#' '+' ' ', width and precision (numbers or '*'),
 *   sizes hh h l ll z t j.
 * %p prints 0x followed by lower-case hex, like glibc ("(nil)" for NULL).
 * A NULL %s prints "(null)", as glibc does.
 * The result is always terminated when size > 0; the return value is the
 * length the full output would have had, so truncation is detectable.
 * Floating point: %e %E %f %F %g %G, exact to the last digit like glibc's
 * (libc/printf_fp.c); an L size reads a long double and prints it as a
 * double. %a is not supported (the argument is consumed, the conversion
 * printed as it is). Kernel code cannot pass a double (it is built without
 * SSE); applications can, through printf and snprintf.
 * Unknown conversions are copied through literally.
 */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * vformat: the formatting engine behind vsnprintf, writing through a callback so
 * printk can format straight to a console without a size limit. Returns the
 * number of characters emitted.
 */
typedef void (*format_emit_fn)(void *ctx, const char *s, size_t len);
int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* One conversion's flags, width and precision, as vformat parsed them. */
struct format_spec {
    bool left;          /* '-' */
    bool zero;          /* '0' */
    bool alt;           /* '#' */
    bool plus;          /* '+' */
    bool space;         /* ' ' */
    int width;
    int precision;      /* -1: none given */
    char size;          /* 'H' hh, 'h', 'l', 'L' ll or L, 'z', 't', 'j', 0 int */
};

/*
 * The floating-point conversions: takes the next argument from *ap (a
 * double, or a long double for size 'L') and emits it per `conv` (one of
 * "eEfFgGaA"); returns the characters emitted. It lives in libc/printf_fp.c,
 * compiled with SSE, and runs only when an application passed a double:
 * vformat itself never touches floating-point registers.
 */
int format_double(format_emit_fn emit, void *ctx, const struct format_spec *sp,
                  char conv, va_list *ap);

#endif
