/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting without libc (see lib/format.h for the contract).
 *
 * One engine, vformat(), walks the format string and hands runs of output to
 * an emit callback; vsnprintf() is vformat() with a callback that fills a
 * bounded buffer. Behaviour follows C11 7.21.6.1 and is checked against the
 * host libc by tests/unit/test_format.c.
 */
#include <format.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct out {
    format_emit_fn emit;
    void *ctx;
    int count;
};

/*
 * The floating-point conversions (libc/printf_fp.c, 4 KB with the decimal
 * conversion under them) are linked only into an image whose application code
 * uses SSE registers (the Makefile's link rule): the ABI passes a double in
 * one, so an application that uses none cannot pass printf a double, and the
 * kernel is built without SSE. Elsewhere this weak reference is null and a
 * conversion is shown as written, like an unknown one.
 */
extern __typeof__(format_double) format_double __attribute__((weak));

static void put(struct out *o, const char *s, size_t len)
{
    if (len) {
        o->emit(o->ctx, s, len);
        o->count += (int)len;
    }
}

static void pad(struct out *o, char c, int n)
{
    char chunk[16];

    memset(chunk, c, sizeof(chunk));
    while (n > 0) {
        int k = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);
        put(o, chunk, (size_t)k);
        n -= k;
    }
}

/* Emits prefix, zeros and digits padded to the field width as C11 describes. */
static void put_number(struct out *o, const struct format_spec *sp, const char *prefix,
                       const char *digits, int ndigits)
{
    int plen = (int)strlen(prefix);
    int zeros = 0;

    if (sp->precision >= 0) {
        if (sp->precision > ndigits)
            zeros = sp->precision - ndigits;
    } else if (sp->zero && !sp->left && sp->width > plen + ndigits) {
        zeros = sp->width - plen - ndigits;
    }

    int total = plen + zeros + ndigits;
    if (!sp->left)
        pad(o, ' ', sp->width - total);
    put(o, prefix, (size_t)plen);
    pad(o, '0', zeros);
    put(o, digits, (size_t)ndigits);
    if (sp->left)
        pad(o, ' ', sp->width - total);
}

static void format_integer(struct out *o, struct format_spec *sp, char conv,
                           uintmax_t value, bool negative)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    const char *digitset = conv == 'X' ? upper : lower;
    unsigned base = (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : conv == 'o' ? 8 : 10;
    char buf[24];               /* 2^64 in octal is 22 digits */
    int n = 0;
    char prefix[3] = "";

    for (uintmax_t v = value; v; v /= base)
        buf[sizeof(buf) - 1 - n++] = digitset[v % base];

    /* C11: precision 0 with value 0 prints no digits (except %#o, below). */
    if (value == 0 && sp->precision != 0)
        buf[sizeof(buf) - 1 - n++] = '0';

    if (conv == 'd' || conv == 'i') {
        if (negative)
            prefix[0] = '-';
        else if (sp->plus)
            prefix[0] = '+';
        else if (sp->space)
            prefix[0] = ' ';
    } else if (sp->alt && conv == 'o') {
        /* '#' with o: increase the precision so the first digit is 0. */
        if (n == 0 || buf[sizeof(buf) - n] != '0') {
            if (sp->precision <= n)
                sp->precision = n + 1;
        }
    } else if ((sp->alt && value != 0 && (conv == 'x' || conv == 'X')) || conv == 'p') {
        prefix[0] = '0';
        prefix[1] = conv == 'X' ? 'X' : 'x';
    }
    put_number(o, sp, prefix, buf + sizeof(buf) - n, n);
}

static void format_string(struct out *o, const struct format_spec *sp, const char *s)
{
    if (!s)
        s = (sp->precision < 0 || sp->precision >= 6) ? "(null)" : "";
    int len = (int)(sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s));

    if (!sp->left)
        pad(o, ' ', sp->width - len);
    put(o, s, (size_t)len);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

static int parse_int(const char **p)
{
    int v = 0;

    while (**p >= '0' && **p <= '9') {
        if (v < 100000000)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

static uintmax_t fetch_unsigned(va_list *ap, char size)
{
    switch (size) {
    case 'H': return (unsigned char)va_arg(*ap, unsigned int);
    case 'h': return (unsigned short)va_arg(*ap, unsigned int);
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    case 't': return (uintmax_t)va_arg(*ap, ptrdiff_t);
    case 'j': return va_arg(*ap, uintmax_t);
    default:  return va_arg(*ap, unsigned int);
    }
}

static intmax_t fetch_signed(va_list *ap, char size)
{
    switch (size) {
    case 'H': return (signed char)va_arg(*ap, int);
    case 'h': return (short)va_arg(*ap, int);
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'z': return (intmax_t)va_arg(*ap, size_t);
    case 't': return va_arg(*ap, ptrdiff_t);
    case 'j': return va_arg(*ap, intmax_t);
    default:  return va_arg(*ap, int);
    }
}

int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap_in)
{
    struct out o = { emit, ctx, 0 };
    va_list ap;

    va_copy(ap, ap_in);
    while (*fmt) {
        const char *start = fmt;

        if (*fmt != '%') {
            while (*fmt && *fmt != '%')
                fmt++;
            put(&o, start, (size_t)(fmt - start));
            continue;
        }

        struct format_spec sp = { .precision = -1 };
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-') sp.left = true;
            else if (*fmt == '0') sp.zero = true;
            else if (*fmt == '#') sp.alt = true;
            else if (*fmt == '+') sp.plus = true;
            else if (*fmt == ' ') sp.space = true;
            else break;
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {         /* C11: a negative width is '-' plus width */
                sp.left = true;
                sp.width = sp.width == INT32_MIN ? INT32_MAX : -sp.width;
            }
            fmt++;
        } else {
            sp.width = parse_int(&fmt);
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                sp.precision = va_arg(ap, int);
                if (sp.precision < 0)   /* C11: taken as if omitted */
                    sp.precision = -1;
                fmt++;
            } else {
                sp.precision = parse_int(&fmt);
            }
        }
        switch (*fmt) {
        case 'h':
            sp.size = fmt[1] == 'h' ? (fmt++, 'H') : 'h';
            fmt++;
            break;
        case 'l':
            sp.size = fmt[1] == 'l' ? (fmt++, 'L') : 'l';
            fmt++;
            break;
        case 'z': case 't': case 'j': case 'L':
            sp.size = *fmt++;
            break;
        }

        char conv = *fmt;
        if (conv)
            fmt++;
        switch (conv) {
        case 'd': case 'i': {
            intmax_t v = fetch_signed(&ap, sp.size);
            /* Negate in unsigned arithmetic so INTMAX_MIN is safe. */
            uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
            format_integer(&o, &sp, conv, mag, v < 0);
            break;
        }
        case 'u': case 'x': case 'X': case 'o':
            format_integer(&o, &sp, conv, fetch_unsigned(&ap, sp.size), false);
            break;
        case 'p': {
            void *p = va_arg(ap, void *);
            if (!p) {
                struct format_spec nil = sp;
                nil.precision = -1;
                format_string(&o, &nil, "(nil)");
            } else {
                sp.size = 'j';
                format_integer(&o, &sp, 'p', (uintptr_t)p, false);
            }
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!sp.left)
                pad(&o, ' ', sp.width - 1);
            put(&o, &c, 1);
            if (sp.left)
                pad(&o, ' ', sp.width - 1);
            break;
        }
        case 's':
            format_string(&o, &sp, va_arg(ap, const char *));
            break;
        case '%':
            put(&o, "%", 1);
            break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
            if (format_double) {
                o.count += format_double(o.emit, o.ctx, &sp, conv, &ap);
                break;
            }
            put(&o, start, (size_t)(fmt - start));
            break;
        default:
            /* Unknown or truncated conversion: show it rather than guess. */
            put(&o, start, (size_t)(fmt - start));
            break;
        }
    }
    va_end(ap);
    return o.count;
}

struct buffer {
    char *buf;
    size_t size;
    size_t used;
};

static void emit_to_buffer(void *ctx, const char *s, size_t len)
{
    struct buffer *b = ctx;

    if (b->size && b->used < b->size - 1) {
        size_t room = b->size - 1 - b->used;
        size_t n = len < room ? len : room;
        memcpy(b->buf + b->used, s, n);
        b->used += n;
    }
}

/* noinline: snprintf below is built with SSE, and vformat must not be
 * compiled into it (GCC could then use vector registers in its body). */
__attribute__((noinline))
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = { buf, size, 0 };
    int n = vformat(emit_to_buffer, &b, fmt, ap);

    if (size)
        buf[b.used] = '\0';
    return n;
}

/*
 * The one variadic entry applications share with the kernel. Built with SSE
 * so that its prologue stores a caller's double arguments (%al > 0) where
 * va_arg finds them; kernel callers, built without SSE, pass %al = 0, so no
 * vector register is touched for them (handlers may call it).
 */
__attribute__((target("sse2")))
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
