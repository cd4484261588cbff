/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for libFuzzer where clang is not installed: feeds random inputs to
 * LLVMFuzzerTestOneInput for -max_total_time=N seconds (the one libFuzzer
 * option tests/run.sh passes). Built with GCC's ASan and UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    long seconds = 10;
    static uint8_t input[4096];
    unsigned long runs = 0;

    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "-max_total_time=", 16))
            seconds = strtol(argv[i] + 16, NULL, 10);
    srand((unsigned)time(NULL));
    time_t end = time(NULL) + seconds;
    while (time(NULL) < end) {
        size_t len = (size_t)rand() % sizeof(input);
        for (size_t i = 0; i < len; i++)
            input[i] = (uint8_t)rand();
        LLVMFuzzerTestOneInput(input, len);
        runs++;
    }
    printf("Done %lu runs in %ld second(s)\n", runs, seconds);
    return 0;
}
