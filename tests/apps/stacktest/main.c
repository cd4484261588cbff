/* SPDX-License-Identifier: MIT */
/*
 * stacktest: stack sizes an application sets, and stack overflows, through
 * the public API only (<mote/thread.h>). Usage: stacktest MODE [KIB].
 *
 *   deep KIB     main recurses through about KIB KiB of frames and returns:
 *                more than the default 64 KiB fits, as this app gives main
 *                192 KiB (MOTE_MAIN_STACK_SIZE below)
 *   thread KIB   the same in a thread made with thread_create_sized for
 *                KIB + 16 KiB of stack
 *   main         main itself recurses without bound: the domain must end
 *                with "mote: crash: stack overflow in thread main"
 *   runaway      a thread named "runaway" recurses without bound: "...
 *                in thread runaway"
 */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MOTE_MAIN_STACK_SIZE(192 * 1024);

#define FRAME_BYTES 1000

/* About FRAME_BYTES of stack per level, down to `levels` (never, if < 0).
 * The volatile array keeps the frame; adding after the call keeps it from
 * being a tail call. */
static __attribute__((noinline)) int recurse(int depth, int levels)
{
    volatile char frame[FRAME_BYTES];

    frame[0] = (char)depth;
    frame[FRAME_BYTES - 1] = (char)depth;
    if (depth == levels)
        return frame[0];
    return recurse(depth + 1, levels) + frame[FRAME_BYTES - 1];
}

static int recurse_thread(void *arg)
{
    return recurse(0, (int)(long)arg);
}

static int run_thread(const char *name, int levels, size_t stack)
{
    struct thread *t = thread_create_sized(name, recurse_thread, (void *)(long)levels, stack);

    if (!t) {
        printf("stacktest: no thread %s\n", name);
        return 1;
    }
    thread_join(t);
    return 0;
}

int main(int argc, char **argv)
{
    volatile char frame[FRAME_BYTES];
    const char *mode = argc > 1 ? argv[1] : "";
    int kib = argc > 2 ? atoi(argv[2]) : 0;

    frame[0] = 0;
    if (!strcmp(mode, "main"))
        return main(argc, argv) + frame[0];
    printf("stacktest: %s %d\n", mode, kib);
    if (!strcmp(mode, "deep")) {
        recurse(0, kib);
    } else if (!strcmp(mode, "thread")) {
        if (run_thread("deep", kib, (size_t)(kib + 16) * 1024))
            return 1;
    } else if (!strcmp(mode, "runaway")) {
        run_thread("runaway", -1, 0);
    } else {
        printf("stacktest: usage: stacktest deep|thread KIB | main | runaway\n");
        return 1;
    }
    printf("stacktest: %s %d KiB done\n", mode, kib);
    return 0;
}
