/* SPDX-License-Identifier: MIT */
/*
 * <string.h> (libc/string.c, strerror in libc/errno.c): the ISO C
 * contracts, plus strnlen, strdup, strndup, strtok_r, strlcpy and
 * strcasecmp/strncasecmp (POSIX and the BSDs). GCC may emit calls to
 * memcpy/memset/memmove/memcmp by itself. There is no strtok (its hidden
 * state is shared by all threads): use strtok_r.
 */
#ifndef STRING_H
#define STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
/* Splits s at any byte of delim; *save keeps the place between calls
 * (pass s == NULL to go on). Writes a NUL over each delimiter it ends at. */
char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save);
/* Copies into malloc'd memory; NULL (errno ENOMEM) when out of memory. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
/* Copies at most size-1 bytes and always terminates (when size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* The message for an errno value; never NULL, never to be modified. */
char *strerror(int err);

#endif
