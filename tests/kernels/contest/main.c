/*
 * contest: the console boot tests' kernel. argv[1] names the scenario.
 *
 *   flood LINES   LINES lines of 64 bytes with a known pattern through printk
 *                 (16384 lines = 1 MiB): line i is "P%06u " and 56 letters,
 *                 letter j being 'a' + (7i + j) % 26. The test recomputes it.
 *   handler N     registers an input handler and waits until it has seen N
 *                 bytes, then prints how many it got and their sum.
 */
#include <console.h>
#include <events.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <xen_shared.h>

static void flood(unsigned long lines)
{
    char text[57];

    for (unsigned long i = 0; i < lines; i++) {
        for (unsigned j = 0; j < 56; j++)
            text[j] = (char)('a' + (7 * i + j) % 26);
        text[56] = '\0';
        printk("P%06lu %s\n", i, text);
    }
    printk("flood: done lines=%lu bytes=%lu\n", lines, lines * 64);
}

struct input_count {
    unsigned long bytes;
    unsigned long sum;
};

static void count_input(const char *buf, size_t len, void *ctx)
{
    struct input_count *c = ctx;

    for (size_t i = 0; i < len; i++)
        c->sum += (unsigned char)buf[i];
    c->bytes += len;
}

static void handler(unsigned long want)
{
    static struct input_count count;

    console_set_input_handler(count_input, &count);
    printk("handler: ready for %lu bytes\n", want);
    wait_until(count.bytes >= want);
    console_set_input_handler(NULL, NULL);
    printk("handler: got bytes=%lu sum=%lu\n", count.bytes, count.sum);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "flood")) {
        flood(strtoul(argv[2], NULL, 0));
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "handler")) {
        handler(strtoul(argv[2], NULL, 0));
        return 0;
    }
    printk("contest: unknown scenario\n");
    return 2;
}
