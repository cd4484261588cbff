/* SPDX-License-Identifier: MIT */
/*
 * SysRq: keys for the kernel, from the toolstack. `xl sysrq DOMAIN KEY`
 * writes the key to our control/sysrq node (libxl_send_sysrq;
 * docs/misc/xenstore-paths.pandoc, ~/control/sysrq). As manage.c's
 * sysrq_handler does, we read it and write "" back in one transaction, then
 * act on it. As in Linux's magic SysRq
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
#include <xenbus.h>
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

/* One transaction: read the key and clear the node, if a key is there. */
static int take_sysrq_key(xenbus_transaction_t t, void *ctx)
{
    char *key = ctx;
    char value[8];

    *key = 0;
    int rc = xenbus_read(t, "control/sysrq", value, sizeof(value));
    if (rc <= 0)
        return 0;
    *key = value[0];
    return xenbus_write(t, "control/sysrq", "");
}

static void sysrq_watch_fired(const char *path, void *ctx)
{
    char key;

    (void)path;
    (void)ctx;
    int rc = xenbus_transaction(take_sysrq_key, &key);
    if (rc < 0) {
        printk("sysrq: reading control/sysrq failed: %d\n", rc);
        return;
    }
    if (key)
        sysrq_handle(key);
}

int sysrq_init(void)
{
    int rc = xenbus_watch("control/sysrq", sysrq_watch_fired, NULL);
    if (rc < 0)
        printk("sysrq: cannot watch control/sysrq: %d\n", rc);
    return rc < 0 ? rc : 0;
}
