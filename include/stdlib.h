/*
 * The few <stdlib.h> functions a kernel needs, with the ISO C contracts:
 * strtoul/strtol (lib/strtoul.c) and the heap (kernel/malloc.c over
 * lib/heap.c). The heap functions return NULL when memory runs out; they
 * mask event delivery while they work, so event handlers may call them too.
 */
#ifndef STDLIB_H
#define STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *aligned_alloc(size_t align, size_t size);

/* mote's own: for kernel allocations that cannot fail. Panics with the
 * request size and the free-page count instead of returning NULL. */
void *malloc_or_panic(size_t size);

/* Heap figures, for tests: bytes handed out (headers included), and bytes
 * free inside the heap's arenas (pages not yet given back). */
size_t heap_used_bytes(void);
size_t heap_free_bytes(void);
/* Walks the whole heap checking its invariants; 0 if they hold, else -1
 * (after panicking, in the kernel: a broken heap cannot go on). */
int heap_verify(void);

#endif
