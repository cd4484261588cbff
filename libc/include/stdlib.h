/* SPDX-License-Identifier: MIT */
/*
 * <stdlib.h> with the ISO C contracts: number parsing (libc/strtol.c,
 * libc/strtod.c), sorting (libc/qsort.c), the heap (kernel/malloc.c over
 * lib/heap.c), and the process-level calls of libc/stdlib.c (exit, abort,
 * atexit, rand, getenv, abs). The heap functions return NULL when memory
 * runs out; they mask event delivery while they work, so event handlers may
 * call them too.
 */
#ifndef STDLIB_H
#define STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

/* Out of range: the nearest limit and errno ERANGE. A base other than 0 or
 * 2..36: 0 and errno EINVAL. *end (if end) points past the last digit used,
 * or to s when there was none. */
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
/* Decimal, hexadecimal (0x1.8p3), inf, infinity, nan, nan(chars); the
 * result correctly rounded (to nearest, ties to even). Overflow gives
 * +-HUGE_VAL, and underflow to zero or a subnormal errno ERANGE. */
double strtod(const char *restrict s, char **restrict end);
float strtof(const char *restrict s, char **restrict end);
double atof(const char *s);
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);

int abs(int v);
long labs(long v);
long long llabs(long long v);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);
lldiv_t lldiv(long long num, long long den);

/* Sorts n elements (not stable: a heapsort, O(n log n) worst case, no
 * recursion and no allocation). */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *));

/* 0..RAND_MAX; srand(seed) restarts the sequence. One sequence shared by all
 * threads, updated atomically. */
int rand(void);
void srand(unsigned int seed);

/* Runs the atexit functions (last registered first), then ends the domain:
 * status 0 powers it off, anything else crashes it with the status printed,
 * as returning from main does. */
__attribute__((noreturn)) void exit(int status);
/* Registers fn for exit(); up to 32 functions. 0, or -1 when full. */
int atexit(void (*fn)(void));
/* Crashes the domain at once ("abort() called"), running no atexit function. */
__attribute__((noreturn)) void abort(void);
/* mote has no environment yet: always NULL. */
char *getenv(const char *name);

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *aligned_alloc(size_t align, size_t size);

/* mote's own: for allocations that cannot fail. Panics with the request
 * size and the free-page count instead of returning NULL. */
void *malloc_or_panic(size_t size);

/* Heap figures, for tests: bytes handed out (headers included), and bytes
 * free inside the heap's arenas (pages not yet given back). */
size_t heap_used_bytes(void);
size_t heap_free_bytes(void);
/* Walks the whole heap checking its invariants; 0 if they hold, else -1
 * (after panicking, in the kernel: a broken heap cannot go on). */
int heap_verify(void);

#endif
