/* SPDX-License-Identifier: MIT */
/*
 * A minimal unit-test harness for mote's host tests.
 *
 * Each test is a function; RUN(fn) runs it and prints "PASS unit/FILE/fn" or
 * "FAIL unit/FILE/fn" with every failed CHECK above it. tests/run.sh counts
 * these lines. Prototypes of the mote_-prefixed library (mote_names.h) follow.
 */
#ifndef CHECK_H
#define CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

static int check_failures;
static int check_tests_failed;

#define CHECK(cond, ...)                                                \
    do {                                                                \
        if (!(cond)) {                                                  \
            check_failures++;                                           \
            printf("  %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            printf(__VA_ARGS__);                                        \
            printf("\n");                                               \
        }                                                               \
    } while (0)

static inline void check_run(const char *suite, const char *name, void (*fn)(void))
{
    int before = check_failures;

    fn();
    if (check_failures == before) {
        printf("PASS unit/%s/%s\n", suite, name);
    } else {
        printf("FAIL unit/%s/%s (%d checks)\n", suite, name, check_failures - before);
        check_tests_failed++;
    }
    fflush(stdout);
}

#define RUN(suite, fn) check_run(suite, #fn, fn)

/* mote's lib/, as compiled for the host with mote_names.h. */
void *mote_memcpy(void *dst, const void *src, size_t n);
void *mote_memmove(void *dst, const void *src, size_t n);
void *mote_memset(void *dst, int c, size_t n);
int mote_memcmp(const void *a, const void *b, size_t n);
void *mote_memchr(const void *s, int c, size_t n);
size_t mote_strlen(const char *s);
size_t mote_strnlen(const char *s, size_t max);
int mote_strcmp(const char *a, const char *b);
int mote_strncmp(const char *a, const char *b, size_t n);
char *mote_strchr(const char *s, int c);
char *mote_strrchr(const char *s, int c);
char *mote_strstr(const char *h, const char *n);
size_t mote_strlcpy(char *dst, const char *src, size_t size);
unsigned long mote_strtoul(const char *s, char **end, int base);
long mote_strtol(const char *s, char **end, int base);
int mote_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mote_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int cmdline_split(char *line, char **argv, int max);
bool cmdline_next_word(const char **cursor, char *word, size_t size);

/* mote's libc/ (the C library subset), mote_-prefixed the same way. */
char *mote_strcpy(char *dst, const char *src);
char *mote_strncpy(char *dst, const char *src, size_t n);
char *mote_strcat(char *dst, const char *src);
char *mote_strncat(char *dst, const char *src, size_t n);
int mote_strcasecmp(const char *a, const char *b);
int mote_strncasecmp(const char *a, const char *b, size_t n);
size_t mote_strspn(const char *s, const char *accept);
size_t mote_strcspn(const char *s, const char *reject);
char *mote_strpbrk(const char *s, const char *accept);
char *mote_strtok_r(char *s, const char *delim, char **save);
char *mote_strdup(const char *s);
char *mote_strndup(const char *s, size_t n);
char *mote_strerror(int err);
long long mote_strtoll(const char *s, char **end, int base);
unsigned long long mote_strtoull(const char *s, char **end, int base);
int mote_atoi(const char *s);
long mote_atol(const char *s);
long long mote_atoll(const char *s);
double mote_strtod(const char *s, char **end);
float mote_strtof(const char *s, char **end);
double mote_atof(const char *s);
int mote_abs(int v);
div_t mote_div(int num, int den);
ldiv_t mote_ldiv(long num, long den);
lldiv_t mote_lldiv(long long num, long long den);
intmax_t mote_imaxabs(intmax_t v);
imaxdiv_t mote_imaxdiv(intmax_t num, intmax_t den);
intmax_t mote_strtoimax(const char *s, char **end, int base);
uintmax_t mote_strtoumax(const char *s, char **end, int base);
long mote_labs(long v);
long long mote_llabs(long long v);
void mote_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *mote_bsearch(const void *key, const void *base, size_t n, size_t size,
                   int (*cmp)(const void *, const void *));
int mote_rand(void);
void mote_srand(unsigned int seed);
int mote_isalnum(int c);
int mote_isalpha(int c);
int mote_isblank(int c);
int mote_iscntrl(int c);
int mote_isdigit(int c);
int mote_isgraph(int c);
int mote_islower(int c);
int mote_isprint(int c);
int mote_ispunct(int c);
int mote_isspace(int c);
int mote_isupper(int c);
int mote_isxdigit(int c);
int mote_tolower(int c);
int mote_toupper(int c);

#endif
