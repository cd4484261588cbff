/* SPDX-License-Identifier: MIT */
/*
 * printk (kernel/printk.c) on the host, with console_write captured: long
 * messages arrive whole, and each line gets a "[seconds.micros] " prefix
 * exactly when printk_timestamp_ns() is non-zero, also for lines printed by
 * several printk calls.
 */
#include <stdint.h>
#include "check.h"

int mote_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char captured[16384];
static size_t captured_len;
static unsigned writes;
static uint64_t fake_now;

/* The console and the clock printk.c links against. */
void console_write(const char *buf, size_t len)
{
    if (captured_len + len < sizeof(captured)) {
        memcpy(captured + captured_len, buf, len);
        captured_len += len;
    }
    writes++;
}

uint64_t printk_timestamp_ns(void)
{
    return fake_now;
}

static void reset(uint64_t now)
{
    captured_len = 0;
    writes = 0;
    fake_now = now;
    memset(captured, 0, sizeof(captured));
}

/* Runs first: printk starts at the beginning of a line. */
static void test_no_time_no_prefix(void)
{
    reset(0);
    mote_printk("plain %d\n", 1);
    mote_printk("two\nlines\n");
    CHECK(!strcmp(captured, "plain 1\ntwo\nlines\n"), "got \"%s\"", captured);
}

static void test_prefix_per_line(void)
{
    reset(1234567890123ULL);    /* 1234.567890123 s */
    mote_printk("first\nsecond\n");
    mote_printk("split ");
    fake_now = 5000000000ULL;
    mote_printk("line\n");
    CHECK(!strcmp(captured, "[ 1234.567890] first\n[ 1234.567890] second\n"
                            "[ 1234.567890] split line\n"), "got \"%s\"", captured);
}

static void test_long_message_whole(void)
{
    char big[3000];

    reset(0);
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    int n = mote_printk("<%s>\n", big);
    CHECK(n == 3002 && captured_len == 3002, "returned %d, wrote %zu", n, captured_len);
    CHECK(captured[0] == '<' && captured[3000] == '>' && captured[3001] == '\n', "framing");
    CHECK(writes > 1 && writes < 20, "%u console writes for 3 KiB", writes);
}

int main(void)
{
    RUN("printk", test_no_time_no_prefix);
    RUN("printk", test_prefix_per_line);
    RUN("printk", test_long_message_whole);
    return check_tests_failed != 0;
}
