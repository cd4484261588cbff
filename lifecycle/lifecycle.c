/* SPDX-License-Identifier: MIT */
/*
 * The domain's lifecycle under the toolstack (a domU): who the domain is,
 * and what xl asks of it through xenstore (docs/misc/xenstore-paths.pandoc,
 * "control/", "memory/", "cpu/"):
 *   xl shutdown, xl reboot     control/shutdown    control.c
 *   xl save, restore, migrate  control/shutdown    suspend.c (the hooks)
 *   xl mem-set                 memory/target       balloon.c
 *   xl sysrq                   control/sysrq       sysrq.c
 *   xl vcpu-set                cpu/N/availability  smp_hotplug.c
 *
 * lifecycle_init, one step of start_kernel, starts all of it in this order.
 * Everything but suspend_init takes xenstore round trips, so the rest runs
 * in the "control" thread and main() does not wait for it (control_wait
 * does). The shutdown watch is set last: a request already written fires it
 * at once (xenstore.txt, WATCH), and by then every part it may stop or
 * suspend is up.
 */
#include <balloon.h>
#include <control.h>
#include <kernel.h>
#include <lifecycle.h>
#include <printk.h>
#include <suspend.h>
#include <sysrq.h>
#include <thread.h>
#include <xenbus.h>

static int lifecycle_thread(void *arg)
{
    (void)arg;
    int rc = control_identify();   /* domid and name */
    if (rc == 0) {
        control_features();        /* control/feature-* */
        balloon_init();            /* memory/target */
        sysrq_init();              /* control/sysrq */
        smp_hotplug_init();        /* cpu/N/availability */
        rc = control_watch_shutdown();
    }
    control_ready();
    return rc;
}

void lifecycle_init(void)
{
    if (!xenbus_available())
        return;
    suspend_init();                /* the P2M, published for xl save */
    if (!thread_create("control", lifecycle_thread, NULL))
        printk("control: no memory for the control thread\n");
}
