/* SPDX-License-Identifier: MIT */
/*
 * clock: prints the wall clock (UTC) once a second, on the second, for N
 * seconds (default 5), then powers off. Usage: clock [N].
 *
 * The wall clock is Xen's (shared_info wc_sec/wc_nsec plus system time,
 * include/clock.h); each tick sleeps until the next whole second of system
 * time, so the lines do not drift however long printing takes.
 */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long seconds = argc > 1 ? strtol(argv[1], NULL, 0) : 5;
    uint64_t start = monotonic_ns();

    for (long i = 1; i <= seconds; i++) {
        sleep_until(start + (uint64_t)i * NSEC_PER_SEC);
        struct wallclock now = wallclock_now();
        char date[40];
        utc_format(date, sizeof(date), now.sec);
        printf("clock: %ld %s\n", i, date);
    }
    return 0;
}
