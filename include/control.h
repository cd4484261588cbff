/* SPDX-License-Identifier: MIT */
/*
 * The toolstack's control of a domU through xenstore (docs/misc/xenstore-paths
 * "control/"): who we are (domid, name) and shutdown requests from
 * `xl shutdown` / `xl reboot`.
 */
#ifndef CONTROL_H
#define CONTROL_H

/*
 * Starts the "control" thread, which reads and prints the domain's id and
 * name, advertises control/feature-* and watches control/shutdown, while
 * boot goes on to main(). Needs xenbus_init(). Returns 0 or a negative Xen
 * errno (no memory for the thread).
 */
int control_init(void);

/* Waits until the control thread has done its work (or failed); returns
 * control_domid. */
int control_wait(void);

/* The domain id read from xenstore by the control thread, or -1 (before it
 * has, or when it could not). */
extern int control_domid;

#endif
