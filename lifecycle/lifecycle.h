/* SPDX-License-Identifier: MIT */
/*
 * The domain's lifecycle (lifecycle/lifecycle.c): toolstack control,
 * suspend and resume, the balloon, sysrq and vCPU hotplug, started together.
 */
#ifndef LIFECYCLE_H
#define LIFECYCLE_H

/* Starts the lifecycle of a domU with xenstore (xenbus_init first): the P2M
 * for xl save at once, the rest in the "control" thread while boot goes on
 * to main(). Does nothing in dom0. */
void lifecycle_init(void);

/* Watches cpu/N/availability for xl vcpu-set (lifecycle/smp_hotplug.c). */
void smp_hotplug_init(void);

#endif
