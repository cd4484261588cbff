/* SPDX-License-Identifier: MIT */
/*
 * The one way mote includes Xen's public interface headers (from Debian's
 * libxen-dev, fetched by scripts/deps.sh; never vendored).
 *
 * The interface version is pinned by the Makefile (-D__XEN_INTERFACE_VERSION__)
 * so a newer header package cannot silently change structure layouts or
 * hypercall numbers under us.
 */
#ifndef XEN_INTERFACE_H
#define XEN_INTERFACE_H

#include <stdint.h>

#if !defined(__XEN_INTERFACE_VERSION__)
#error "__XEN_INTERFACE_VERSION__ must be pinned by the build"
#endif

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <xen/physdev.h>
#include <xen/memory.h>
#include <xen/callback.h>
#include <xen/grant_table.h>
#include <xen/errno.h>

#endif
