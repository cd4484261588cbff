/* SPDX-License-Identifier: MIT */
/*
 * SysRq keys (kernel/sysrq.c): `xl sysrq` reports and emergency shutdowns.
 */
#ifndef SYSRQ_H
#define SYSRQ_H

/* Acts on one key, from thread context: a report, a shutdown, or the help
 * line for a key it does not know. */
void sysrq_handle(char key);

#endif
