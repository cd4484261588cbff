/* SPDX-License-Identifier: MIT */
/*
 * <string.h> (libc/string.c, strerror in libc/errno.c) against glibc over
 * generated inputs: random strings from a small alphabet (so matches,
 * repeats and early terminators are common), every function, the results
 * and the whole output buffers compared. Pointer results are compared as
 * offsets.
 */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include "check.h"
#include "../rand.h"

static uint64_t seed = 0x51ed2701a3b4c5d6ull;

static int sign(int v) { return (v > 0) - (v < 0); }

/* A random string of 0..max-1 bytes over "abcAB ,\x80" (and a NUL end). */
static void random_string(char *s, int max)
{
    static const char alphabet[] = "abcAB ,\x80";
    int n = (int)(xorshift64star(&seed) % (uint64_t)max);
    for (int i = 0; i < n; i++)
        s[i] = alphabet[xorshift64star(&seed) % (sizeof(alphabet) - 1)];
    s[n] = '\0';
}

static long offset(const char *p, const char *base)
{
    return p ? p - base : -1;
}

static void test_search_and_compare(void)
{
    int budget = 20;
    for (int i = 0; i < 50000 && budget > 0; i++) {
        char a[24], b[8];
        random_string(a, sizeof(a));
        random_string(b, sizeof(b));
        int c = b[0];
        size_t n = xorshift64star(&seed) % 26;
        int fails = check_failures;
        CHECK(offset(mote_strchr(a, c), a) == offset(strchr(a, c), a), "strchr(\"%s\", %d)", a, c);
        CHECK(offset(mote_strrchr(a, c), a) == offset(strrchr(a, c), a), "strrchr(\"%s\", %d)", a, c);
        CHECK(offset(mote_strstr(a, b), a) == offset(strstr(a, b), a), "strstr(\"%s\", \"%s\")", a, b);
        CHECK(offset(mote_strpbrk(a, b), a) == offset(strpbrk(a, b), a), "strpbrk(\"%s\", \"%s\")", a, b);
        CHECK(mote_strspn(a, b) == strspn(a, b), "strspn(\"%s\", \"%s\")", a, b);
        CHECK(mote_strcspn(a, b) == strcspn(a, b), "strcspn(\"%s\", \"%s\")", a, b);
        CHECK(offset(mote_memchr(a, c, n < sizeof(a) ? n : sizeof(a)), a)
              == offset(memchr(a, c, n < sizeof(a) ? n : sizeof(a)), a), "memchr");
        CHECK(sign(mote_strcmp(a, b)) == sign(strcmp(a, b)), "strcmp(\"%s\", \"%s\")", a, b);
        CHECK(sign(mote_strncmp(a, b, n)) == sign(strncmp(a, b, n)), "strncmp(\"%s\", \"%s\", %zu)", a, b, n);
        CHECK(sign(mote_strcasecmp(a, b)) == sign(strcasecmp(a, b)), "strcasecmp(\"%s\", \"%s\")", a, b);
        CHECK(sign(mote_strncasecmp(a, b, n)) == sign(strncasecmp(a, b, n)),
              "strncasecmp(\"%s\", \"%s\", %zu)", a, b, n);
        CHECK(mote_strlen(a) == strlen(a) && mote_strnlen(a, n) == strnlen(a, n), "strlen/strnlen");
        if (check_failures != fails)
            budget--;
    }
}

static void test_copy_and_concatenate(void)
{
    int budget = 20;
    for (int i = 0; i < 50000 && budget > 0; i++) {
        char src[24], start[24], mine[64], theirs[64];
        random_string(src, sizeof(src));
        random_string(start, sizeof(start));
        size_t n = xorshift64star(&seed) % 30;
        int fails = check_failures;

        memset(mine, '#', sizeof(mine));
        memset(theirs, '#', sizeof(theirs));
        CHECK(mote_strcpy(mine, src) == mine && (strcpy(theirs, src), !memcmp(mine, theirs, 64)),
              "strcpy \"%s\"", src);
        memset(mine, '#', sizeof(mine));
        memset(theirs, '#', sizeof(theirs));
        mote_strncpy(mine, src, n);
        strncpy(theirs, src, n);
        CHECK(!memcmp(mine, theirs, 64), "strncpy \"%s\" %zu", src, n);
        strcpy(mine, start);
        strcpy(theirs, start);
        CHECK(mote_strcat(mine, src) == mine && (strcat(theirs, src), !memcmp(mine, theirs, 64)),
              "strcat \"%s\" \"%s\"", start, src);
        strcpy(mine, start);
        strcpy(theirs, start);
        mote_strncat(mine, src, n);
        strncat(theirs, src, n);
        CHECK(!memcmp(mine, theirs, 64), "strncat \"%s\" \"%s\" %zu", start, src, n);

        char *d1 = mote_strdup(src), *d2 = mote_strndup(src, n);
        CHECK(d1 && !strcmp(d1, src) && d2 && !strncmp(d2, src, n) && strlen(d2) == strnlen(src, n),
              "strdup/strndup \"%s\" %zu", src, n);
        free(d1);
        free(d2);
        if (check_failures != fails)
            budget--;
    }
}

/* memcpy, memmove (overlapping both ways), memset, memcmp, memchr on
 * random buffers, offsets and lengths: whole buffers compared. */
static void test_memory_functions(void)
{
    int budget = 20;
    for (int i = 0; i < 50000 && budget > 0; i++) {
        unsigned char a[96], b[96], x[96], y[96];
        for (size_t k = 0; k < sizeof(a); k++)
            a[k] = b[k] = (unsigned char)(xorshift64star(&seed) % 4);
        size_t src = xorshift64star(&seed) % 48, dst = xorshift64star(&seed) % 48;
        size_t n = xorshift64star(&seed) % 48;
        int c = (int)(xorshift64star(&seed) % 5);
        int fails = check_failures;
        mote_memmove(a + dst, a + src, n);
        memmove(b + dst, b + src, n);
        CHECK(!memcmp(a, b, sizeof(a)), "memmove dst %zu src %zu n %zu", dst, src, n);
        memcpy(x, a, sizeof(x));
        memcpy(y, a, sizeof(y));
        mote_memcpy(x + dst, a + 48 + src % 40, n % 8);
        memcpy(y + dst, a + 48 + src % 40, n % 8);
        CHECK(!memcmp(x, y, sizeof(x)), "memcpy");
        mote_memset(x + src, c, n);
        memset(y + src, c, n);
        CHECK(!memcmp(x, y, sizeof(x)), "memset");
        CHECK(sign(mote_memcmp(a + src, a + dst, n)) == sign(memcmp(a + src, a + dst, n)),
              "memcmp src %zu dst %zu n %zu", src, dst, n);
        CHECK(offset(mote_memchr(a + src, c, n), (char *)a) == offset(memchr(a + src, c, n), (char *)a),
              "memchr");
        if (check_failures != fails)
            budget--;
    }
}

static void test_strtok_r(void)
{
    int budget = 20;
    for (int i = 0; i < 20000 && budget > 0; i++) {
        char a[24], b[24], delim[4];
        random_string(a, sizeof(a));
        memset(a + strlen(a), 0, sizeof(a) - strlen(a));
        memcpy(b, a, sizeof(b));
        random_string(delim, sizeof(delim));
        char *save_m, *save_t;
        char *tm = mote_strtok_r(a, delim, &save_m), *tt = strtok_r(b, delim, &save_t);
        for (;;) {
            if (offset(tm, a) != offset(tt, b) || memcmp(a, b, sizeof(a))) {
                CHECK(0, "strtok_r \"%s\" delim \"%s\"", b, delim);
                budget--;
                break;
            }
            if (!tm)
                break;
            tm = mote_strtok_r(NULL, delim, &save_m);
            tt = strtok_r(NULL, delim, &save_t);
        }
    }
}

static void test_strerror(void)
{
    for (int e = 0; e < 134; e++) {
        const char *mine = mote_strerror(e);
        if (strcmp(mine, "Unknown error"))
            CHECK(!strcmp(mine, strerror(e)), "strerror(%d): mote \"%s\", glibc \"%s\"", e, mine,
                  strerror(e));
    }
    CHECK(!strcmp(mote_strerror(ERANGE), "Numerical result out of range"), "ERANGE");
    CHECK(!strcmp(mote_strerror(-1), "Unknown error") && !strcmp(mote_strerror(100000), "Unknown error"),
          "unknown codes");
}

int main(void)
{
    RUN("libc_string", test_search_and_compare);
    RUN("libc_string", test_copy_and_concatenate);
    RUN("libc_string", test_memory_functions);
    RUN("libc_string", test_strtok_r);
    RUN("libc_string", test_strerror);
    return check_tests_failed ? 1 : 0;
}
