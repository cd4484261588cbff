/* SPDX-License-Identifier: MIT */
/*
 * SysRq keys (lifecycle/sysrq.c): `xl sysrq` reports and emergency shutdowns.
 */
#ifndef SYSRQ_H
#define SYSRQ_H

/* Acts on one key, from thread context: a report, a shutdown, or the help
 * line for a key it does not know. */
void sysrq_handle(char key);

/* Watches control/sysrq for xl sysrq. Returns 0 or a negative Xen errno. */
int sysrq_init(void);

#endif
