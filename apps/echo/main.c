/* SPDX-License-Identifier: MIT */
/*
 * echo: reads lines from the console and writes each one back, to prove
 * console input end to end (dom0: serial -> Xen -> VIRQ_CONSOLE ->
 * CONSOLEIO_read; domU: xenconsoled -> in[] ring).
 *
 * A line ends at "\r", "\n" or "\r\n" (a terminal sends "\r"; a pipe "\n").
 * "quit" or Ctrl-D (0x04) ends the program, which powers the domain off.
 */
#include <mote.h>
#include <stdio.h>
#include <string.h>

#define CTRL_D 0x04

static char line[4096];
static size_t used;

/* Lines longer than the buffer are written back in pieces, still whole. */
static void keep(char c)
{
    if (used == sizeof(line)) {
        console_write(line, used);
        used = 0;
    }
    line[used++] = c;
}

int main(int argc, char **argv)
{
    char chunk[256];
    char last = 0;

    (void)argc;
    (void)argv;
    printf("echo: ready (console %s); type lines, \"quit\" or Ctrl-D ends\n",
           console_backend_name());
    for (;;) {
        size_t n = console_read(chunk, sizeof(chunk));
        if (!n) {
            printf("echo: no console input\n");
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            char c = chunk[i];
            if (c == CTRL_D)
                return 0;
            if (c == '\n' && last == '\r') {
                last = c;
                continue;       /* the second half of "\r\n" */
            }
            last = c;
            if (c != '\r' && c != '\n') {
                keep(c);
                continue;
            }
            if (used == 4 && !memcmp(line, "quit", 4))
                return 0;
            keep('\n');
            console_write(line, used);
            used = 0;
        }
    }
}
