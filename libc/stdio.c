/* SPDX-License-Identifier: MIT */
/*
 * <stdio.h> on the console. Output is formatted by vformat
 * (lib/vsnprintf.c) into a small buffer on the caller's stack and written
 * with console_write each time it fills and at the end of the call, so a
 * line printed by one call is not cut by another thread's output (threads
 * switch only when one waits, and console_write waits only on a full domU
 * ring). Input goes through one shared stdin state, under a mutex.
 *
 * Built with SSE: printf's prologue must store the caller's double
 * arguments where va_arg finds them. Called only by applications.
 */
#include <errno.h>
#include <format.h>
#include <mote/console.h>
#include <mote/kernel.h>
#include <mote/thread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CTRL_D 0x04

struct libc_file {
    bool output;        /* stdout, stderr: to the console */
    bool eof;           /* stdin: Ctrl-D was read */
};

static struct libc_file files[3] = { { false, false }, { true, false }, { true, false } };
FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

/* --- output */

struct line_buffer {
    char buf[128];
    size_t used;
};

static void flush_buffer(struct line_buffer *b)
{
    console_write(b->buf, b->used);
    b->used = 0;
}

static void emit_to_console(void *ctx, const char *s, size_t len)
{
    struct line_buffer *b = ctx;

    while (len) {
        size_t n = sizeof(b->buf) - b->used;
        if (n > len)
            n = len;
        memcpy(b->buf + b->used, s, n);
        b->used += n;
        s += n;
        len -= n;
        if (b->used == sizeof(b->buf))
            flush_buffer(b);
    }
}

static bool writable(FILE *f)
{
    if (f && f->output)
        return true;
    errno = EBADF;
    return false;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    struct line_buffer b = { .used = 0 };

    if (!writable(f))
        return -1;
    int n = vformat(emit_to_console, &b, fmt, ap);
    flush_buffer(&b);
    return n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

/* printk for applications (<mote/kernel.h> gives it this name): the same
 * output as the kernel's, but this prologue stores double arguments. */
int mote_app_printk(const char *fmt, ...);

int mote_app_printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* No size limit: the caller promises the buffer is big enough (C11). */
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
    if (!writable(f))
        return EOF;
    console_write(s, strlen(s));
    return 0;
}

int puts(const char *s)
{
    struct line_buffer b = { .used = 0 };

    emit_to_console(&b, s, strlen(s));
    emit_to_console(&b, "\n", 1);
    flush_buffer(&b);
    return 0;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    if (!writable(f))
        return EOF;
    console_write(&ch, 1);
    return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fflush(FILE *f)
{
    (void)f;
    return 0;
}

void perror(const char *s)
{
    const char *msg = strerror(errno);

    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, msg);
    else
        fprintf(stderr, "%s\n", msg);
}

/* --- input */

static struct mutex stdin_lock;
static bool after_cr;           /* the last byte was "\r": drop a "\n" next */

/* The next byte of stdin with line ends made "\n", or EOF; stdin_lock held. */
static int read_byte(void)
{
    for (;;) {
        if (stdin->eof)
            return EOF;
        char c;
        if (console_read(&c, 1) != 1)
            continue;
        bool was_cr = after_cr;
        after_cr = c == '\r';
        if (c == '\n' && was_cr)
            continue;
        if (c == CTRL_D) {
            stdin->eof = true;
            return EOF;
        }
        return c == '\r' ? '\n' : (unsigned char)c;
    }
}

int fgetc(FILE *f)
{
    if (f != stdin) {
        errno = EBADF;
        return EOF;
    }
    mutex_lock(&stdin_lock);
    int c = read_byte();
    mutex_unlock(&stdin_lock);
    return c;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

char *fgets(char *restrict buf, int size, FILE *restrict f)
{
    int n = 0;

    if (f != stdin || size <= 0) {
        errno = EBADF;
        return NULL;
    }
    mutex_lock(&stdin_lock);
    while (n < size - 1) {
        int c = read_byte();
        if (c == EOF)
            break;
        buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    mutex_unlock(&stdin_lock);
    if (n == 0 && size > 1)
        return NULL;
    buf[n] = '\0';
    return buf;
}

int feof(FILE *f)
{
    return f->eof;
}

int ferror(FILE *f)
{
    (void)f;
    return 0;
}

void clearerr(FILE *f)
{
    f->eof = false;
}
