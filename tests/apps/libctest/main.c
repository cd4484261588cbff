/* SPDX-License-Identifier: MIT */
/*
 * libctest: the C library's parts that need the kernel, on real Xen (the
 * pure parts are compared with glibc on the host, tests/unit/). Usage:
 *
 *   libctest output   printf/puts/putchar/fputs/fprintf/sprintf/perror on the console
 *   libctest input    reads lines with fgets and characters with getchar until EOF
 *   libctest errno    two threads set errno, sleep, and find their own value
 *   libctest assert   a failing assert crashes the domain with a report
 *   libctest abort    abort() crashes the domain
 *   libctest time     time() and CLOCK_REALTIME agree, nanosleep rejects bad input
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int test_output(void)
{
    char buf[64];

    puts("libctest: puts");
    putchar('x');
    putchar('\n');
    fputs("libctest: fputs stdout\n", stdout);
    fputs("libctest: fputs stderr\n", stderr);
    fprintf(stderr, "libctest: fprintf %d %s %.2f %e\n", 42, "str", 2.5, 1e-10);
    int n = sprintf(buf, "%" PRIu64 " %" PRIx32 " %g", UINT64_MAX, 0xabcdu, 0.1);
    printf("libctest: sprintf \"%s\" %d\n", buf, n);
    errno = ENOENT;
    perror("libctest: perror");
    printf("libctest: strtod %.17g %g\n", strtod("0.1", NULL), atof("-1.5e3"));
    printk("libctest: printk %d %.3f %s\n", 7, 2.0 / 3, "ok");
    int rc = fputs("no", stdin);
    printf("libctest: fputs to stdin %d errno %s\n", rc, strerror(errno));
    return 0;
}

static int test_input(void)
{
    char line[16];
    int lines = 0;

    printf("libctest: reading\n");
    while (fgets(line, sizeof(line), stdin)) {
        size_t len = strlen(line);
        printf("libctest: line %d \"%.*s\" %s\n", ++lines, (int)(len && line[len - 1] == '\n' ? len - 1 : len),
               line, len && line[len - 1] == '\n' ? "newline" : "no newline");
        if (!strcmp(line, "chars\n")) {
            int a = getchar(), b = getchar();
            printf("libctest: getchar %d %d\n", a, b);
        }
    }
    printf("libctest: eof after %d lines, feof %d\n", lines, feof(stdin));
    return 0;
}

struct errno_thread {
    int value;
    int seen;
};

static int errno_worker(void *arg)
{
    struct errno_thread *t = arg;

    errno = t->value;
    for (int i = 0; i < 10; i++) {
        sleep_ns(NSEC_PER_MSEC);
        if (errno != t->value)
            break;
    }
    t->seen = errno;
    return 0;
}

static int test_errno(void)
{
    struct errno_thread a = { EINVAL, 0 }, b = { ERANGE, 0 };
    struct thread *ta = thread_create("a", errno_worker, &a);
    struct thread *tb = thread_create("b", errno_worker, &b);

    errno = EAGAIN;
    thread_join(ta);
    thread_join(tb);
    printf("libctest: errno main %s, a %s, b %s\n", strerror(errno), strerror(a.seen),
           strerror(b.seen));
    return errno == EAGAIN && a.seen == EINVAL && b.seen == ERANGE ? 0 : 1;
}

static int test_time(void)
{
    struct timespec rt, bad = { 0, 1000000000L };
    time_t t = time(NULL);

    clock_gettime(CLOCK_REALTIME, &rt);
    struct tm tm;
    char date[64];
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
    printf("libctest: time %s, realtime - time = %lld s\n", date, (long long)(rt.tv_sec - t));
    errno = 0;
    int rc = nanosleep(&bad, NULL);
    printf("libctest: nanosleep(1e9 ns) = %d, %s\n", rc, strerror(errno));
    errno = 0;
    rc = clock_gettime(99, &rt);
    printf("libctest: clock_gettime(99) = %d, %s\n", rc, strerror(errno));
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (!strcmp(mode, "output"))
        return test_output();
    if (!strcmp(mode, "input"))
        return test_input();
    if (!strcmp(mode, "errno"))
        return test_errno();
    if (!strcmp(mode, "time"))
        return test_time();
    if (!strcmp(mode, "assert")) {
        int two = argc;
        assert(two + 1 == 2);
        return 0;
    }
    if (!strcmp(mode, "abort"))
        abort();
    printf("usage: libctest output|input|errno|assert|abort|time\n");
    return 2;
}
