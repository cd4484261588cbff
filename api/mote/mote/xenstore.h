/*
 * mote application API: the xenstore client (read, write, directory, rm,
 * watches, transactions), for a domU started by a toolstack.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_XENSTORE_H
#define MOTE_XENSTORE_H

#include <xenbus.h>

#endif
