/* SPDX-License-Identifier: MIT */
/*
 * printk: formatted kernel messages to the console.
 *
 * Output is collected in a small buffer and written in chunks, so a long
 * message costs a few console writes rather than one per conversion, and is
 * never truncated. Each line starts with a timestamp "[seconds.micros] " once
 * printk_timestamp_ns() returns non-zero (it does when time is up).
 */
#include <console.h>
#include <format.h>
#include <printk.h>
#include <stdbool.h>
#include <string.h>

/* Overridden by the time code with a strong definition. */
__attribute__((weak)) uint64_t printk_timestamp_ns(void)
{
    return 0;
}

struct printk_buffer {
    char data[256];
    size_t used;
};

/* Whether the next character printed starts a line (across printk calls:
 * one line is often printed by several). */
static bool at_line_start = true;

static void printk_flush(struct printk_buffer *b)
{
    if (b->used) {
        console_write(b->data, b->used);
        b->used = 0;
    }
}

static void printk_append(struct printk_buffer *b, const char *s, size_t len)
{
    while (len) {
        if (b->used == sizeof(b->data))
            printk_flush(b);
        size_t n = sizeof(b->data) - b->used;
        if (n > len)
            n = len;
        memcpy(b->data + b->used, s, n);
        b->used += n;
        s += n;
        len -= n;
    }
}

static void printk_timestamp(struct printk_buffer *b)
{
    uint64_t ns = printk_timestamp_ns();
    char stamp[32];

    if (!ns)
        return;
    int n = snprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ", (unsigned long)(ns / 1000000000),
                     (unsigned long)(ns % 1000000000 / 1000));
    printk_append(b, stamp, (size_t)n < sizeof(stamp) ? (size_t)n : sizeof(stamp) - 1);
}

/* Splits the output at line ends so each new line gets its timestamp. */
static void printk_emit(void *ctx, const char *s, size_t len)
{
    struct printk_buffer *b = ctx;

    while (len) {
        if (at_line_start) {
            printk_timestamp(b);
            at_line_start = false;
        }
        const char *nl = memchr(s, '\n', len);
        size_t n = nl ? (size_t)(nl - s) + 1 : len;
        printk_append(b, s, n);
        if (nl)
            at_line_start = true;
        s += n;
        len -= n;
    }
}

int vprintk(const char *fmt, va_list ap)
{
    struct printk_buffer b = { .used = 0 };
    int n = vformat(printk_emit, &b, fmt, ap);

    printk_flush(&b);
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
