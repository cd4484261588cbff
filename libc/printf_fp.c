/* SPDX-License-Identifier: MIT */
/*
 * printf's floating-point conversions, %e %E %f %F %g %G (C11 7.21.6.1),
 * for vformat (lib/vsnprintf.c, contract in lib/format.h). The value is
 * expanded exactly in decimal (libc/decimal.c) and rounded there, so every
 * digit matches glibc's, whatever the precision. This file is compiled with
 * SSE (the double arrives in a vector register) and runs only for
 * applications: kernel code cannot pass a double.
 */
#include "decimal.h"
#include <format.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct sink {
    format_emit_fn emit;
    void *ctx;
    int count;
};

static void put(struct sink *o, const char *s, size_t len)
{
    if (len) {
        o->emit(o->ctx, s, len);
        o->count += (int)len;
    }
}

static void repeat(struct sink *o, char c, long n)
{
    char chunk[32];

    memset(chunk, c, sizeof(chunk));
    for (; n > 0; n -= (long)sizeof(chunk))
        put(o, chunk, n < (long)sizeof(chunk) ? (size_t)n : sizeof(chunk));
}

/* Digit i of the expansion (0 is the first significant one), '0' outside it. */
static char digit_at(const struct decimal *dec, long i)
{
    return i >= 0 && i < dec->n ? dec->d[i] : '0';
}

/* Emits digits [from, from + count) of the expansion. */
static void put_digits(struct sink *o, const struct decimal *dec, long from, long count)
{
    while (count > 0 && (from < 0 || from >= dec->n)) {
        long run = from < 0 ? -from : count;
        if (run > count)
            run = count;
        repeat(o, '0', run);
        from += run;
        count -= run;
    }
    if (count > 0) {
        long avail = dec->n - from;
        long n = count < avail ? count : avail;
        put(o, dec->d + from, (size_t)n);
        repeat(o, '0', count - n);
    }
}

/* The body of a finite value, after sign and padding: %f style with `frac`
 * fraction digits, or %e style (exp10 given) with `frac` after the point. */
struct layout {
    bool exp_style;
    long frac;          /* digits after the point */
    bool point;         /* print the '.' */
    int exp10;          /* %e: the exponent */
    char exp_char;      /* 'e' or 'E' */
};

static long body_length(const struct decimal *dec, const struct layout *l)
{
    long len = l->point ? 1 + l->frac : 0;

    if (l->exp_style) {
        int e = l->exp10 < 0 ? -l->exp10 : l->exp10;
        int edigits = e >= 100 ? 3 : 2;
        return len + 1 + 2 + edigits;
    }
    return len + (dec->point > 0 ? dec->point : 1);
}

static void put_body(struct sink *o, const struct decimal *dec, const struct layout *l)
{
    if (l->exp_style) {
        put_digits(o, dec, 0, 1);
        if (l->point)
            put(o, ".", 1);
        put_digits(o, dec, 1, l->frac);
        char e[6];
        int v = l->exp10 < 0 ? -l->exp10 : l->exp10, n = 0;
        e[n++] = l->exp_char;
        e[n++] = l->exp10 < 0 ? '-' : '+';
        if (v >= 100)
            e[n++] = (char)('0' + v / 100);
        e[n++] = (char)('0' + v / 10 % 10);
        e[n++] = (char)('0' + v % 10);
        put(o, e, (size_t)n);
        return;
    }
    if (dec->point > 0)
        put_digits(o, dec, 0, dec->point);
    else
        put(o, "0", 1);
    if (l->point)
        put(o, ".", 1);
    put_digits(o, dec, dec->point, l->frac);
}

/* %g: the fraction digits that remain once trailing zeros are dropped. */
static long trim_fraction(const struct decimal *dec, long first_frac_digit, long frac)
{
    while (frac > 0 && digit_at(dec, first_frac_digit + frac - 1) == '0')
        frac--;
    return frac;
}

static void plan(struct decimal *dec, const struct format_spec *sp, char conv,
                 struct layout *l)
{
    char c = (char)(conv | 0x20);
    long prec = sp->precision < 0 ? 6 : sp->precision;

    l->exp_char = conv == 'E' || conv == 'G' ? 'E' : 'e';
    if (c == 'f') {
        decimal_round(dec, (int)(dec->point + prec > DECIMAL_MAX_DIGITS
                                 ? DECIMAL_MAX_DIGITS : dec->point + prec));
        l->exp_style = false;
        l->frac = prec;
    } else if (c == 'e') {
        decimal_round(dec, (int)(prec + 1 > DECIMAL_MAX_DIGITS ? DECIMAL_MAX_DIGITS : prec + 1));
        l->exp_style = true;
        l->frac = prec;
        l->exp10 = dec->n ? dec->point - 1 : 0;
    } else {
        long p = prec == 0 ? 1 : prec;
        decimal_round(dec, (int)(p > DECIMAL_MAX_DIGITS ? DECIMAL_MAX_DIGITS : p));
        int x = dec->n ? dec->point - 1 : 0;
        if (p > x && x >= -4) {
            l->exp_style = false;
            l->frac = p - 1 - x;
            if (!sp->alt)
                l->frac = trim_fraction(dec, dec->n ? dec->point : 1, l->frac);
        } else {
            l->exp_style = true;
            l->exp10 = x;
            l->frac = p - 1;
            if (!sp->alt)
                l->frac = trim_fraction(dec, 1, l->frac);
        }
    }
    l->point = l->frac > 0 || sp->alt;
}

int format_double(format_emit_fn emit, void *ctx, const struct format_spec *sp,
                  char conv, va_list *ap)
{
    struct sink o = { emit, ctx, 0 };
    double v = sp->size == 'L' ? (double)va_arg(*ap, long double) : va_arg(*ap, double);
    uint64_t bits;

    memcpy(&bits, &v, sizeof(bits));
    bool negative = bits >> 63;
    int biased = (int)(bits >> 52 & 0x7ff);
    uint64_t frac = bits & ((1ull << 52) - 1);
    char sign = negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
    bool upper = conv == 'E' || conv == 'F' || conv == 'G' || conv == 'A';

    if (conv == 'a' || conv == 'A') {
        put(&o, upper ? "%A" : "%a", 2);
        return o.count;
    }
    if (biased == 0x7ff) {          /* inf and nan: no zero padding (glibc) */
        const char *text = frac ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        long len = 3 + (sign ? 1 : 0);
        if (!sp->left)
            repeat(&o, ' ', sp->width - len);
        if (sign)
            put(&o, &sign, 1);
        put(&o, text, 3);
        if (sp->left)
            repeat(&o, ' ', sp->width - len);
        return o.count;
    }

    struct decimal dec;
    if (biased == 0)
        decimal_from_binary(&dec, frac, -1074);
    else
        decimal_from_binary(&dec, frac | 1ull << 52, biased - 1075);

    struct layout l;
    plan(&dec, sp, conv, &l);
    long len = body_length(&dec, &l) + (sign ? 1 : 0);
    if (!sp->left && !sp->zero)
        repeat(&o, ' ', sp->width - len);
    if (sign)
        put(&o, &sign, 1);
    if (!sp->left && sp->zero)
        repeat(&o, '0', sp->width - len);
    put_body(&o, &dec, &l);
    if (sp->left)
        repeat(&o, ' ', sp->width - len);
    return o.count;
}
