/* SPDX-License-Identifier: MIT */
/*
 * CPU hotplug from the toolstack: `xl vcpu-set DOMAIN N` writes
 * cpu/<id>/availability = "online" or "offline" in the domain's xenstore
 * home for each vCPU id (libxl's libxl_set_vcpuonline; Linux's
 * drivers/xen/cpu_hotplug.c is the guest side we follow). A watch on "cpu"
 * re-reads every vCPU's key and takes it down or brings it up
 * (smp_cpu_down / smp_cpu_up, kernel/smp.c).
 */
#include <format.h>
#include <lifecycle.h>
#include <printk.h>
#include <smp.h>
#include <string.h>
#include <xenbus.h>

static void availability_changed(const char *path, void *ctx)
{
    (void)path;
    (void)ctx;
    for (unsigned int id = 1; id < smp_cpu_max(); id++) {
        char key[32], value[16];
        snprintf(key, sizeof(key), "cpu/%u/availability", id);
        if (xenbus_read(XBT_NIL, key, value, sizeof(value)) < 0)
            continue;
        if (!strcmp(value, "online") && !smp_cpu_online(id))
            smp_cpu_up(id);
        else if (!strcmp(value, "offline") && smp_cpu_online(id))
            smp_cpu_down(id);
    }
}

void smp_hotplug_init(void)
{
    if (smp_cpu_max() < 2)
        return;
    int rc = xenbus_watch("cpu", availability_changed, NULL);
    if (rc < 0)
        printk("mote: smp: cannot watch cpu/ for hotplug: %d\n", rc);
}
