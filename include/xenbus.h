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

/* A transaction id (xs_wire.h struct xsd_sockmsg tx_id); 0 for none. */
typedef uint32_t xenbus_transaction_t;
#define XBT_NIL ((xenbus_transaction_t)0)

/* Maps the ring, binds the event channel. Returns 0, or -XEN_ENODEV for dom0
 * (no store page at boot). */
int xenbus_init(void);
bool xenbus_available(void);

/* Reads a value into buf (NUL-terminated). Returns its length; -XEN_E2BIG if
 * it does not fit in size - 1 bytes. */
int xenbus_read(xenbus_transaction_t t, const char *path, char *buf, size_t size);
/* Writes a value (a string), creating the node if needed. */
int xenbus_write(xenbus_transaction_t t, const char *path, const char *value);
/* Lists the children of path into buf as consecutive NUL-terminated names.
 * Returns how many. */
int xenbus_directory(xenbus_transaction_t t, const char *path, char *buf, size_t size);
/* Removes path and everything under it. */
int xenbus_rm(xenbus_transaction_t t, const char *path);

/*
 * Transactions (XS_TRANSACTION_START/END). end with abort=false commits;
 * -XEN_EAGAIN means another writer got in first and the whole transaction
 * must be redone: xenbus_transaction() does that for you, calling body(t, ctx)
 * until the commit succeeds (bounded; -XEN_EAGAIN if it never does). A body
 * returning non-zero aborts the transaction and that value is returned.
 */
int xenbus_transaction_start(xenbus_transaction_t *t);
int xenbus_transaction_end(xenbus_transaction_t t, bool abort);
int xenbus_transaction(int (*body)(xenbus_transaction_t t, void *ctx), void *ctx);

/*
 * Watches (XS_WATCH): callback(path, ctx) runs for each change at or below
 * `path`, with the path that changed, from xenbus_dispatch_watches(). xenstored
 * fires every new watch once straight away. No change is ever missed, but
 * changes are not counted: events for a path already waiting for its
 * callback merge into that one, and when very many paths wait the callback
 * gets the watched `path` itself. So a callback re-reads the nodes it cares
 * about. Returns a watch id >= 0 for xenbus_unwatch.
 */
typedef void (*xenbus_watch_cb)(const char *path, void *ctx);
int xenbus_watch(const char *path, xenbus_watch_cb callback, void *ctx);
int xenbus_unwatch(int watch_id);

/* Runs the callbacks of queued watch events now; returns how many ran. The
 * watch thread started by xenbus_init does this by itself. */
int xenbus_dispatch_watches(void);
/* Sleeps until at least one more watch callback has run (in the watch
 * thread). With cooperative threads, `while (!flag) xenbus_wait_for_watches();`
 * cannot miss a callback that sets flag. */
void xenbus_wait_for_watches(void);

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
