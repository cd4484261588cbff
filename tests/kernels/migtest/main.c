/* SPDX-License-Identifier: MIT */
/*
 * migtest: the guest the live-migration boot tests (tests/boot/migrate.sh)
 * move while it works. argv[1] names the scenario:
 *
 *   busy [MIB]   a thread rewrites a MIB-MiB buffer (default 8) pass after
 *                pass, each pass first checking that every word still holds
 *                what the previous pass wrote: pages dirtied again while
 *                log-dirty mode copies them must be sent again, and a page
 *                lost or sent stale in the last round shows up as a
 *                mismatch. Runs until the domain is shut down.
 *
 * Every second: "migtest: busy: N passes, M mismatches, longest stall S ms",
 * the stall being the longest the writer went without running, by the
 * guest's own monotonic clock (a migration's pause shows up there; the
 * kernel's "mote: suspend N: paused for ..." line measures the pause from
 * the suspend hypercall to the resume).
 */
#include <clock.h>
#include <printk.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <timer.h>

#define WORDS_PER_PAGE (4096 / sizeof(uint64_t))
/* Mismatches printed one by one; past that only counted. */
#define MISMATCHES_SHOWN 8

static uint64_t *buffer;
static size_t buffer_words;
static volatile unsigned long passes, mismatches;
static volatile uint64_t longest_stall_ns;

/* The word pass `pass` leaves at index i: differs between neighbouring
 * words and between one pass and the next. */
static uint64_t pattern(size_t i, unsigned long pass)
{
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL ^ pass * 0xd1b54a32d192ed03ULL;
    return x ^ (x >> 29);
}

static void check_word(size_t i, unsigned long pass)
{
    uint64_t want = pattern(i, pass);

    if (buffer[i] == want)
        return;
    if (mismatches < MISMATCHES_SHOWN)
        printk("migtest: busy: pass %lu: word %zu (page %zu) is %#llx, want %#llx\n", pass + 1,
               i, i / WORDS_PER_PAGE, (unsigned long long)buffer[i], (unsigned long long)want);
    mismatches++;
}

/* One page: check what the previous pass wrote, write this pass's. */
static void rewrite_page(size_t first, unsigned long pass)
{
    for (size_t i = first; i < first + WORDS_PER_PAGE; i++) {
        if (pass > 0)
            check_word(i, pass - 1);
        buffer[i] = pattern(i, pass);
    }
}

static void note_stall(uint64_t *last)
{
    uint64_t now = monotonic_ns();

    if (now - *last > longest_stall_ns)
        longest_stall_ns = now - *last;
    *last = now;
}

/* Yields after every page, so the control thread (suspend) and the
 * reporter run on the one vCPU. */
static int writer(void *arg)
{
    (void)arg;
    uint64_t last = monotonic_ns();

    for (unsigned long pass = 0;; pass++) {
        for (size_t first = 0; first < buffer_words; first += WORDS_PER_PAGE) {
            rewrite_page(first, pass);
            thread_yield();
            note_stall(&last);
        }
        passes = pass + 1;
    }
    return 0;
}

static int busy(unsigned long mib)
{
    buffer_words = (mib << 20) / sizeof(uint64_t);
    buffer = malloc(buffer_words * sizeof(uint64_t));
    if (!buffer) {
        printk("migtest: busy: no memory for %lu MiB\n", mib);
        return 1;
    }
    thread_create("writer", writer, NULL);
    printk("migtest: busy: rewriting %lu MiB (%zu pages)\n", mib, buffer_words / WORDS_PER_PAGE);
    for (;;) {
        sleep_ns(1000000000ULL);
        printk("migtest: busy: %lu passes, %lu mismatches, longest stall %llu ms\n", passes,
               mismatches, (unsigned long long)(longest_stall_ns / 1000000));
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "busy";

    if (!strcmp(what, "busy"))
        return busy(argc > 2 ? strtoul(argv[2], NULL, 0) : 8);
    printk("migtest: unknown scenario %s\n", what);
    return 2;
}
