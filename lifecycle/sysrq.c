/* SPDX-License-Identifier: MIT */
/*
 * SysRq: keys for the kernel, from the toolstack. `xl sysrq DOMAIN KEY`
 * writes the key to our control/sysrq node (libxl_send_sysrq;
 * docs/misc/xenstore-paths.pandoc, ~/control/sysrq); drivers/xenbus/control.c
 * watches it, clears it and passes the key here. As in Linux's magic SysRq
 * (Documentation/admin-guide/sysrq.rst), a few keys print a report of the
 * kernel's state and a few end the domain; any other key prints the help.
 *
 * The reports read state that event handlers change, so each masks delivery
 * while it reads; they print from thread context (the watch thread).
 */
#include <balloon.h>
#include <events.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <sysrq.h>
#include <thread.h>
#include <timer.h>
#include <xen_shared.h>

static void memory_report(void)
{
    printk("sysrq: memory: %lu pages total, %lu free after boot, image %lu pages, "
           "%lu page-table pages\n",
           mm_stats.total_pages, mm_stats.free_after_boot, mm_stats.image_pages,
           mm_stats.pt_pages);
    if (balloon_stats.current_pages)
        printk("  balloon: %lu pages held, target %lu, %lu given back to Xen\n",
               balloon_stats.current_pages, balloon_stats.target_pages,
               balloon_stats.given_back);
    page_alloc_dump();
    malloc_dump();
}

static void reboot(void) { kernel_shutdown(SHUTDOWN_reboot); }
static void poweroff(void) { kernel_shutdown(SHUTDOWN_poweroff); }
static void crash(void) { kernel_shutdown(SHUTDOWN_crash); }

static const struct {
    char key;
    const char *what;
    void (*fn)(void);
} sysrq_keys[] = {
    { 't', "threads", thread_dump },
    { 'm', "memory", memory_report },
    { 'e', "event channels", events_dump },
    { 'q', "timers", timer_dump },
    { 'b', "reboot", reboot },
    { 'o', "poweroff", poweroff },
    { 'c', "crash", crash },
};

static void help(void)
{
    printk("sysrq: keys:");
    for (unsigned i = 0; i < ARRAY_SIZE(sysrq_keys); i++)
        printk(" %c %s%s", sysrq_keys[i].key, sysrq_keys[i].what,
               i + 1 < ARRAY_SIZE(sysrq_keys) ? "," : "\n");
}

void sysrq_handle(char key)
{
    for (unsigned i = 0; i < ARRAY_SIZE(sysrq_keys); i++) {
        if (sysrq_keys[i].key == key) {
            printk("sysrq: %c: %s\n", key, sysrq_keys[i].what);
            sysrq_keys[i].fn();
            return;
        }
    }
    if (key > ' ' && key < 0x7f)
        printk("sysrq: unknown key '%c'\n", key);
    else
        printk("sysrq: unknown key %#x\n", (unsigned char)key);
    help();
}
