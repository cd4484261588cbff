/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU data through %gs: each vCPU's kernel %gs base points at its own
 * struct cpu (include/smp.h), whose first words are fixed here so that the
 * hottest fields are one %gs-relative load, with no lookup of the vCPU id.
 *
 * Xen keeps a 64-bit PV guest's kernel %gs base per vCPU (set for vCPU 0
 * with HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL), for the others by
 * vcpu_guest_context.gs_base_kernel at VCPUOP_initialise) and swaps it with
 * the user one itself, so the guest never executes swapgs.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

/* Offsets of the first fields of struct cpu (checked in kernel/smp.c). */
#define PERCPU_SELF       0
#define PERCPU_VCPU_INFO  8
/* struct cpu's own vcpu_info (vcpu_info_area), once Xen has placed this
 * vCPU's there, and its two event flags (xen.h, struct vcpu_info). */
#define PERCPU_VCPU_INFO_AREA    64
#define VCPU_INFO_UPCALL_PENDING 0
#define VCPU_INFO_UPCALL_MASK    1

#ifndef __ASSEMBLY__
struct cpu;
struct vcpu_info;

/* The struct cpu of the vCPU running this code. A thread can move to
 * another vCPU whenever it sleeps or yields, so read it again after those;
 * asm volatile keeps the compiler from reusing an earlier load. */
static inline struct cpu *this_cpu(void)
{
    struct cpu *c;

    asm volatile ("mov %%gs:0, %0" : "=r" (c));
    return c;
}

/* This vCPU's vcpu_info (xen.h): its event flags, upcall mask and time;
 * NULL until events_init() maps the shared info page. */
static inline struct vcpu_info *this_vcpu(void)
{
    struct vcpu_info *v;

    asm volatile ("mov %%gs:8, %0" : "=r" (v));
    return v;
}
#endif

#endif
