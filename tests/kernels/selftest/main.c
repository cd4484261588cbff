/* SPDX-License-Identifier: MIT */
/*
 * selftest: the kernel the boot tests boot. argv[1] names the scenario; each
 * prints what the test in tests/boot/ asserts on.
 *
 *   exit N       return N from main (0 powers off, anything else crashes)
 *   reboot       shut down with reason reboot
 *   panic        panic("selftest panic")
 */
#include <kernel.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        printk("selftest: no scenario given\n");
        return 2;
    }
    const char *scenario = argv[1];

    if (!strcmp(scenario, "exit") && argc == 3)
        return (int)strtol(argv[2], NULL, 0);
    if (!strcmp(scenario, "reboot"))
        kernel_shutdown(SHUTDOWN_reboot);
    if (!strcmp(scenario, "panic"))
        panic("selftest panic");

    printk("selftest: unknown scenario %s\n", scenario);
    return 2;
}
