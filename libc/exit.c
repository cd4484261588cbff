/* SPDX-License-Identifier: MIT */
/*
 * How a C program ends (<stdlib.h>): exit runs the atexit functions, last
 * registered first, then ends the domain the way returning from main does
 * (0 powers off, anything else crashes with the status printed); when main
 * returns, kernel/boot.c runs them too (libc_run_atexit). abort crashes at
 * once. getenv: mote has no environment yet.
 */
#include <kernel.h>
#include <mote/kernel.h>
#include <mote/thread.h>
#include <stdlib.h>

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;
static struct mutex atexit_lock;

int atexit(void (*fn)(void))
{
    int rc = -1;

    mutex_lock(&atexit_lock);
    if (atexit_count < ATEXIT_MAX) {
        atexit_fns[atexit_count++] = fn;
        rc = 0;
    }
    mutex_unlock(&atexit_lock);
    return rc;
}

/* The lock is taken for good: a second exit (from an atexit function or
 * another thread) waits here instead of running the functions twice. */
void libc_run_atexit(void)
{
    mutex_lock(&atexit_lock);
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();
}

void exit(int status)
{
    libc_run_atexit();
    if (status == 0)
        kernel_shutdown(SHUTDOWN_poweroff);
    printk("mote: exit(%d)\n", status);
    kernel_shutdown(SHUTDOWN_crash);
}

void abort(void)
{
    panic("abort() called");
}

char *getenv(const char *name)
{
    (void)name;
    return NULL;
}
