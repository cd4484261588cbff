/* SPDX-License-Identifier: MIT */
/*
 * Toolstack control of a domU through xenstore (lifecycle/control.h).
 *
 * `xl shutdown` and `xl reboot` write "poweroff" or "reboot" to our
 * control/shutdown node (docs/misc/xenstore-paths.pandoc, ~/control/shutdown).
 * As Linux does (drivers/xen/manage.c, shutdown_handler), we read the request
 * and write "" back in one transaction, acknowledging only requests we act
 * on, then shut down with the matching SCHEDOP_shutdown reason (sched.h).
 * Advertising control/feature-poweroff and feature-reboot tells the toolstack
 * we honour these requests. "suspend" (xl save, migrate) is acknowledged the
 * same way and handed to kernel_suspend (lifecycle/suspend.c), advertised by
 * control/feature-suspend.
 *
 * All of it takes xenstore round trips, so it runs in the lifecycle thread
 * (lifecycle/lifecycle.c) and main() does not wait for it. A request
 * written before our watch exists is
 * not lost: xenstore fires every new watch once at once (xenstore.txt,
 * WATCH: "a watch event is generated immediately"), and the callback reads
 * the node then.
 */
#include <control.h>
#include <format.h>
#include <kernel.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <suspend.h>
#include <thread.h>
#include <xenbus.h>

int control_domid = -1;

/* The lifecycle has started (whatever it managed: lifecycle/lifecycle.c);
 * control_wait sleeps here. */
static volatile bool setup_done;
static struct waitqueue setup_waiters;

static const struct {
    const char *request;
    unsigned int reason;
} shutdown_requests[] = {
    { "poweroff", SHUTDOWN_poweroff },
    { "halt", SHUTDOWN_poweroff },
    { "reboot", SHUTDOWN_reboot },
    { "suspend", SHUTDOWN_suspend },
};

struct shutdown_ack {
    int index;             /* into shutdown_requests, -1 for none */
    char value[32];
};

/* One transaction: read the request, acknowledge it if we know it. */
static int take_shutdown_request(xenbus_transaction_t t, void *ctx)
{
    struct shutdown_ack *ack = ctx;

    ack->index = -1;
    int rc = xenbus_read(t, "control/shutdown", ack->value, sizeof(ack->value));
    /* Missing, empty or too long: nothing to do (manage.c ignores these too). */
    if (rc <= 0)
        return 0;
    for (unsigned i = 0; i < ARRAY_SIZE(shutdown_requests); i++) {
        if (!strcmp(ack->value, shutdown_requests[i].request))
            ack->index = (int)i;
    }
    if (ack->index < 0)
        return 0;
    return xenbus_write(t, "control/shutdown", "");
}

static void shutdown_watch_fired(const char *path, void *ctx)
{
    struct shutdown_ack ack;

    (void)path;
    (void)ctx;
    int rc = xenbus_transaction(take_shutdown_request, &ack);
    if (rc < 0) {
        printk("control: reading control/shutdown failed: %d\n", rc);
        return;
    }
    if (ack.index < 0) {
        if (ack.value[0])
            printk("control: unknown shutdown request \"%s\" ignored\n", ack.value);
        return;
    }
    printk("control: shutdown request \"%s\"\n", ack.value);
    if (shutdown_requests[ack.index].reason == SHUTDOWN_suspend)
        kernel_suspend();
    else
        kernel_shutdown(shutdown_requests[ack.index].reason);
}

/* Nodes the toolstack reads to know what we honour; a new domain after a
 * restore or migration has none of them (libxl creates them empty). Both
 * exist for us to write; a failure only means the toolstack will not know. */
static void write_features(void)
{
    xenbus_write(XBT_NIL, "control/feature-poweroff", "1");
    xenbus_write(XBT_NIL, "control/feature-reboot", "1");
    xenbus_write(XBT_NIL, "control/feature-suspend", "1");
}

static void control_resume(bool new_domain)
{
    if (new_domain)
        write_features();
}

static struct suspend_hook control_suspend_hook = { .name = "control", .resume = control_resume };

/* Reads and prints who we are; sets control_domid. */
int control_identify(void)
{
    char domid[16], name[128], path[64];
    char *end;
    int rc;

    /* Relative paths resolve against /local/domain/<domid> (xenstore.txt). */
    rc = xenbus_read(XBT_NIL, "domid", domid, sizeof(domid));
    if (rc < 0) {
        printk("control: cannot read domid: %d\n", rc);
        return rc;
    }
    control_domid = (int)strtoul(domid, &end, 10);
    snprintf(path, sizeof(path), "/local/domain/%d/name", control_domid);
    rc = xenbus_read(XBT_NIL, path, name, sizeof(name));
    if (rc < 0)
        strlcpy(name, "(unknown)", sizeof(name));
    printk("  domid        %d\n", control_domid);
    printk("  name         %s\n", name);
    return 0;
}

void control_features(void)
{
    write_features();
    suspend_hook_add(&control_suspend_hook);
}

int control_watch_shutdown(void)
{
    int rc = xenbus_watch("control/shutdown", shutdown_watch_fired, NULL);
    if (rc < 0)
        printk("control: cannot watch control/shutdown: %d\n", rc);
    return rc < 0 ? rc : 0;
}

void control_ready(void)
{
    setup_done = true;
    waitqueue_wake_all(&setup_waiters);
}

int control_wait(void)
{
    if (!xenbus_available())
        return -1;
    wait_event(&setup_waiters, setup_done);
    return control_domid;
}
