/* SPDX-License-Identifier: MIT */
/*
 * Reporting failed hypercalls by name and Xen error code (see
 * include/hypercall.h). The error names come from xen/errno.h itself, through
 * its XEN_ERRNO(name, value) hook, so they cannot drift from the interface.
 */
#include <hypercall.h>
#include <printk.h>

static const struct {
    int value;
    const char *name;
} xen_errnos[] = {
#define XEN_ERRNO(name, value) { value, #name },
#include <xen/errno.h>
};

const char *xen_errno_name(long rc)
{
    long code = rc < 0 ? -rc : rc;

    for (unsigned i = 0; i < sizeof(xen_errnos) / sizeof(xen_errnos[0]); i++)
        if (xen_errnos[i].value == code)
            return xen_errnos[i].name;
    return "E?";
}

long hypercall_report_failure(const char *what, long rc)
{
    printk("mote: hypercall %s failed: -%s (%ld)\n", what, xen_errno_name(rc), rc);
    return rc;
}
