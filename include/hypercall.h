/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls as the kernel and drivers use them.
 *
 * The raw wrappers (HYPERVISOR_<name>, one per hypercall) live in
 * arch/x86_64/include/arch/hypercall.h. xen_call() runs one and, when it fails,
 * reports it by name, arguments and Xen error code on the console:
 *
 *     rc = xen_call(event_channel_op, EVTCHNOP_send, &send);
 *  -> "mote: hypercall event_channel_op(EVTCHNOP_send, &send) failed: -EINVAL (-22)"
 *
 * Use the raw wrapper only where a failure is an expected answer (a probe).
 */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include <arch/hypercall.h>

/* xen_errno_name: the API. */
#include <mote/kernel.h>

/* Prints the failure report for hypercall `what` returning `rc`; returns rc. */
long hypercall_report_failure(const char *what, long rc);

#define xen_call(name, ...)                                                 \
    ({                                                                      \
        long rc__ = HYPERVISOR_##name(__VA_ARGS__);                         \
        if (rc__ < 0)                                                       \
            hypercall_report_failure(#name "(" #__VA_ARGS__ ")", rc__);     \
        rc__;                                                               \
    })

#endif
