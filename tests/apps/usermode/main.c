/* SPDX-License-Identifier: MIT */
/*
 * Processes in user mode (tests/boot/usermode.sh): runs a static Linux
 * program, then a hostile one once per attack, and says after each how it
 * ended; the kernel must outlive them all.
 */
#include <mote.h>
#include <stdio.h>
#include <string.h>

/* progs.S */
extern const char user_hello[], user_hello_end[], user_hostile[], user_hostile_end[];

static char *envp[] = { "MOTE_TEST=usermode", NULL };

static int run_hostile(char *what)
{
    char *argv[] = { "/bin/hostile", what, NULL };

    return mote_process_run(user_hostile, (size_t)(user_hostile_end - user_hostile), argv, envp);
}

int main(void)
{
    static char *const attacks[] = {
        "read-kernel", "write-kernel", "write-text", "exec-data", "exec-kernel",
        "divide", "null", "ud2", "int80",
    };
    char *hello_argv[] = { "/bin/hello", "one", "two", NULL };
    int status = mote_process_run(user_hello, (size_t)(user_hello_end - user_hello), hello_argv,
                                  envp);

    printf("usermode: hello ended with status %d\n", status);
    printf("usermode: hostile calls ended with status %d\n", run_hostile("calls"));
    for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
        printf("usermode: hostile %s ended with status %d\n", attacks[i], run_hostile(attacks[i]));
    printf("usermode: not an executable: %d\n",
           mote_process_run("#!/bin/sh\n", 10, hello_argv, envp));
    printf("usermode: kernel still running\n");
    return 0;
}
