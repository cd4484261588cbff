/* SPDX-License-Identifier: MIT */
/*
 * <stdio.h> on the console (libc/stdio.c). stdout and stderr both write to
 * the console, unbuffered: each call's output goes out before it returns
 * (fflush has nothing to do). stdin reads the console: a terminal's "\r"
 * and "\r\n" read as "\n", and Ctrl-D (0x04) reads as end of file. There
 * are no files and no scanf; formatting is that of lib/format.h's
 * engine, with %e %f %g exact like glibc's.
 */
#ifndef STDIO_H
#define STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
#define BUFSIZ 1024

typedef struct libc_file FILE;
extern FILE *const stdin, *const stdout, *const stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* On stdout or stderr; any other stream fails with EOF / -1 (errno EBADF). */
int fprintf(FILE *restrict f, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int sprintf(char *restrict buf, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* puts adds a newline. These return a nonnegative value, or EOF. */
int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int fflush(FILE *f);
/* Prints "s: " (if s is not NULL or empty), strerror(errno) and a newline on stderr. */
void perror(const char *s);

/* Waits for console input. getchar returns the next byte as unsigned char,
 * or EOF at Ctrl-D. fgets reads up to a newline (kept) or size-1 bytes;
 * NULL at end of file with nothing read. */
int getchar(void);
int fgetc(FILE *f);
int getc(FILE *f);
char *fgets(char *restrict buf, int size, FILE *restrict f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);

#endif
