/*
 * printk: formatted kernel messages to the console.
 *
 * Output is collected in a small buffer and written in chunks, so a long
 * message costs a few console writes rather than one per conversion, and is
 * never truncated.
 */
#include <console.h>
#include <format.h>
#include <printk.h>
#include <string.h>

struct printk_buffer {
    char data[256];
    size_t used;
};

static void printk_flush(struct printk_buffer *b)
{
    if (b->used) {
        console_write(b->data, b->used);
        b->used = 0;
    }
}

static void printk_emit(void *ctx, const char *s, size_t len)
{
    struct printk_buffer *b = ctx;

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
