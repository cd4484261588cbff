/* SPDX-License-Identifier: MIT */
/*
 * mote application API: the xenstore client (read, write, directory, rm,
 * watches, transactions), for a domU started by a toolstack. As dom0 there
 * is no xenstore at boot: xenbus_available() is false.
 *
 * Paths are absolute ("/local/domain/3/name") or relative to the domain's
 * home, /local/domain/<domid>. Functions returning int return >= 0 on
 * success or a negative errno (xen/errno.h, the <errno.h> numbers):
 * -ENOENT for a missing key, -E2BIG when a request or a reply does not fit,
 * -EIO once the ring has been found corrupt. Calls block the calling thread
 * until the reply comes; not for event handlers.
 */
#ifndef MOTE_XENSTORE_H
#define MOTE_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A transaction id (xs_wire.h struct xsd_sockmsg tx_id); 0 for none. */
typedef uint32_t xenbus_transaction_t;
#define XBT_NIL ((xenbus_transaction_t)0)

/* Whether xenstore is connected (a domU started by a toolstack). */
bool xenbus_available(void);

/* Reads a value into buf (NUL-terminated); returns its length. -E2BIG if it
 * does not fit in size. */
int xenbus_read(xenbus_transaction_t t, const char *path, char *buf, size_t size);
/* Writes a value (a string), creating the node if needed. */
int xenbus_write(xenbus_transaction_t t, const char *path, const char *value);
/* Lists the children of path into buf as consecutive NUL-terminated names;
 * returns how many. */
int xenbus_directory(xenbus_transaction_t t, const char *path, char *buf, size_t size);
/* Removes path and everything under it. */
int xenbus_rm(xenbus_transaction_t t, const char *path);

/* Transactions: end with abort=false commits; -EAGAIN means another writer
 * got in first and the transaction must be redone. xenbus_transaction()
 * does that, calling body(t, ctx) until the commit succeeds (bounded); a
 * body returning non-zero aborts, and that value is returned. */
int xenbus_transaction_start(xenbus_transaction_t *t);
int xenbus_transaction_end(xenbus_transaction_t t, bool abort);
int xenbus_transaction(int (*body)(xenbus_transaction_t t, void *ctx), void *ctx);

/* Watches: callback(path, ctx) runs, in the watch thread (ordinary thread
 * context), for each change at or below `path`, with the path that changed;
 * xenstored fires every new watch once straight away. No change is ever
 * missed, but changes are not counted: events for a path already waiting
 * for its callback merge into that one, and when very many paths wait the
 * callback gets the watched `path` itself. So a callback re-reads the nodes
 * it cares about. Returns a watch id >= 0 for xenbus_unwatch. */
typedef void (*xenbus_watch_cb)(const char *path, void *ctx);
int xenbus_watch(const char *path, xenbus_watch_cb callback, void *ctx);
/* Callbacks run one at a time. xenbus_unwatch returns once a callback of
 * the watch running in another thread has finished (so its ctx may be
 * freed then); a callback may remove its own watch. */
int xenbus_unwatch(int watch_id);
/* Runs the callbacks of queued watch events now; returns how many ran. */
int xenbus_dispatch_watches(void);
/* Sleeps until at least one more watch callback has run. With cooperative
 * threads, `while (!flag) xenbus_wait_for_watches();` cannot miss one. */
void xenbus_wait_for_watches(void);

/* The kernel starts the domain's lifecycle (its id and name,
 * control/feature-* nodes, the shutdown, sysrq, memory/target and vCPU
 * watches: lifecycle/lifecycle.c) in a thread, so main does not wait for
 * it. control_wait() sleeps until that is done (or has failed) and returns
 * this domain's id (-1 without xenstore). */
int control_wait(void);

#endif
