/* SPDX-License-Identifier: MIT */
/*
 * hello: the smallest mote application. Greets, echoes its arguments and
 * returns 0, which powers the domain off.
 */
#include <mote.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from mote\n");
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
