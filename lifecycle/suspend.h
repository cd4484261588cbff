/* SPDX-License-Identifier: MIT */
/*
 * Suspend and resume (lifecycle/suspend.c): `xl save`, `xl save -c`,
 * `xl restore` and `xl migrate` through control/shutdown = "suspend".
 *
 * Every subsystem that holds state Xen or a backend keeps for the domain
 * registers a hook. Around SCHEDOP_shutdown(SHUTDOWN_suspend) they run:
 *   suspend         thread context, may sleep: finish and stop work in flight
 *                   (xenbus takes its request lock, so xenstore is idle)
 *   suspend_masked  delivery masked, no sleeping: drop mappings of frames
 *                   that are not the domain's own (grant-table frames)
 *   resume_masked   delivery masked, no sleeping, shared info mapped again:
 *                   new_domain = resumed in a new domain (restore, migrate):
 *                   every event channel is gone, so rebind ports (VIRQs,
 *                   IPIs, the console's and xenstore's ports from start_info)
 *                   and redo what Xen keeps per domain (grant table, timers);
 *                   otherwise (xl save -c: cancelled) everything still holds
 *   resume          thread context, may use xenstore: re-register watches,
 *                   rewrite control/feature-*, redo a frontend's handshake
 * suspend hooks run in the reverse of registration order, resume hooks in
 * registration order, so later subsystems (drivers) stop first and restart
 * last, over the core ones they use. Events and shared info are the core
 * itself (events_suspend/events_resume), around all hooks.
 *
 * What the drivers do: a frontend stops its work in `suspend` (blkfront
 * holds back notifications, netfront makes senders wait and parks its rx
 * thread) and in `resume` either carries on (cancelled) or, when
 * new_domain, redoes its handshake with the new backend: the same pages
 * granted again, a new event channel and rings; blkfront re-issues the
 * requests in flight, netfront keeps its MAC and drops unanswered frames
 * (TCP sends them again) and net/net.c sends a gratuitous ARP. SMP takes
 * the other vCPUs down in `suspend` and brings them up (and rebinds their
 * VIRQs and IPIs) in `resume_masked` / `resume`.
 */
#ifndef SUSPEND_H
#define SUSPEND_H

#include <stdbool.h>

struct suspend_hook {
    const char *name;
    void (*suspend)(void);
    void (*suspend_masked)(void);
    void (*resume_masked)(bool new_domain);
    void (*resume)(bool new_domain);
    struct suspend_hook *next, *prev;
};

/* Publishes the P2M for the toolstack's save (a domU, once events are up). */
void suspend_init(void);

/* Registers a hook (a static struct; any callback may be NULL). */
void suspend_hook_add(struct suspend_hook *hook);

/* Suspends the domain for the toolstack, from thread context. Returns 0
 * when resumed in a new domain, 1 when the suspend was cancelled (the same
 * domain carries on), or a negative Xen errno if Xen refused, or
 * -XEN_EBUSY if a suspend hook refused (suspend_refuse). */
int kernel_suspend(void);

/* From a `suspend` hook that could not stop its subsystem (a vCPU that did
 * not go down): the suspend is cancelled before SHUTDOWN_suspend, and every
 * hook's resume_masked and resume run with new_domain false, as after xl
 * save -c. The toolstack, which has no answer to wait for but the domain's
 * shutdown, reports "guest did not suspend, timed out" (libxl's
 * suspend_common_wait_guest_timeout, 60 s) and xl save fails. */
void suspend_refuse(const char *why);

/* Architecture part (arch/x86_64/suspend.c). */
void arch_suspend_publish_p2m(void);            /* before events_suspend */
int arch_suspend(void);                         /* SCHEDOP_shutdown(suspend) */

#endif
