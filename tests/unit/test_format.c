/*
 * snprintf/vsnprintf (lib/vsnprintf.c) against the host C library's, over a
 * table of formats and values, and truncation at every buffer length.
 */
#include <limits.h>
#include <stdint.h>
#include "check.h"

/* Formats both ways into 512-byte buffers and compares text and length. */
#define COMPARE(fmt, ...)                                                   \
    do {                                                                    \
        char mine[512], theirs[512];                                        \
        int rm = mote_snprintf(mine, sizeof(mine), fmt, __VA_ARGS__);       \
        int rt = snprintf(theirs, sizeof(theirs), fmt, __VA_ARGS__);        \
        CHECK(rm == rt && !strcmp(mine, theirs),                            \
              "format \"%s\": mote \"%s\" (%d), libc \"%s\" (%d)",          \
              fmt, mine, rm, theirs, rt);                                   \
    } while (0)

static void test_signed(void)
{
    static const long long values[] = {
        0, 1, -1, 7, -7, 42, 100, -100, 12345, INT_MAX, INT_MIN,
        LONG_MAX, LONG_MIN, LLONG_MIN, LLONG_MAX,
    };
    static const char *const formats[] = {
        "%lld", "%lli", "%5lld", "%-5lld|", "%05lld", "%+lld", "% lld", "%.3lld",
        "%.0lld", "%8.3lld", "%-8.3lld|", "%+08lld", "%- 6lld|", "%020lld", "%.20lld",
        "%+.0lld", "% 05lld", "%1lld", "%30lld",
    };
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
            COMPARE(formats[f], values[v]);

    COMPARE("%d %i", INT_MIN, INT_MAX);
    COMPARE("%ld", LONG_MIN);
    COMPARE("%hd %hhd", -32768, -128);
    COMPARE("%hd %hhd", 70000, 300);         /* converted to short/char */
    COMPARE("%zd %td %jd", (ssize_t)-5, (ptrdiff_t)-6, (intmax_t)INT64_MIN);
    COMPARE("%*d|%-*d|", 6, 42, 6, 42);
    COMPARE("%*d|", -6, 42);                 /* negative width: left-justify */
    COMPARE("%.*d|", -1, 42);                /* negative precision: none */
    COMPARE("%.*d|", 0, 0);
}

static void test_unsigned(void)
{
    static const unsigned long long values[] = {
        0, 1, 7, 8, 15, 16, 255, 256, 0xdeadbeef, UINT_MAX, ULONG_MAX, 0x8000000000000000ull,
    };
    static const char *const formats[] = {
        "%llu", "%llx", "%llX", "%llo", "%#llx", "%#llX", "%#llo", "%08llx", "%#08llx",
        "%-#10llx|", "%.5llx", "%#.5llx", "%.0llx", "%#.0llx", "%.0llo", "%#.0llo",
        "%#5.3llo", "%22llo", "%#22llo", "%-20llu|", "%020llu", "%#020llX",
    };
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
            COMPARE(formats[f], values[v]);

    COMPARE("%u %x %X %o", 4000000000u, 0xabcdefu, 0xabcdefu, 0777u);
    COMPARE("%hu %hhu %hx %hhx", 70000, 300, 0x12345, 0x1ff);
    COMPARE("%zu %zx %jx", (size_t)-1, (size_t)4096, (uintmax_t)UINT64_MAX);
    COMPARE("%lu %lx", ULONG_MAX, ULONG_MAX);
}

static void test_strings_and_chars(void)
{
    const char *null = NULL;

    COMPARE("%s", "hello");
    COMPARE("%10s|", "hello");
    COMPARE("%-10s|", "hello");
    COMPARE("%.3s|", "hello");
    COMPARE("%10.3s|", "hello");
    COMPARE("%-10.3s|", "hello");
    COMPARE("%.0s|", "hello");
    COMPARE("%.10s|", "hi");
    COMPARE("%s|", "");
    COMPARE("%5s|", "");
    COMPARE("%s", null);
    COMPARE("%10s|", null);
    COMPARE("%-10s|", null);
    COMPARE("%.6s|", null);
    COMPARE("%*.*s|", 8, 2, "abcdef");
    COMPARE("%c%c%c", 'a', 'b', 'c');
    COMPARE("%5c|%-5c|", 'x', 'y');
    COMPARE("%c", 0xe9);
    COMPARE("100%% %s", "done");
    COMPARE("%s=%d, %s=%#x", "a", 1, "b", 255u);
}

static void test_pointers(void)
{
    int x;
    void *null = NULL;

    COMPARE("%p", (void *)&x);
    COMPARE("%p", (void *)0x1000);
    COMPARE("%p", (void *)UINTPTR_MAX);
    COMPARE("%20p|", (void *)0xdeadbeef);
    COMPARE("%-20p|", (void *)0xdeadbeef);
    COMPARE("%p", null);
    COMPARE("%10p|", null);
}

/* The text, and the full length, at every buffer size from 0 to past the end. */
static void test_truncation(void)
{
    static const char *const formats[] = { "%s-%d-%#x", "%-12s|%5d", "x%py" };
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
        char full[128];
        int len = snprintf(full, sizeof(full), formats[f], "truncate", -12345, 0xbeefu);
        for (int size = 0; size <= len + 2; size++) {
            char mine[128], theirs[128];
            memset(mine, '#', sizeof(mine));
            memset(theirs, '#', sizeof(theirs));
            int rm = mote_snprintf(mine, (size_t)size, formats[f], "truncate", -12345, 0xbeefu);
            int rt = snprintf(theirs, (size_t)size, formats[f], "truncate", -12345, 0xbeefu);
            CHECK(rm == rt, "size %d: returned %d, libc %d", size, rm, rt);
            CHECK(!memcmp(mine, theirs, sizeof(mine)),
                  "size %d of \"%s\": buffers differ (mote \"%.*s\")", size, formats[f],
                  size, mine);
        }
    }
    /* size 0 may be given a NULL buffer and must not write. */
    CHECK(mote_snprintf(NULL, 0, "%d", 12345) == 5, "NULL buffer with size 0");
}

static void test_long_output(void)
{
    char mine[2048], theirs[2048];
    int rm = mote_snprintf(mine, sizeof(mine), "%1000d|%-1000s|", 7, "x");
    int rt = snprintf(theirs, sizeof(theirs), "%1000d|%-1000s|", 7, "x");
    CHECK(rm == rt && !strcmp(mine, theirs), "wide fields: %d vs %d", rm, rt);
}

int main(void)
{
    RUN("format", test_signed);
    RUN("format", test_unsigned);
    RUN("format", test_strings_and_chars);
    RUN("format", test_pointers);
    RUN("format", test_truncation);
    RUN("format", test_long_output);
    return check_tests_failed != 0;
}
