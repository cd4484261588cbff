/* SPDX-License-Identifier: MIT */
/*
 * Reporting failed hypercalls by name and Xen error code (see
 * include/hypercall.h). The error names come from xen/errno.h itself, through
 * its XEN_ERRNO(name, value) hook, so they cannot drift from the interface.
 */
#include <hypercall.h>
#include <printk.h>

/* Xen's error codes and their names, from xen/errno.h (which may be
 * included again with XEN_ERRNO defined, and undefines it itself): the
 * values as bytes (all are below 256) and the names back to back in the same
 * order, a byte per code plus its name instead of a 16-byte entry each. */
static const uint8_t xen_errno_values[] = {
#define XEN_ERRNO(name, value) value,
#include <xen/errno.h>
};
static const char xen_errno_names[] =
#define XEN_ERRNO(name, value) #name "\0"
#include <xen/errno.h>
    ;
#define XEN_ERRNO(name, value) _Static_assert((value) < 256, #name " fits a byte");
#include <xen/errno.h>

const char *xen_errno_name(long rc)
{
    long code = rc < 0 ? -rc : rc;
    const char *name = xen_errno_names;

    for (unsigned i = 0; i < sizeof(xen_errno_values); i++) {
        if (xen_errno_values[i] == code)
            return name;
        while (*name++)
            ;
    }
    return "E?";
}

long hypercall_report_failure(const char *what, long rc)
{
    printk("mote: hypercall %s failed: -%s (%ld)\n", what, xen_errno_name(rc), rc);
    return rc;
}
