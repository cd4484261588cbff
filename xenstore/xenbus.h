/* SPDX-License-Identifier: MIT */
/*
 * The xenstore client: the key-value store every PV driver and the toolstack
 * talk through (io/xs_wire.h, docs/misc/xenstore.txt). A domU reaches it
 * through the ring page start_info->store_mfn, notified on the event channel
 * start_info->store_evtchn.
 *
 * Paths are absolute ("/local/domain/3/name") or relative to the domain's
 * home, /local/domain/<domid> ("control/shutdown"), as xenstored resolves
 * them. Functions returning int return >= 0 on success or a negative Xen
 * errno (xen/errno.h): the daemon's error replies mapped by name (-XEN_ENOENT
 * for a missing key, xs_wire.h xsd_errors), -XEN_E2BIG when a request or a
 * reply does not fit, -XEN_EIO once the ring has been found corrupt.
 *
 * One request is in flight at a time; callers block (wait_until) for the
 * reply. Watch callbacks never run inside the event handler: events are
 * queued and a watch thread (started by xenbus_init) runs the callbacks, in
 * ordinary thread context, where they may use every call here.
 */
#ifndef XENBUS_H
#define XENBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The client's calls (read, write, directory, rm, transactions, watches)
 * and their contracts: the application API, <mote/xenstore.h>. */
#include <mote/xenstore.h>

/* Maps the ring, binds the event channel. Returns 0, or -XEN_ENODEV for dom0
 * (no store page at boot). */
int xenbus_init(void);

/* Counters for tests. */
struct xenbus_stats {
    unsigned long requests;
    unsigned long stray_replies;     /* replies matching no request (dropped) */
    unsigned long watch_events;
    unsigned long watch_events_dropped;  /* malformed, or for a token we never gave */
    unsigned long watch_events_coalesced; /* the same watch and path already queued */
    unsigned long watch_queue_max;       /* most events queued at once */
};
extern struct xenbus_stats xenbus_stats;

#endif
