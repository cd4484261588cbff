/*
 * A bounded random-input driver for fuzz targets, used when libFuzzer (clang)
 * is not available: calls LLVMFuzzerTestOneInput with pseudo-random inputs
 * (fixed seed, so a failure reproduces) for a number of seconds, under the
 * sanitizers the target is built with.
 *
 *   random_driver SECONDS    prints "inputs: N" when done; exits 0
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)   /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dull;
}

int main(int argc, char **argv)
{
    static uint8_t buf[8192];
    double seconds = argc > 1 ? atof(argv[1]) : 5;
    time_t end = time(NULL) + (time_t)seconds;
    unsigned long inputs = 0;

    while (time(NULL) < end) {
        for (int batch = 0; batch < 1000; batch++, inputs++) {
            size_t size = next_random() % sizeof(buf);
            /* Mostly small command bytes and lengths, sometimes anything. */
            for (size_t k = 0; k < size; k++) {
                uint64_t r = next_random();
                buf[k] = (r & 3) ? (uint8_t)(r >> 8) % 24 : (uint8_t)(r >> 8);
            }
            LLVMFuzzerTestOneInput(buf, size);
        }
    }
    printf("inputs: %lu\n", inputs);
    return 0;
}
