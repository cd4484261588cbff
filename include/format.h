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
 * Unknown conversions are copied through literally.
 */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdarg.h>
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

#endif
