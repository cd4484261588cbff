/* SPDX-License-Identifier: MIT */
/*
 * The toolstack's control of a domU through xenstore (docs/misc/xenstore-paths
 * "control/"): who we are (domid, name) and shutdown requests from
 * `xl shutdown` / `xl reboot`.
 */
#ifndef CONTROL_H
#define CONTROL_H

/*
 * Reads and prints the domain's id and name, advertises control/feature-*
 * and watches control/shutdown. Needs xenbus_init(). Returns 0 or a negative
 * Xen errno.
 */
int control_init(void);

/* The domain id read from xenstore at control_init, or -1. */
extern int control_domid;

#endif
