/* SPDX-License-Identifier: MIT */
/*
 * muslstack: the stack overflow check in a program on musl, whose %fs is
 * musl's thread pointer (arch/x86_64/include/arch/stack_check.h, "A musl
 * image"). Usage: muslstack MODE.
 *
 *   main      main recurses without bound: the domain must end with
 *             "mote: crash: stack overflow in thread main"
 *   pthread   a pthread recurses without bound: "... in thread pthread"
 *   deep      main takes 200 KiB of its 256 KiB stack, and a pthread 150
 *             KiB of a 192 KiB one (pthread_attr_setstacksize), and both
 *             return: no overflow is reported short of the limit
 *   exit      threads end with pthread_exit(PTHREAD_CANCELED) and with a
 *             pointer, running a TSD destructor that calls a variadic
 *             function (musl's `result` is over the check's word then), and
 *             join sees each value
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../recurse.h"

static void *recurse_thread(void *arg)
{
    recurse(0, (int)(long)arg);
    return arg;
}

/* Runs recurse_thread(levels) on a pthread with `stack` bytes (0: musl's
 * default) and joins it; 0 when it returned its argument. */
static int run_pthread(int levels, size_t stack)
{
    pthread_attr_t attr;
    pthread_t t;
    void *result = NULL;

    pthread_attr_init(&attr);
    if (stack)
        pthread_attr_setstacksize(&attr, stack);
    if (pthread_create(&t, &attr, recurse_thread, (void *)(long)levels)) {
        printf("muslstack: pthread_create failed\n");
        return 1;
    }
    pthread_join(t, &result);
    return result != (void *)(long)levels;
}

static __attribute__((noinline)) int sum(int n, ...)
{
    va_list ap;
    int total = 0;

    va_start(ap, n);
    for (int i = 0; i < n; i++)
        total += va_arg(ap, int);
    va_end(ap);
    return total;
}

static pthread_key_t key;
static volatile int destructor_sum;

static void destructor(void *value)
{
    char text[32];

    destructor_sum = sum(3, 1, 2, (int)(long)value);
    snprintf(text, sizeof(text), "%d", destructor_sum);
}

static void *exiting_thread(void *arg)
{
    pthread_setspecific(key, (void *)4l);
    pthread_exit(arg);
}

/* pthread_exit(value) on a thread; 0 when join sees value and the
 * destructor ran to its end. */
static int exit_with(void *value)
{
    pthread_t t;
    void *result = NULL;

    destructor_sum = 0;
    if (pthread_create(&t, NULL, exiting_thread, value))
        return 1;
    pthread_join(t, &result);
    return result != value || destructor_sum != 7;
}

static int exits(void)
{
    static int here;

    pthread_key_create(&key, destructor);
    return exit_with(PTHREAD_CANCELED) + exit_with(&here) + exit_with(NULL);
}

int main(int argc, char **argv)
{
    volatile char frame[FRAME_BYTES];
    const char *mode = argc > 1 ? argv[1] : "";
    int failed = 0;

    frame[0] = 0;
    if (!strcmp(mode, "main"))
        return main(argc, argv) + frame[0];
    printf("muslstack: %s\n", mode);
    if (!strcmp(mode, "pthread")) {
        run_pthread(-1, 0);
    } else if (!strcmp(mode, "deep")) {
        frame[1] = (char)recurse(0, 200);
        failed = run_pthread(150, 192 * 1024);
    } else if (!strcmp(mode, "exit")) {
        failed = exits();
    } else {
        printf("muslstack: usage: muslstack main | pthread | deep | exit\n");
        return 1;
    }
    printf("muslstack: %s %s\n", mode, failed ? "FAILED" : "ok");
    return failed;
}
