/* SPDX-License-Identifier: MIT */
/*
 * The toolstack's control of a domU through xenstore (docs/misc/xenstore-paths
 * "control/"): who we are (domid, name) and shutdown requests from
 * `xl shutdown` / `xl reboot`.
 */
#ifndef CONTROL_H
#define CONTROL_H

/* Reads and prints the domain's id and name (sets control_domid). Returns 0
 * or a negative Xen errno. */
int control_identify(void);

/* Advertises control/feature-* (again after a restore in a new domain). */
void control_features(void);

/* Watches control/shutdown for xl shutdown, reboot and save. Returns 0 or a
 * negative Xen errno. */
int control_watch_shutdown(void);

/* The lifecycle has started (or failed to): wakes control_wait's callers. */
void control_ready(void);

/* control_wait, which waits for the lifecycle's start: the API. */
#include <mote/xenstore.h>

/* The domain id read from xenstore by the control thread, or -1 (before it
 * has, or when it could not). */
extern int control_domid;

#endif
