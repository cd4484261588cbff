/* SPDX-License-Identifier: MIT */
/*
 * snprintf/vsnprintf (lib/vsnprintf.c) against the host C library's, over a
 * table of formats and values, each also truncated at every buffer length.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include "check.h"

/*
 * Formats with both libraries at every buffer size from 0 to one past the
 * full length, into buffers pre-filled with '#', and compares the return
 * value and the whole buffer: the text, the terminator, and that nothing past
 * `size` was written.
 */
static void compare_every_size(const char *fmt, ...)
{
    char full[600];
    va_list ap;

    va_start(ap, fmt);
    int len = vsnprintf(full, sizeof(full), fmt, ap);
    va_end(ap);
    if (len < 0 || len >= (int)sizeof(full) - 1)
        return;
    for (int size = 0; size <= len + 1; size++) {
        char mine[sizeof(full)], theirs[sizeof(full)];
        memset(mine, '#', sizeof(mine));
        memset(theirs, '#', sizeof(theirs));
        va_start(ap, fmt);
        int rm = mote_vsnprintf(mine, (size_t)size, fmt, ap);
        va_end(ap);
        va_start(ap, fmt);
        int rt = vsnprintf(theirs, (size_t)size, fmt, ap);
        va_end(ap);
        if (rm != rt || memcmp(mine, theirs, sizeof(mine))) {
            CHECK(0, "format \"%s\" size %d: mote \"%.*s\" (%d), libc \"%.*s\" (%d)", fmt,
                  size, size, mine, rm, size, theirs, rt);
            return;
        }
    }
}

/* Formats both ways into 512-byte buffers and compares text and length, then
 * every truncation of it. */
#define COMPARE(fmt, ...)                                                   \
    do {                                                                    \
        char mine[512], theirs[512];                                        \
        int rm = mote_snprintf(mine, sizeof(mine), fmt, __VA_ARGS__);       \
        int rt = snprintf(theirs, sizeof(theirs), fmt, __VA_ARGS__);        \
        CHECK(rm == rt && !strcmp(mine, theirs),                            \
              "format \"%s\": mote \"%s\" (%d), libc \"%s\" (%d)",          \
              fmt, mine, rm, theirs, rt);                                   \
        compare_every_size(fmt, __VA_ARGS__);                               \
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

static void test_int64_limits(void)
{
    COMPARE("%" PRId64 " %" PRIi64, INT64_MIN, INT64_MAX);
    COMPARE("%" PRIu64 " %" PRIx64 " %" PRIX64 " %" PRIo64, UINT64_MAX, UINT64_MAX,
            (uint64_t)INT64_MIN, UINT64_MAX);
    COMPARE("%30" PRId64 "|%-30" PRId64 "|", INT64_MIN, INT64_MIN);
    COMPARE("%030" PRId64 "|%+" PRId64 "|% " PRId64, INT64_MIN, INT64_MAX, INT64_MAX);
    COMPARE("%.25" PRId64 "|%#.25" PRIx64 "|%#" PRIo64, INT64_MIN, UINT64_MAX, UINT64_MAX);
    COMPARE("%lld %llu", (long long)INT64_MIN, (unsigned long long)INT64_MIN);
    COMPARE("%zd %zu", (ssize_t)INT64_MIN, (size_t)INT64_MIN);
    COMPARE("%jd %ju", (intmax_t)INT64_MIN, (uintmax_t)INT64_MAX + 1);
    COMPARE("%hhd %hhu %hd %hu", INT_MIN, INT_MIN, INT_MIN, INT_MIN);
}

/* Widths and precisions at their corners: zero, one, conflicting flags,
 * both from arguments, precision with the '0' flag, zero values. */
static void test_width_precision_edges(void)
{
    static const int values[] = { 0, 1, -1, 9, -10, 123456, INT_MIN, INT_MAX };
    static const char *const formats[] = {
        "%0d", "%1d", "%-1d|", "%.1d", "%0.0d|", "%-0d|", "%0-5d|", "%-05d|", "%05.3d",
        "%-5.0d|", "%+5.0d|", "% 5.0d|", "%+ d", "% +d", "%+-8.4d|", "%08.0d",
        "%.11d", "%12.11d", "%-12.11d|", "%#5.0x|", "%#o", "%#.0o|", "%#x", "%#08x",
        "%#-8x|", "%08X", "%.0x|", "%5.0u|", "%-#10.3o|", "%+u", "% x",
    };
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
            COMPARE(formats[f], values[v]);

    COMPARE("%*.*d|", 0, 0, 0);
    COMPARE("%*.*d|", 10, 5, -42);
    COMPARE("%*.*d|", -10, 5, -42);
    COMPARE("%*.*d|", 10, -5, -42);
    COMPARE("%0*d|", 8, -42);
    COMPARE("%-*s|%*s|", 0, "a", 1, "bc");
    COMPARE("%*c|%-*c|", 3, 'q', -3, 'r');
    COMPARE("%.*s|", 0, "hidden");
    COMPARE("%.*s|", 3, "abcdef");
    COMPARE("%.*s|", -3, "abcdef");
    COMPARE("%500d|", 1);
    COMPARE("%-500s|", "left");
    COMPARE("%.500d|", -1);
}

static void test_null_string(void)
{
    const char *null = NULL;

    COMPARE("%s|", null);
    COMPARE("%.0s|", null);
    COMPARE("%.1s|", null);
    COMPARE("%.5s|", null);
    COMPARE("%.6s|", null);
    COMPARE("%.7s|", null);
    COMPARE("%3s|", null);
    COMPARE("%8s|", null);
    COMPARE("%-8s|", null);
    COMPARE("%8.2s|", null);
    COMPARE("%-8.6s|", null);
    COMPARE("%*.*s|", 9, 6, null);
    COMPARE("[%s] [%s]", null, "x");
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
    RUN("format", test_int64_limits);
    RUN("format", test_width_precision_edges);
    RUN("format", test_null_string);
    RUN("format", test_unsigned);
    RUN("format", test_strings_and_chars);
    RUN("format", test_pointers);
    RUN("format", test_truncation);
    RUN("format", test_long_output);
    return check_tests_failed != 0;
}
