/* SPDX-License-Identifier: MIT */
/*
 * stats: an ordinary C program on mote, using only <mote.h> and the C
 * library. It reads numbers from its arguments (strtol, with errno for the
 * ones it rejects), sorts them (qsort), prints the minimum, median, maximum
 * and mean (printf %.3f), times a 50 ms nanosleep with clock_gettime, and
 * ends with exit(0), which runs its atexit function. Usage: stats [N...]
 * (default: a built-in sample).
 *
 *     make run APP=apps/stats ARGS="3 1 4 1 5 9 2 6 x 99999999999999999999"
 */
#include <assert.h>
#include <errno.h>
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_VALUES 64

static int compare_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* A whole-word decimal number, or false with errno saying why. */
static bool parse(const char *word, long *value)
{
    char *end;

    errno = 0;
    *value = strtol(word, &end, 10);
    if (errno)
        return false;
    if (end == word || *end) {
        errno = EINVAL;
        return false;
    }
    return true;
}

static void goodbye(void)
{
    printf("stats: done\n");
}

static double elapsed_ms(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
    static char *sample[] = { "mote", "12", "-7", "40", "3", "3", "25" };
    long values[MAX_VALUES];
    int n = 0;

    atexit(goodbye);
    if (argc < 2) {
        argc = (int)(sizeof(sample) / sizeof(sample[0]));
        argv = sample;
    }
    for (int i = 1; i < argc && n < MAX_VALUES; i++) {
        if (!parse(argv[i], &values[n])) {
            printf("stats: skipping \"%s\": %s\n", argv[i], strerror(errno));
            continue;
        }
        n++;
    }
    if (n == 0) {
        fprintf(stderr, "stats: no numbers\n");
        exit(EXIT_FAILURE);
    }

    qsort(values, (size_t)n, sizeof(values[0]), compare_long);
    for (int i = 1; i < n; i++)
        assert(values[i - 1] <= values[i]);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (double)values[i];
    double median = n % 2 ? (double)values[n / 2]
                          : ((double)values[n / 2 - 1] + (double)values[n / 2]) / 2;
    printf("stats: n=%d min=%ld median=%.3f max=%ld mean=%.3f\n", n, values[0], median,
           values[n - 1], sum / n);

    struct timespec start, end, nap = { 0, 50 * 1000 * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &start);
    int rc = nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    assert(rc == 0);
    printf("stats: slept %.3f ms for 50 ms\n", elapsed_ms(&start, &end));

    exit(0);
}
